//! OHLCV bar series and the CSV reader for them.
//!
//! Accepts the generic form (`symbol,date,open,high,low,close,volume`) and the shared
//! sample form (`Ticker,Date,Open,...`): header names are case-insensitive, extra
//! columns are ignored, `.gz` files are decompressed. A malformed row is an error that
//! names the file, the line and the column; nothing of the file is used then.

use std::io::Read;
use std::path::Path;

use thiserror::Error;

use crate::store::time::parse_ts;
use crate::store::{Bar, SymbolBars};

/// One symbol's bars, oldest first, as columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BarSeries {
    /// Symbol, when the file has a symbol column.
    pub symbol: Option<String>,
    /// Bar dates (or timestamps) as written in the file.
    pub dates: Vec<String>,
    /// The same times as UTC epoch seconds.
    pub ts: Vec<i64>,
    /// The file line of each bar, for error messages.
    pub lines: Vec<u64>,
    /// Opening prices (empty if the file has no `open` column).
    pub open: Vec<f64>,
    /// Highs (empty if absent).
    pub high: Vec<f64>,
    /// Lows (empty if absent).
    pub low: Vec<f64>,
    /// Closes.
    pub close: Vec<f64>,
    /// Volumes (empty if absent).
    pub volume: Vec<f64>,
    /// A `periods` column (MAVP's period per bar; empty if absent, as in stored bars).
    pub periods: Vec<f64>,
}

impl BarSeries {
    /// The columns as the indicator kernels take them.
    pub fn as_bars(&self) -> indicators::Bars<'_> {
        indicators::Bars {
            open: &self.open,
            high: &self.high,
            low: &self.low,
            close: &self.close,
            volume: &self.volume,
            periods: &self.periods,
        }
    }

    /// Number of bars.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// True when there are no bars.
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// The bars oldest first (files may list them newest first); two bars at one time
    /// are an error naming both lines (`path` for the message).
    pub fn into_time_order(self, path: &str) -> Result<BarSeries, CsvError> {
        let n = self.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| self.ts[i]);
        for w in order.windows(2) {
            if self.ts[w[0]] == self.ts[w[1]] {
                let (a, b) = (self.lines[w[0]].min(self.lines[w[1]]), self.lines[w[0]].max(self.lines[w[1]]));
                let whose = self.symbol.as_deref().map(|s| format!(" for {s}")).unwrap_or_default();
                return Err(CsvError::BadRow {
                    path: path.to_string(),
                    line: b,
                    reason: format!("duplicate bar{whose} at {} (also on line {a})", self.dates[w[0]]),
                });
            }
        }
        if order.iter().enumerate().all(|(k, &i)| k == i) {
            return Ok(self);
        }
        let pick = |v: &Vec<f64>| if v.len() == n { order.iter().map(|&i| v[i]).collect() } else { v.clone() };
        Ok(BarSeries {
            symbol: self.symbol.clone(),
            dates: order.iter().map(|&i| self.dates[i].clone()).collect(),
            ts: order.iter().map(|&i| self.ts[i]).collect(),
            lines: order.iter().map(|&i| self.lines[i]).collect(),
            open: pick(&self.open),
            high: pick(&self.high),
            low: pick(&self.low),
            close: pick(&self.close),
            volume: pick(&self.volume),
            periods: pick(&self.periods),
        })
    }
}

