//! Profile values reach the HTML as text and only as text: every character HTML gives
//! meaning to is written as a character reference, in text and in attribute values
//! alike (one function for both, so no caller can pick the weaker one).

/// Appends `text` escaped for HTML text or a double- or single-quoted attribute value.
/// Characters HTML forbids in a document (C0 and C1 controls other than tab and line
/// feed, noncharacters) are dropped, as the Markdown and XML writers drop them; a
/// carriage return becomes a line feed.
pub fn push(out: &mut String, text: &str) {
    let mut clean = 0;
    for (i, ch) in text.char_indices() {
        let replacement = match ch {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' => "&quot;",
            '\'' => "&#39;",
            '\r' => "\n",
            '\t' | '\n' => continue,
            c if c.is_control() || is_noncharacter(c) => "",
            _ => continue,
        };
        out.push_str(&text[clean..i]);
        out.push_str(replacement);
        clean = i + ch.len_utf8();
    }
    out.push_str(&text[clean..]);
}

/// `text` escaped (see [`push`]).
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push(&mut out, text);
    out
}

/// Unicode noncharacters, which HTML counts as parse errors.
fn is_noncharacter(c: char) -> bool {
    let c = c as u32;
    (0xFDD0..=0xFDEF).contains(&c) || (c & 0xFFFE) == 0xFFFE
}

/// `text` as a CSS string literal (the running head of the print stylesheet): every
/// character but letters, digits, spaces and harmless punctuation is a hexadecimal
/// escape, so neither a quote, a backslash nor `</style>` can end the string or the
/// style sheet.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        if ch.is_control() || is_noncharacter(ch) {
            if matches!(ch, '\n' | '\r' | '\t') {
                out.push(' ');
            }
            continue;
        }
        if ch.is_alphanumeric() || matches!(ch, ' ' | ',' | '.' | '-' | '(' | ')' | '—' | '–') {
            out.push(ch);
        } else {
            // The space ends the escape, so a following hex digit is not taken in.
            out.push_str(&format!("\\{:x} ", ch as u32));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        assert_eq!(
            escaped(r#"<script>alert('x')</script> & "q""#),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escaped("plain — text"), "plain — text");
    }

    #[test]
    fn drops_what_html_forbids() {
        assert_eq!(
            escaped("a\u{0}b\u{1b}c\u{85}d\u{FFFF}e\u{FDD0}f\r\n\tg"),
            "abcdef\n\n\tg"
        );
    }

    #[test]
    fn css_strings_cannot_escape() {
        assert_eq!(css_string("A — B"), "\"A — B\"");
        let s = css_string("x\"}</style><script>\\");
        assert!(!s[1..s.len() - 1].contains(['"', '<', '>', '}']), "{s}");
        assert_eq!(css_string("a\nb"), "\"a b\"");
    }
}
