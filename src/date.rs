//! Calendar dates for `checked` and `published` fields, and day arithmetic for freshness.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date (`YYYY-MM-DD`), ordered by time. Four bytes: every fact has two, and a
/// large catalog has hundreds of thousands of facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i16,
    month: u8,
    day: u8,
}

impl Date {
    /// Year, month and day, for the binary form of the shipped catalog (`stored.rs`).
    pub(crate) fn to_parts(self) -> (i32, u32, u32) {
        (self.year(), self.month(), self.day())
    }

    /// The date of [`Date::to_parts`]: only for parts that came from a date.
    pub(crate) fn from_parts((year, month, day): (i32, u32, u32)) -> Date {
        Date {
            year: year as i16,
            month: month as u8,
            day: day as u8,
        }
    }

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        let valid = (1..=12).contains(&date.month)
            && date.day >= 1
            && u32::from(date.day) <= days_in_month(date.year(), date.month())
            && date.year >= 1900;
        valid.then_some(date)
    }

    /// The date `days` days after 1970-01-01 (for SOURCE_DATE_EPOCH and the system clock),
    /// at the earliest 0000-03-01 and at the latest 9999-12-31.
    pub fn from_unix_days(days: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let z = days.clamp(-719_468, 2_932_896) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i16;
        Date { year, month, day }
    }

    /// The year.
    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The day of the month.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// Days since 1970-01-01.
    pub fn unix_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Whole months from `self` to `later` (negative if `later` is earlier).
    pub fn months_until(self, later: Date) -> i32 {
        let mut months =
            (later.year() - self.year()) * 12 + later.month() as i32 - self.month() as i32;
        if later.day < self.day {
            months -= 1;
        }
        months
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor, not `String::deserialize`: a catalog has thousands of dates, and this
        // reads them without allocating.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Date;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Date, E> {
                Date::parse(text)
                    .ok_or_else(|| E::custom(format!("invalid date `{text}`, expected YYYY-MM-DD")))
            }
        }
        d.deserialize_str(Visitor)
    }
}

/// A publication date as sources give it: a day, a month, a year, or none visible.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Published(String);

impl Published {
    /// As written: `2023-08-24`, `2023-08`, `2023` or `undated`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first day the source can date from (a year counts from 1 January), so a fact's
    /// age is never underestimated; `None` when undated.
    pub fn date(&self) -> Option<Date> {
        match self.0.len() {
            10 => Date::parse(&self.0),
            7 => Date::parse(&format!("{}-01", self.0)),
            4 => Date::parse(&format!("{}-01-01", self.0)),
            _ => None,
        }
    }
}

impl Serialize for Published {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Published {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        // `n.d.` was the word before `undated`; both mean the source shows no date.
        let text = if text == "n.d." {
            "undated".to_string()
        } else {
            text
        };
        let ok = text == "undated"
            || Date::parse(&text).is_some()
            || (text.len() == 7 && Date::parse(&format!("{text}-01")).is_some())
            || (text.len() == 4 && Date::parse(&format!("{text}-01-01")).is_some());
        if ok {
            Ok(Published(text))
        } else {
            Err(serde::de::Error::custom(format!(
                "invalid publication date `{text}`, expected YYYY-MM-DD, YYYY-MM, YYYY or undated"
            )))
        }
    }
}

impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "a calendar date, YYYY-MM-DD"
        })
    }
}

impl schemars::JsonSchema for Published {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Published".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|undated|n\\.d\\.)$",
            "description": "publication date: YYYY-MM-DD, YYYY-MM, YYYY or undated"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_dates() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-13-01").is_none());
        assert!(Date::parse("23-01-01").is_none());
    }

    #[test]
    fn unix_days_round_trip() {
        for days in [-1000, 0, 19_000, 20_417, 60_000] {
            assert_eq!(Date::from_unix_days(days).unix_days(), days);
        }
        assert_eq!(Date::from_unix_days(20_417).to_string(), "2025-11-25");
    }

    #[test]
    fn months_between_dates() {
        let a = Date::parse("2025-05-25").unwrap();
        assert_eq!(a.months_until(Date::parse("2026-11-25").unwrap()), 18);
        assert_eq!(a.months_until(Date::parse("2026-11-24").unwrap()), 17);
    }
}