/// Why a bar file could not be read.
#[derive(Debug, Error)]
pub enum CsvError {
    /// The file could not be opened or read.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error (in the message, so not also a source: printed once).
        error: std::io::Error,
    },
    /// The header lacks a required column.
    #[error("{path}: no `{column}` column in the header (found: {found})")]
    MissingColumn {
        /// The file.
        path: String,
        /// The missing column.
        column: &'static str,
        /// The header as read.
        found: String,
    },
    /// A row is malformed.
    #[error("{path}:{line}: {reason}")]
    BadRow {
        /// The file.
        path: String,
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        reason: String,
    },
    /// The file holds several symbols and none was chosen.
    #[error("{path}: the file has {count} symbols ({sample}); choose one with --symbol")]
    SeveralSymbols {
        /// The file.
        path: String,
        /// How many symbols.
        count: usize,
        /// The first few.
        sample: String,
    },
    /// The file lacks what an import needs.
    #[error("{path}: {reason}")]
    NotImportable {
        /// The file.
        path: String,
        /// What is missing.
        reason: String,
    },
    /// The chosen symbol is not in the file.
    #[error("{path}: symbol `{symbol}` not found (the file has: {sample})")]
    UnknownSymbol {
        /// The file.
        path: String,
        /// The symbol asked for.
        symbol: String,
        /// The first few symbols present.
        sample: String,
    },
}

/// Reads a bar file into one series per symbol, in order of first appearance.
pub fn read_bar_file(path: &Path) -> Result<Vec<BarSeries>, CsvError> {
    let shown = path.display().to_string();
    let io = |error| CsvError::Io { path: shown.clone(), error };
    let mut raw = Vec::new();
    std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut raw)).map_err(io)?;
    read_bar_bytes(&raw, &shown)
}

/// Reads a bar file's bytes (gzip or plain CSV), named `shown` in errors.
pub fn read_bar_bytes(raw: &[u8], shown: &str) -> Result<Vec<BarSeries>, CsvError> {
    let io = |error| CsvError::Io { path: shown.to_string(), error };
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(raw).read_to_end(&mut out).map_err(io)?;
        parse_bars(&out, shown)
    } else {
        parse_bars(raw, shown)
    }
}

/// Reads one symbol's bars from a file: `symbol` picks it when the file has several.
pub fn read_symbol(path: &Path, symbol: Option<&str>) -> Result<BarSeries, CsvError> {
    let shown = path.display().to_string();
    let mut all = read_bar_file(path)?;
    let sample = |all: &[BarSeries]| {
        let names: Vec<_> = all.iter().take(5).filter_map(|s| s.symbol.clone()).collect();
        names.join(", ") + if all.len() > 5 { ", ..." } else { "" }
    };
    match symbol {
        Some(want) => {
            let pos = all.iter().position(|s| s.symbol.as_deref().is_some_and(|got| got.eq_ignore_ascii_case(want)));
            match pos {
                Some(i) => all.swap_remove(i).into_time_order(&shown),
                None => Err(CsvError::UnknownSymbol { path: shown, symbol: want.to_string(), sample: sample(&all) }),
            }
        }
        None if all.len() > 1 => Err(CsvError::SeveralSymbols { path: shown, count: all.len(), sample: sample(&all) }),
        None => all.pop().unwrap_or_default().into_time_order(&shown),
    }
}

struct Columns {
    symbol: Option<usize>,
    date: usize,
    open: Option<usize>,
    high: Option<usize>,
    low: Option<usize>,
    close: usize,
    volume: Option<usize>,
    periods: Option<usize>,
}

fn find_columns(header: &csv::StringRecord, path: &str) -> Result<Columns, CsvError> {
    let find = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)));
    let required = |names: &[&str], column: &'static str| {
        find(names).ok_or_else(|| CsvError::MissingColumn {
            path: path.to_string(),
            column,
            found: header.iter().collect::<Vec<_>>().join(","),
        })
    };
    Ok(Columns {
        symbol: find(&["symbol", "ticker", "code"]),
        date: required(&["date", "datetime", "timestamp", "ts"], "date")?,
        open: find(&["open"]),
        high: find(&["high"]),
        low: find(&["low"]),
        close: required(&["close"], "close")?,
        volume: find(&["volume", "vol"]),
        periods: find(&["periods"]),
    })
}

