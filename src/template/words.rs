//! Number and date wording for legal prose: locale-free and deterministic.

use crate::profile::Date;

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];
const SCALES: [(u64, &str); 6] = [
    (1_000_000_000_000_000_000, "quintillion"),
    (1_000_000_000_000_000, "quadrillion"),
    (1_000_000_000_000, "trillion"),
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1_000, "thousand"),
];

/// `21` → `twenty-one`, `1000000` → `one million`.
pub fn number_words(n: u64) -> String {
    if n < 1000 {
        return below_thousand(n);
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        if rest >= scale {
            parts.push(format!("{} {name}", below_thousand(rest / scale)));
            rest %= scale;
        }
    }
    if rest > 0 {
        parts.push(below_thousand(rest));
    }
    parts.join(" ")
}

fn below_thousand(n: u64) -> String {
    let n = n as usize;
    match n {
        0..=19 => ONES[n].to_string(),
        20..=99 => {
            let (t, o) = (n / 10, n % 10);
            if o == 0 {
                TENS[t].to_string()
            } else {
                format!("{}-{}", TENS[t], ONES[o])
            }
        }
        _ => {
            let (h, r) = (n / 100, n % 100);
            if r == 0 {
                format!("{} hundred", ONES[h])
            } else {
                format!("{} hundred {}", ONES[h], below_thousand(r as u64))
            }
        }
    }
}

/// `30` → `thirty (30)`; negative numbers read "minus".
pub fn spelled(n: i64) -> String {
    let words = number_words(n.unsigned_abs());
    if n < 0 {
        format!("minus {words} ({n})")
    } else {
        format!("{words} ({n})")
    }
}

/// `70` → `seventy percent (70%)`; fractions keep digits: `2.5` → `two and one-half percent (2.5%)`.
pub fn percent(p: f64) -> String {
    let digits = trim_number(p);
    if p.fract() == 0.0 && p.abs() < 1e18 {
        return format!("{} percent ({digits}%)", spelled_words(p as i64));
    }
    let whole = p.trunc() as i64;
    let frac = ((p.abs().fract()) * 100.0).round() as u64;
    let frac_words = match frac {
        25 => "one-quarter".to_string(),
        50 => "one-half".to_string(),
        75 => "three-quarters".to_string(),
        _ => return format!("{digits} percent ({digits}%)"),
    };
    // The sign belongs to the whole number: -0.5 is "minus one-half", not "zero and".
    let sign = if p < 0.0 { "minus " } else { "" };
    if whole == 0 {
        return format!("{sign}{frac_words} percent ({digits}%)");
    }
    format!(
        "{sign}{} and {frac_words} percent ({digits}%)",
        number_words(whole.unsigned_abs())
    )
}

fn spelled_words(n: i64) -> String {
    let w = number_words(n.unsigned_abs());
    if n < 0 { format!("minus {w}") } else { w }
}

/// Shortest decimal text for a number: `70.0` → `70`, `2.5` → `2.5`.
pub fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e18 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `9` → `9th`, `11` → `11th`, `22` → `22nd`.
pub fn ordinal(n: i64) -> String {
    // Negative numbers take the suffix of their magnitude: -21st, -12th.
    let m100 = n.unsigned_abs() % 100;
    let suffix = if (11..=13).contains(&m100) {
        "th"
    } else {
        match n.unsigned_abs() % 10 {
            1 => "st",
            2 => "nd",
            3 => "rd",
            _ => "th",
        }
    };
    format!("{n}{suffix}")
}

/// Whole cents as `$3,500,000.00` (or without cents).
pub fn money(cents: i64, with_cents: bool) -> String {
    let neg = cents < 0;
    let abs = cents.unsigned_abs();
    let (dollars, rest) = if with_cents {
        (abs / 100, abs % 100)
    } else {
        ((abs + 50) / 100, 0)
    };
    let digits = dollars.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if neg { "-" } else { "" };
    if with_cents {
        format!("{sign}${grouped}.{rest:02}")
    } else {
        format!("{sign}${grouped}")
    }
}

