//! The one date type: profiles write it (TOML local dates), the funding schedule does
//! arithmetic on it, writers stamp it into PDF and DOCX metadata. Backed by `time::Date`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use time::Month;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub time::Date);

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let month = Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(Date)
    }

    /// Year, month and day, for writers that format dates themselves.
    pub fn ymd(self) -> (i32, u8, u8) {
        (self.year(), self.month(), self.day())
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u8 {
        self.0.month() as u8
    }

    pub fn day(self) -> u8 {
        self.0.day()
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut parts = s.splitn(3, '-');
        let y: i32 = parts.next()?.parse().ok()?;
        let m: u8 = parts.next()?.parse().ok()?;
        let d: u8 = parts.next()?.parse().ok()?;
        if s.len() != 10 {
            return None;
        }
        Date::new(y, m, d)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    pub fn days_until(self, other: Date) -> i64 {
        (other.0 - self.0).whole_days()
    }

    pub fn next_day(self) -> Option<Date> {
        self.0.next_day().map(Date)
    }

    pub fn previous_day(self) -> Option<Date> {
        self.0.previous_day().map(Date)
    }

    /// The same day `months` months later, clamped to the month's last day
    /// (January 31 + 1 month = February 28 or 29).
    pub fn add_months(self, months: u32) -> Option<Date> {
        let total = self.0.month() as i64 - 1 + months as i64;
        let year = self.0.year() as i64 + total.div_euclid(12);
        let month = Month::try_from((total.rem_euclid(12) + 1) as u8).ok()?;
        let year = i32::try_from(year).ok()?;
        let last = time::util::days_in_month(month, year);
        time::Date::from_calendar_date(year, month, self.0.day().min(last))
            .ok()
            .map(Date)
    }

    pub fn month_name(self) -> &'static str {
        MONTHS[self.month() as usize - 1]
    }
}

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => Date::new(date.year as i32, date.month, date.day)
                .ok_or_else(|| D::Error::custom(format!("{date} is not a calendar date"))),
            _ => Err(D::Error::custom(format!(
                "expected a date like 2022-08-09, found the date-time {dt}"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic_clamps() {
        let d = Date::new(2024, 1, 31).unwrap();
        assert_eq!(d.add_months(1), Date::new(2024, 2, 29));
        assert_eq!(d.add_months(13), Date::new(2025, 2, 28));
        assert_eq!(d.add_months(12), Date::new(2025, 1, 31));
    }

    #[test]
    fn parse_and_display_round_trip() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("2023-2-9").is_none());
    }

    #[test]
    fn leap_year_days() {
        let a = Date::new(2024, 2, 28).unwrap();
        let b = Date::new(2024, 3, 1).unwrap();
        assert_eq!(a.days_until(b), 2);
    }
}