fn parse_bars(bytes: &[u8], path: &str) -> Result<Vec<BarSeries>, CsvError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| CsvError::BadRow { path: path.to_string(), line: 1, reason: e.to_string() })?
        .clone();
    let cols = find_columns(&header, path)?;
    let mut series: Vec<BarSeries> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        let more = reader.read_record(&mut record).map_err(|e| CsvError::BadRow {
            path: path.to_string(),
            line,
            reason: e.to_string(),
        })?;
        if !more {
            break;
        }
        let line = record.position().map_or(line, |p| p.line());
        let bad = |reason: String| CsvError::BadRow { path: path.to_string(), line, reason };
        let field =
            |i: usize, name: &str| record.get(i).map(str::trim).ok_or_else(|| bad(format!("missing column `{name}`")));
        let number = |i: usize, name: &str| -> Result<f64, CsvError> {
            let text = field(i, name)?;
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(bad(format!("bad number `{text}` in column `{name}`"))),
            }
        };
        let symbol = cols.symbol.map(|i| field(i, "symbol")).transpose()?.map(str::to_string);
        let date = field(cols.date, "date")?;
        let ts =
            parse_ts(date).ok_or_else(|| bad(format!("bad date `{date}` (use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)")))?;
        if let Some(sym) = &symbol {
            if !valid_symbol(sym) {
                return Err(bad(format!(
                    "bad symbol `{sym}` (1-16 of A-Z a-z 0-9 . _ -, starting with a letter or digit)"
                )));
            }
        }
        let close = number(cols.close, "close")?;
        let opt = |c: Option<usize>, name: &str| c.map(|i| number(i, name)).transpose();
        let (open, high, low, volume) =
            (opt(cols.open, "open")?, opt(cols.high, "high")?, opt(cols.low, "low")?, opt(cols.volume, "volume")?);
        for (name, price) in [("open", open), ("high", high), ("low", low), ("close", Some(close))] {
            if let Some(p) = price.filter(|p| *p <= 0.0) {
                return Err(bad(format!("{name} {p} is not a positive price")));
            }
        }
        if let (Some(h), Some(l)) = (high, low) {
            if h < l {
                return Err(bad(format!("high {h} is below low {l}")));
            }
            for (name, price) in [("open", open), ("close", Some(close))] {
                if let Some(p) = price.filter(|p| *p < l || *p > h) {
                    return Err(bad(format!("{name} {p} is outside low {l} .. high {h}")));
                }
            }
        }
        if volume.is_some_and(|v| v < 0.0) {
            return Err(bad("negative volume".to_string()));
        }
        let key = symbol.clone().unwrap_or_default();
        let slot = *index.entry(key).or_insert_with(|| {
            series.push(BarSeries { symbol: symbol.clone(), ..Default::default() });
            series.len() - 1
        });
        let s = &mut series[slot];
        s.dates.push(date.to_string());
        s.ts.push(ts);
        s.lines.push(line);
        s.close.push(close);
        if let Some(v) = open {
            s.open.push(v);
        }
        if let Some(v) = high {
            s.high.push(v);
        }
        if let Some(v) = low {
            s.low.push(v);
        }
        if let Some(v) = volume {
            s.volume.push(v);
        }
        if let Some(v) = opt(cols.periods, "periods")? {
            s.periods.push(v);
        }
    }
    Ok(series)
}

