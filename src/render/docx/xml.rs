//! XML text escaping for the hand-written OOXML parts.

/// Appends `text` escaped for XML 1.0 element content or a double-quoted attribute:
/// `& < > "` become entities and characters XML 1.0 forbids (C0 controls other than
/// tab, newline and carriage return; U+FFFE; U+FFFF) are dropped.
pub fn escape_into(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// [`escape_into`] as a new string.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_illegal_characters() {
        assert_eq!(
            escape("A & B <c> \"d\" 'e'"),
            "A &amp; B &lt;c&gt; &quot;d&quot; 'e'"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFF}d\u{FFFE}"), "abcd");
        assert_eq!(escape("tab\there\nnl — § ✓ 𝄞"), "tab\there\nnl — § ✓ 𝄞");
    }
}
