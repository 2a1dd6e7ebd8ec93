//! The daily job's standard indicator set (SPEC section 8): SMA 5, 10, 20, 60;
//! MACD 12/26/9; RSI 14; BBANDS 20/2/2; ATR 14; KDJ 9/3/3.

use indicators::{find, IndicatorError, IndicatorSpec, Params, RawParam};

/// One member of an indicator set: the spec and its resolved parameters.
#[derive(Debug, Clone)]
pub struct SetMember {
    /// The indicator.
    pub spec: &'static IndicatorSpec,
    /// Its parameters, defaults filled in.
    pub params: Params,
}

/// The nine indicators of the standard set, in the SPEC's order.
pub fn standard_set() -> Result<Vec<SetMember>, IndicatorError> {
    let entries: [(&str, &[(&str, i64)]); 9] = [
        ("SMA", &[("timeperiod", 5)]),
        ("SMA", &[("timeperiod", 10)]),
        ("SMA", &[("timeperiod", 20)]),
        ("SMA", &[("timeperiod", 60)]),
        ("MACD", &[("fastperiod", 12), ("slowperiod", 26), ("signalperiod", 9)]),
        ("RSI", &[("timeperiod", 14)]),
        ("BBANDS", &[("timeperiod", 20)]),
        ("ATR", &[("timeperiod", 14)]),
        ("KDJ", &[("n", 9), ("m1", 3), ("m2", 3)]),
    ];
    entries
        .iter()
        .map(|(code, params)| {
            let spec = find(code)?;
            let given: Vec<(&str, RawParam)> = params.iter().map(|(k, v)| (*k, RawParam::Int(*v))).collect();
            Ok(SetMember { spec, params: spec.resolve(&given)? })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_standard_set_has_the_nine_spec_members() {
        let set = super::standard_set().unwrap();
        let codes: Vec<_> = set.iter().map(|m| m.spec.code).collect();
        assert_eq!(codes, ["SMA", "SMA", "SMA", "SMA", "MACD", "RSI", "BBANDS", "ATR", "KDJ"]);
    }
}