/// True for a symbol the SPEC allows: `^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$`. Nothing else
/// may reach a cache key or the store.
pub fn valid_symbol(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 16
        && b[0].is_ascii_alphanumeric()
        && b[1..].iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// Turns a parsed file into import batches: every bar needs a symbol and all of
/// open/high/low/close/volume; bars are sorted by time; two bars of one symbol at the
/// same time are an error naming both lines, and so is a time of day on bars of a
/// frequency counted in days (`1d`, `1w`, `1mo`), whose bars are dated by day.
pub fn to_import_batches(path: &Path, all: Vec<BarSeries>, freq: &str) -> Result<Vec<SymbolBars>, CsvError> {
    let shown = path.display().to_string();
    let mut out = Vec::with_capacity(all.len());
    for series in all {
        let n = series.len();
        let Some(symbol) = series.symbol.clone() else {
            return Err(CsvError::NotImportable {
                path: shown,
                reason: "import needs a `symbol` (or `ticker`) column".into(),
            });
        };
        for (column, len) in [
            ("open", series.open.len()),
            ("high", series.high.len()),
            ("low", series.low.len()),
            ("volume", series.volume.len()),
        ] {
            if len != n {
                return Err(CsvError::NotImportable {
                    path: shown,
                    reason: format!("import needs all of open, high, low, close and volume; `{column}` is missing"),
                });
            }
        }
        if crate::cache::keys::dated_by_day(freq) {
            if let Some(i) = (0..n).find(|&i| series.ts[i].rem_euclid(86_400) != 0) {
                return Err(CsvError::BadRow {
                    path: shown,
                    line: series.lines[i],
                    reason: format!("`{}` has a time of day, but {freq} bars are dated by day", series.dates[i]),
                });
            }
        }
        let series = series.into_time_order(&shown)?;
        let bars = (0..n)
            .map(|i| Bar {
                ts: series.ts[i],
                open: series.open[i],
                high: series.high[i],
                low: series.low[i],
                close: series.close[i],
                volume: series.volume[i],
            })
            .collect();
        out.push(SymbolBars { symbol, freq: freq.to_string(), bars });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sample_format_and_groups_by_symbol() {
        let text = b"Ticker,Date,Open,High,Low,Close,Volume,Adj Close\nAAPL,2000-01-03,1,2,0.5,1.5,100,9\nIBM,2000-01-03,5,6,4,5.5,10,9\nAAPL,2000-01-04,1.5,2.5,1,2,200,9\n";
        let all = parse_bars(text, "t.csv").unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].symbol.as_deref(), Some("AAPL"));
        assert_eq!(all[0].close, vec![1.5, 2.0]);
        assert_eq!(all[0].dates, vec!["2000-01-03", "2000-01-04"]);
        assert_eq!(all[1].volume, vec![10.0]);
    }

    #[test]
    fn a_bad_number_names_its_line_and_column() {
        let text = b"date,open,high,low,close,volume\n2020-01-01,1,2,0.5,1.5,100\n2020-01-02,1,2,0.5,abc,100\n";
        let err = parse_bars(text, "t.csv").unwrap_err().to_string();
        assert_eq!(err, "t.csv:3: bad number `abc` in column `close`");
    }

    #[test]
    fn bad_dates_symbols_and_duplicates_are_errors() {
        let err = parse_bars(b"symbol,date,close\nA,2020-02-30,1\n", "t.csv").unwrap_err().to_string();
        assert!(err.starts_with("t.csv:2: bad date `2020-02-30`"), "{err}");
        let err = parse_bars(b"symbol,date,close\nA*B,2020-02-03,1\n", "t.csv").unwrap_err().to_string();
        assert!(err.starts_with("t.csv:2: bad symbol `A*B`"), "{err}");
        let text = b"symbol,date,open,high,low,close,volume\nA,2020-01-02,1,1,1,1,1\nA,2020-01-03,1,1,1,1,1\nA,2020-01-02,1,1,1,1,1\n";
        let all = parse_bars(text, "t.csv").unwrap();
        let err = to_import_batches(Path::new("t.csv"), all, "1d").unwrap_err().to_string();
        assert_eq!(err, "t.csv:4: duplicate bar for A at 2020-01-02 (also on line 2)");
    }

    #[test]
    fn symbols_follow_the_spec_pattern() {
        for ok in ["000001", "AAPL", "BRK.B", "a_b-c", "0123456789abcdef"] {
            assert!(valid_symbol(ok), "{ok}");
        }
        for bad in ["", ".A", "A:B", "A*", "A B", "0123456789abcdefg", "Ä"] {
            assert!(!valid_symbol(bad), "{bad}");
        }
    }

    #[test]
    fn high_below_low_and_missing_columns_are_errors() {
        let err = parse_bars(b"date,high,low,close\n2020-01-01,1,2,1.5\n", "t.csv").unwrap_err().to_string();
        assert_eq!(err, "t.csv:2: high 1 is below low 2");
        let err = parse_bars(b"day,close\n2020-01-01,1\n", "t.csv").unwrap_err().to_string();
        assert!(err.contains("no `date` column"), "{err}");
        let err = parse_bars(b"date,close,open\n2020-01-01,1\n", "t.csv").unwrap_err().to_string();
        assert_eq!(err, "t.csv:2: missing column `open`");
    }

    #[test]
    fn prices_must_be_positive_and_open_close_inside_the_range() {
        let head = "date,open,high,low,close,volume\n2020-01-01,1,2,0.5,1.5,100\n";
        for (row, want) in [
            ("2020-01-02,3,2,0.5,1.5,100", "t.csv:3: open 3 is outside low 0.5 .. high 2"),
            ("2020-01-02,1,2,0.5,0.4,100", "t.csv:3: close 0.4 is outside low 0.5 .. high 2"),
            ("2020-01-02,1,2,0,1.5,100", "t.csv:3: low 0 is not a positive price"),
            ("2020-01-02,1,2,0.5,-1,100", "t.csv:3: close -1 is not a positive price"),
        ] {
            let text = format!("{head}{row}\n");
            assert_eq!(parse_bars(text.as_bytes(), "t.csv").unwrap_err().to_string(), want);
        }
    }

    #[test]
    fn daily_bars_are_dated_by_day_and_any_file_is_read_oldest_first() {
        let text =
            b"symbol,date,open,high,low,close,volume\nA,2024-03-01,1,2,1,1.5,10\nA,2024-03-01 09:30,1,2,1,1.5,10\n";
        let all = parse_bars(text, "t.csv").unwrap();
        let err = to_import_batches(Path::new("t.csv"), all.clone(), "1d").unwrap_err().to_string();
        assert_eq!(err, "t.csv:3: `2024-03-01 09:30` has a time of day, but 1d bars are dated by day");
        assert_eq!(to_import_batches(Path::new("t.csv"), all, "15m").unwrap()[0].bars.len(), 2);
        // Newest first in the file, oldest first in the series; a date twice is refused.
        let newest_first = b"date,open,high,low,close,volume\n2024-03-02,1,2,1,1.8,10\n2024-03-01,1,2,1,1.2,10\n";
        let s = parse_bars(newest_first, "t.csv").unwrap().pop().unwrap().into_time_order("t.csv").unwrap();
        assert_eq!(
            (s.dates, s.close, s.lines),
            (vec!["2024-03-01".to_string(), "2024-03-02".into()], vec![1.2, 1.8], vec![3, 2])
        );
        let twice = b"date,close\n2024-03-01,1\n2024-03-02,2\n2024-03-01,3\n";
        let err = parse_bars(twice, "t.csv").unwrap().pop().unwrap().into_time_order("t.csv").unwrap_err();
        assert_eq!(err.to_string(), "t.csv:4: duplicate bar at 2024-03-01 (also on line 2)");
    }

    #[test]
    fn an_import_names_what_it_lacks() {
        let all = parse_bars(b"date,open,high,low,close,volume\n2020-01-01,1,2,0.5,1.5,100\n", "t.csv").unwrap();
        let err = to_import_batches(Path::new("t.csv"), all, "1d").unwrap_err().to_string();
        assert_eq!(err, "t.csv: import needs a `symbol` (or `ticker`) column");
        let all = parse_bars(b"symbol,date,high,low,close,volume\nA,2020-01-01,2,0.5,1.5,100\n", "t.csv").unwrap();
        let err = to_import_batches(Path::new("t.csv"), all, "1d").unwrap_err().to_string();
        assert!(err.contains("`open` is missing") && !err.contains("found"), "{err}");
    }
}