/// `2022-08-09` → `August 9, 2022`.
pub fn long_date(d: Date) -> String {
    format!("{} {}, {}", d.month_name(), d.day(), d.year())
}

/// `2022-08-09` → `9th day of August, 2022`.
pub fn day_of(d: Date) -> String {
    format!(
        "{} day of {}, {}",
        ordinal(d.day() as i64),
        d.month_name(),
        d.year()
    )
}

/// `["A","B","C"]` → `A, B, and C` (serial comma, as US contracts write it).
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelled_numbers() {
        assert_eq!(spelled(0), "zero (0)");
        assert_eq!(spelled(1), "one (1)");
        assert_eq!(spelled(7), "seven (7)");
        assert_eq!(spelled(11), "eleven (11)");
        assert_eq!(spelled(21), "twenty-one (21)");
        assert_eq!(spelled(30), "thirty (30)");
        assert_eq!(spelled(100), "one hundred (100)");
        assert_eq!(spelled(180), "one hundred eighty (180)");
        assert_eq!(spelled(1_000_000), "one million (1000000)");
        assert_eq!(
            spelled(3_500_021),
            "three million five hundred thousand twenty-one (3500021)"
        );
        assert_eq!(spelled(-2), "minus two (-2)");
    }

    #[test]
    fn percents() {
        assert_eq!(percent(70.0), "seventy percent (70%)");
        assert_eq!(percent(0.0), "zero percent (0%)");
        assert_eq!(percent(100.0), "one hundred percent (100%)");
        assert_eq!(percent(2.5), "two and one-half percent (2.5%)");
        assert_eq!(percent(3.1), "3.1 percent (3.1%)");
        assert_eq!(percent(0.5), "one-half percent (0.5%)");
        assert_eq!(percent(-0.5), "minus one-half percent (-0.5%)");
        assert_eq!(percent(-2.25), "minus two and one-quarter percent (-2.25%)");
    }

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112]
            .map(ordinal)
            .to_vec();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "101st", "111th", "112th"
            ]
        );
    }

    #[test]
    fn money_formats() {
        assert_eq!(money(350_000_000, true), "$3,500,000.00");
        assert_eq!(money(350_000_000, false), "$3,500,000");
        assert_eq!(money(0, true), "$0.00");
        assert_eq!(money(5, true), "$0.05");
        assert_eq!(money(99_999, true), "$999.99");
        assert_eq!(money(100_000, true), "$1,000.00");
        assert_eq!(money(-1_250, true), "-$12.50");
        assert_eq!(money(18_200_050, false), "$182,001");
    }

    #[test]
    fn dates() {
        let d = Date::new(2022, 8, 9).unwrap();
        assert_eq!(long_date(d), "August 9, 2022");
        assert_eq!(day_of(d), "9th day of August, 2022");
        let leap = Date::new(2024, 2, 29).unwrap();
        assert_eq!(long_date(leap), "February 29, 2024");
        assert_eq!(day_of(leap), "29th day of February, 2024");
        assert_eq!(
            day_of(Date::new(2023, 3, 1).unwrap()),
            "1st day of March, 2023"
        );
        assert_eq!(
            day_of(Date::new(2023, 3, 2).unwrap()),
            "2nd day of March, 2023"
        );
        assert_eq!(
            day_of(Date::new(2023, 3, 3).unwrap()),
            "3rd day of March, 2023"
        );
        assert_eq!(
            day_of(Date::new(2023, 3, 11).unwrap()),
            "11th day of March, 2023"
        );
        assert_eq!(
            day_of(Date::new(2023, 3, 12).unwrap()),
            "12th day of March, 2023"
        );
        assert_eq!(
            day_of(Date::new(2023, 3, 13).unwrap()),
            "13th day of March, 2023"
        );
        assert_eq!(
            day_of(Date::new(2023, 3, 21).unwrap()),
            "21st day of March, 2023"
        );
    }

    #[test]
    fn joins() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_and(&v(&[])), "");
        assert_eq!(join_and(&v(&["A"])), "A");
        assert_eq!(join_and(&v(&["A", "B"])), "A and B");
        assert_eq!(join_and(&v(&["A", "B", "C"])), "A, B, and C");
    }
}
