//! The one error type of the crate: everything a caller can get wrong.

use thiserror::Error;

/// Why an indicator could not be computed. Every variant names what was wrong
/// (the indicator, the parameter, its valid range) so the message can go to a
/// user unchanged.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum IndicatorError {
    /// No indicator with this code exists in the catalog.
    #[error("unknown indicator `{0}`; see the catalog for the valid codes")]
    UnknownIndicator(String),
    /// The indicator has no parameter of this name.
    #[error("{code}: unknown parameter `{name}` (valid: {valid})")]
    UnknownParam {
        /// Indicator code.
        code: &'static str,
        /// The name the caller gave.
        name: String,
        /// The parameter names the indicator accepts.
        valid: String,
    },
    /// The same parameter was given more than once (which one would win is a guess).
    #[error("{code}: parameter `{name}` is given more than once")]
    DuplicateParam {
        /// Indicator code.
        code: &'static str,
        /// Parameter name.
        name: &'static str,
    },
    /// The value is of the right type but outside the valid range.
    #[error("{code}: parameter `{name}` = {value} is out of range; valid range is {min}..={max}")]
    OutOfRange {
        /// Indicator code.
        code: &'static str,
        /// Parameter name.
        name: &'static str,
        /// The value as given.
        value: String,
        /// Smallest valid value.
        min: String,
        /// Largest valid value.
        max: String,
    },
    /// The value could not be read as the parameter's type.
    #[error("{code}: parameter `{name}` must be {expected}, got `{value}`")]
    WrongType {
        /// Indicator code.
        code: &'static str,
        /// Parameter name.
        name: &'static str,
        /// What the parameter takes, in words.
        expected: &'static str,
        /// The value as given.
        value: String,
    },
    /// The parameter value is valid for TA-Lib but this engine does not implement it.
    #[error("{code}: parameter `{name}` = {value} is not supported: {reason}")]
    Unsupported {
        /// Indicator code.
        code: &'static str,
        /// Parameter name.
        name: &'static str,
        /// The value as given.
        value: String,
        /// Why, and what to use instead.
        reason: &'static str,
    },
    /// An input series the indicator needs was not supplied.
    #[error("{code}: input `{input}` is required")]
    MissingInput {
        /// Indicator code.
        code: &'static str,
        /// The missing input column.
        input: &'static str,
    },
    /// The input series do not all have the same length.
    #[error("{code}: input `{input}` has {got} values but `{first}` has {expected}")]
    LengthMismatch {
        /// Indicator code.
        code: &'static str,
        /// The first input column, which sets the expected length.
        first: &'static str,
        /// The column of a different length.
        input: &'static str,
        /// Length of the first column.
        expected: usize,
        /// Length of the offending column.
        got: usize,
    },
}
