//! One reading of clause template syntax, shared by everything that looks inside a
//! template before Tera runs it: the loop meter and the guard of conditions on blanks
//! ([`super::guard`]), the check of variable paths against the profile schema
//! (`check::schema`, E0212) and the check of the values a profile leaves out
//! ([`super::Engine::missing_values`]).
//!
//! [`scan`] reads a clause body once, the way Tera 2's lexer does (its rules are
//! copied here, not approximated): text; `{{ … }}` and `{% … %}` tags with their
//! tokens (strings, numbers, identifiers, operators), so that a `}}` or `%}` inside a
//! string does not close a tag; `{# … #}` comments; `{% raw %}…{% endraw %}`, whose
//! content is text; and the `-` of whitespace control. Every piece carries byte
//! offsets into the body.
//!
//! Where Tera's lexer stops with an error (an unclosed tag, string, comment or raw
//! block, a character it does not know), the first error is kept and the scan goes
//! on, so that a reading that ever differed from Tera's could not hide a later loop
//! from the meter: an unclosed opener is read as text and the scan resumes after it.

use std::ops::Range;

/// `{{ … }}` prints an expression; `{% … %}` is a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    Expr,
    Stmt,
}

/// One token inside a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// A name: a variable, filter, test, function, keyword, `true`/`false`.
    Ident,
    /// A string literal, quotes included in the span.
    Str,
    /// An integer or float literal.
    Number,
    /// An operator or bracket (`.`, `|`, `==`, `(`, `?.`, `...` and the rest).
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    pub span: Range<usize>,
}

/// A `{{ … }}` or `{% … %}` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub kind: TagKind,
    /// The whole tag, delimiters included.
    pub span: Range<usize>,
    /// `{{-` / `{%-`: whitespace before the tag is removed.
    pub trim_before: bool,
    /// `-}}` / `-%}`: whitespace after the tag is removed.
    pub trim_after: bool,
    pub tokens: Vec<Token>,
}

/// A piece of a template, in source order; the pieces cover the whole body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text.
    Text(Range<usize>),
    /// `{% raw %}…{% endraw %}`: `content` (after the raw tags' own whitespace
    /// control) is printed as text, template syntax and all.
    Raw {
        span: Range<usize>,
        content: Range<usize>,
        trim_before: bool,
        trim_after: bool,
    },
    /// `{# … #}`.
    Comment {
        span: Range<usize>,
        trim_before: bool,
        trim_after: bool,
    },
    Tag(Tag),
}

/// Where and why Tera's lexer would stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub offset: usize,
    pub message: &'static str,
}

/// A `{% for NAMES in TARGET %}` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loop<'a> {
    pub names: Vec<&'a str>,
    /// The iterated expression, from its first token to its last.
    pub target: Range<usize>,
}

/// An `{% include "NAME" %}` or `{% extends "NAME" %}` tag: the other template it
/// needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// `include` or `extends`.
    pub kind: &'static str,
    /// The template named, its string escapes resolved as Tera resolves them.
    pub name: String,
    /// The whole tag.
    pub tag: Range<usize>,
}

/// What a template does with a value it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UseKind {
    /// Printed or passed on: `{{ x }}`, `{{ x | money }}`, `{{ a ~ x }}`,
    /// `{% set y = x %}`, `{% for i in x %}`.
    Printed,
    /// Read by the condition of an `{% if %}` or `{% elif %}`.
    Tested,
    /// Computed with anywhere else: arithmetic, a comparison or test outside an `if`,
    /// an argument of a filter or function.
    Computed,
}

/// How a template uses a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The path as it stands in the source, from its first identifier to its last.
    pub span: Range<usize>,
    /// The path as written, subscripts by string as fields: `x["y"]` is `x.y`.
    pub written: String,
    /// What the first segment of `written` stands for: itself for a name of the
    /// context, the iterated path plus `[]` for a loop variable (`funding.schedule[]`),
    /// the assigned path for a `{% set %}`; `None` for a name bound to a computed value.
    pub root: Option<String>,
    pub kind: UseKind,
    /// Start of the tag the use is in.
    pub tag: usize,
    /// The subject of a test: `x` in `x is defined`.
    pub tested_by_is: bool,
}

/// The condition of an `{% if %}` or `{% elif %}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// Start of the tag.
    pub tag: usize,
    /// Start of the condition's first token.
    pub start: usize,
    /// End of the condition's last token.
    pub end: usize,
}

impl Use {
    /// The context path the use reads, if it reads one: `root` followed by the
    /// written segments after the first.
    pub fn resolved(&self) -> Option<String> {
        let root = self.root.as_ref()?;
        Some(match self.written.find('.') {
            Some(dot) => format!("{root}{}", &self.written[dot..]),
            None => root.clone(),
        })
    }
}

/// Where an expression stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Printed (`{{ }}`) or passed on (`set`, `for … in`).
    Output,
    /// The condition of `if` / `elif`.
    Condition,
    Other,
}

/// A clause body read once.
#[derive(Debug, Clone)]
pub struct Scan<'a> {
    src: &'a str,
    pieces: Vec<Piece>,
    error: Option<LexError>,
}

/// Words that are never variables.
const KEYWORDS: [&str; 15] = [
    "and", "or", "not", "in", "is", "if", "else", "true", "True", "false", "False", "none", "None",
    "null", "self",
];

/// Two-byte operators, in the order Tera tries them.
const OPS2: [&str; 9] = ["//", "**", "==", "!=", ">=", "<=", "</", "?.", "?["];
const OPS1: &[u8] = b"+-*/%!.,:~|=><()[]{}@";

/// Reads a template body. Never fails and never panics: see [`Scan::error`].
pub fn scan(src: &str) -> Scan<'_> {
    let mut s = Scan {
        src,
        pieces: Vec::new(),
        error: None,
    };
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let opener = bytes.get(i..i + 2);
        let trim = bytes.get(i + 2) == Some(&b'-');
        let inner = i + 2 + usize::from(trim);
        match opener {
            Some(b"{{") => match s.tag(TagKind::Expr, i, inner, trim) {
                Some(end) => i = end,
                None => i = s.text_until_marker(i, i + 2),
            },
            Some(b"{%") => {
                if let Some(end) = s.raw(i, inner, trim) {
                    i = end;
                    continue;
                }
                match s.tag(TagKind::Stmt, i, inner, trim) {
                    Some(end) => i = end,
                    None => i = s.text_until_marker(i, i + 2),
                }
            }
            Some(b"{#") => match find(src, inner, "#}") {
                Some(close) => {
                    let trim_after = close > inner && bytes[close - 1] == b'-';
                    s.pieces.push(Piece::Comment {
                        span: i..close + 2,
                        trim_before: trim,
                        trim_after,
                    });
                    i = close + 2;
                }
                None => {
                    s.fail(i, "Closing comment tag `#}` not found");
                    i = s.text_until_marker(i, i + 2);
                }
            },
            _ => i = s.text_until_marker(i, i),
        }
    }
    s
}

/// First occurrence of `needle` at or after `from`.
fn find(src: &str, from: usize, needle: &str) -> Option<usize> {
    src.as_bytes()
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .map(|p| from + p)
}

/// Tera's `skip_tag`: past `-? WS* name WS* -? %}` at `from`, and whether it ended
/// with `-`.
fn skip_tag(src: &str, from: usize, name: &str) -> Option<(usize, bool)> {
    let mut rest = src.get(from..)?;
    rest = rest.strip_prefix('-').unwrap_or(rest);
    rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
    rest = rest.strip_prefix(name)?;
    rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let trim = rest.starts_with('-');
    if trim {
        rest = &rest[1..];
    }
    rest = rest.strip_prefix("%}")?;
    Some((src.len() - rest.len(), trim))
}

/// A string's content with its escapes resolved, as Tera's lexer resolves them (an
/// escape it does not know is left as written: Tera refuses the template anyway).
fn unescape(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(e @ ('"' | '\'' | '/' | '\\')) => out.push(e),
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Whether every `\` escape of a string's content is one Tera knows.
fn escapes_ok(content: &[u8]) -> bool {
    let mut bytes = content.iter();
    while let Some(&c) = bytes.next() {
        if c == b'\\'
            && !matches!(
                bytes.next(),
                Some(b'"' | b'\'' | b'/' | b'\\' | b'n' | b't' | b'r')
            )
        {
            return false;
        }
    }
    true
}

impl<'a> Scan<'a> {
    pub fn source(&self) -> &'a str {
        self.src
    }

    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// The first place Tera's lexer would stop, if any.
    pub fn error(&self) -> Option<&LexError> {
        self.error.as_ref()
    }

    /// The source text of a token.
    pub fn text(&self, t: &Token) -> &'a str {
        &self.src[t.span.clone()]
    }

    /// The content of a string token, without quotes (escapes left as written).
    pub fn string(&self, t: &Token) -> &'a str {
        let s = self.text(t);
        s.get(1..s.len().saturating_sub(1)).unwrap_or("")
    }

    fn fail(&mut self, offset: usize, message: &'static str) {
        if self.error.is_none() {
            self.error = Some(LexError { offset, message });
        }
    }

    /// Text from `start` to the next `{{`, `{%` or `{#` at or after `from`.
    fn text_until_marker(&mut self, start: usize, from: usize) -> usize {
        let bytes = self.src.as_bytes();
        let end = (from..bytes.len().saturating_sub(1))
            .find(|&j| bytes[j] == b'{' && matches!(bytes[j + 1], b'{' | b'%' | b'#'))
            .unwrap_or(bytes.len());
        match self.pieces.last_mut() {
            Some(Piece::Text(r)) if r.end == start => r.end = end,
            _ => self.pieces.push(Piece::Text(start..end)),
        }
        end
    }

    /// A raw block opening at `open`, as Tera's lexer finds it.
    fn raw(&mut self, open: usize, inner: usize, trim_before: bool) -> Option<usize> {
        let (body, trim_body_start) = skip_tag(self.src, inner, "raw")?;
        let mut k = body;
        while let Some(found) = find(self.src, k, "{%") {
            k = found + 2;
            let trim_body_end = self.src.as_bytes().get(k) == Some(&b'-');
            if let Some((end, trim_after)) = skip_tag(self.src, k, "endraw") {
                let mut content = &self.src[body..found];
                if trim_body_start {
                    content = content.trim_start();
                }
                if trim_body_end {
                    content = content.trim_end();
                }
                let start = content.as_ptr() as usize - self.src.as_ptr() as usize;
                self.pieces.push(Piece::Raw {
                    span: open..end,
                    content: start..start + content.len(),
                    trim_before,
                    trim_after,
                });
                return Some(end);
            }
        }
        // Tera stops here; read the opening tag as an ordinary one and go on.
        self.fail(open, "unexpected end of raw block");
        None
    }

    /// Tokens of a tag whose content starts at `inner`, up to its closing delimiter.
    /// `None` when the body ends first.
    fn tag(&mut self, kind: TagKind, open: usize, inner: usize, trim: bool) -> Option<usize> {
        let src = self.src;
        let bytes = src.as_bytes();
        let close = match kind {
            TagKind::Expr => b"}}",
            TagKind::Stmt => b"%}",
        };
        let mut tokens = Vec::new();
        let mut j = inner;
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() {
                self.fail(open, "Unexpected end of input");
                return None;
            }
            let rest = &bytes[j..];
            if rest[0] == b'-' && rest.get(1..3) == Some(close) {
                self.push_tag(kind, open..j + 3, trim, true, tokens);
                return Some(j + 3);
            }
            if rest.get(..2) == Some(close) {
                self.push_tag(kind, open..j + 2, trim, false, tokens);
                return Some(j + 2);
            }
            let start = j;
            let token = if rest.starts_with(b"...") {
                j += 3;
                Tok::Punct
            } else if OPS2.iter().any(|op| rest.starts_with(op.as_bytes())) {
                j += 2;
                Tok::Punct
            } else if OPS1.contains(&rest[0]) {
                j += 1;
                Tok::Punct
            } else if matches!(rest[0], b'"' | b'\'' | b'`') {
                let quote = rest[0];
                let mut escaped = false;
                let len = rest[1..]
                    .iter()
                    .take_while(|&&c| {
                        if escaped {
                            escaped = false;
                            return true;
                        }
                        escaped = c == b'\\';
                        escaped || c != quote
                    })
                    .count();
                if rest.get(len + 1) == Some(&quote) {
                    if !escapes_ok(&rest[1..=len]) {
                        self.fail(j, "unexpected escape character");
                    }
                    j += len + 2;
                    Tok::Str
                } else {
                    self.fail(j, "String is missing its closing quote");
                    j += 1;
                    continue;
                }
            } else if rest[0].is_ascii_digit() {
                let mut dot = false;
                j += rest
                    .iter()
                    .take_while(|&&c| {
                        if !dot && c == b'.' {
                            dot = true;
                            true
                        } else {
                            c.is_ascii_digit()
                        }
                    })
                    .count();
                let number = &src[start..j];
                let valid = if dot {
                    number.parse::<f64>().is_ok()
                } else {
                    number.parse::<i64>().is_ok()
                };
                if !valid {
                    self.fail(start, "Invalid number");
                }
                Tok::Number
            } else if rest[0] == b'_' || rest[0].is_ascii_alphabetic() {
                j += rest
                    .iter()
                    .take_while(|&&c| c == b'_' || c.is_ascii_alphanumeric())
                    .count();
                Tok::Ident
            } else {
                self.fail(j, "Unexpected character");
                j += src[j..].chars().next().map_or(1, char::len_utf8);
                continue;
            };
            tokens.push(Token {
                kind: token,
                span: start..j,
            });
        }
    }

    fn push_tag(
        &mut self,
        kind: TagKind,
        span: Range<usize>,
        trim_before: bool,
        trim_after: bool,
        tokens: Vec<Token>,
    ) {
        self.pieces.push(Piece::Tag(Tag {
            kind,
            span,
            trim_before,
            trim_after,
            tokens,
        }));
    }

    fn tags(&self) -> impl Iterator<Item = &Tag> {
        self.pieces.iter().filter_map(|p| match p {
            Piece::Tag(t) => Some(t),
            _ => None,
        })
    }

    /// Whether token `t` is the identifier `word`.
    fn is(&self, t: Option<&Token>, word: &str) -> bool {
        t.is_some_and(|t| self.text(t) == word && t.kind != Tok::Str)
    }

    /// The statement name of a `{% %}` tag (`for`, `if`, `set`, …).
    pub fn statement(&self, tag: &Tag) -> Option<&'a str> {
        match (tag.kind, tag.tokens.first()) {
            (TagKind::Stmt, Some(t)) if t.kind == Tok::Ident => Some(self.text(t)),
            _ => None,
        }
    }

    /// Every `{% for … in TARGET %}` with a target, in source order.
    pub fn loops(&self) -> Vec<Loop<'a>> {
        let mut out = Vec::new();
        for tag in self.tags() {
            if self.statement(tag) != Some("for") {
                continue;
            }
            let Some(k) = tag
                .tokens
                .iter()
                .skip(1)
                .position(|t| self.is(Some(t), "in"))
            else {
                continue;
            };
            // The source between `in` and the closing delimiter: characters Tera's
            // lexer stops at stay inside, where the rewrite cannot cut them off.
            let from = tag.tokens[k + 1].span.end;
            let close = tag.span.end - 2 - usize::from(tag.trim_after);
            let text = &self.src[from..close];
            let lead = text.len()
                - text
                    .trim_start_matches(|c: char| c.is_ascii_whitespace())
                    .len();
            let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
            if !text.is_empty() {
                out.push(Loop {
                    names: tag.tokens[1..=k]
                        .iter()
                        .filter(|t| t.kind == Tok::Ident)
                        .map(|t| self.text(t))
                        .collect(),
                    target: from + lead..from + lead + text.len(),
                });
            }
        }
        out
    }

    /// Every `{% include %}` and `{% extends %}` that names a template with a string,
    /// in source order.
    pub fn includes(&self) -> Vec<Include> {
        self.tags()
            .filter_map(|tag| {
                let kind = match self.statement(tag)? {
                    "include" => "include",
                    "extends" => "extends",
                    _ => return None,
                };
                let name = tag.tokens.get(1).filter(|t| t.kind == Tok::Str)?;
                Some(Include {
                    kind,
                    name: unescape(self.string(name)),
                    tag: tag.span.clone(),
                })
            })
            .collect()
    }

    /// The condition of every `{% if %}` and `{% elif %}`, in source order.
    pub fn conditions(&self) -> Vec<Condition> {
        self.tags()
            .filter(|t| matches!(self.statement(t), Some("if" | "elif")) && t.tokens.len() > 1)
            .map(|t| Condition {
                tag: t.span.start,
                start: t.tokens[1].span.start,
                end: t.tokens[t.tokens.len() - 1].span.end,
            })
            .collect()
    }

    /// The first construct refused in clause templates, before the point where Tera's
    /// lexer stops (after it, Tera's own syntax error is the one to report): a
    /// component definition, or a list comprehension (`for` inside `[ ]`, the only
    /// place Tera's parser reads one; a `for` anywhere else but at the start of a loop
    /// is a syntax error of Tera's).
    pub fn refused(&self) -> Option<(usize, &'static str)> {
        let stop = self.error.as_ref().map_or(usize::MAX, |e| e.offset);
        for tag in self.tags() {
            if self.statement(tag) == Some("component") {
                return Some((
                    tag.tokens[0].span.start,
                    "components are not allowed in clause templates",
                ))
                .filter(|(at, _)| *at < stop);
            }
            let mut open: Vec<&str> = Vec::new();
            for t in &tag.tokens {
                match (t.kind, self.text(t)) {
                    (Tok::Punct, b @ ("(" | "[" | "{" | "?[")) => open.push(b),
                    (Tok::Punct, ")" | "]" | "}") => {
                        open.pop();
                    }
                    (Tok::Ident, "for") if matches!(open.last(), Some(&("[" | "?["))) => {
                        return Some((
                            t.span.start,
                            "list comprehensions (`[x for x in xs]`) are not allowed in clause templates; use {% for %}",
                        ))
                        .filter(|(at, _)| *at < stop);
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// Every variable path the template reads, in source order, with what each loop
    /// variable and `{% set %}` name stands for where it is used (loop variables are
    /// scoped to their loop, `set` to the loop it is in, `set_global` to the template).
    pub fn uses(&self) -> Vec<Use> {
        let mut scopes: Vec<Vec<(&'a str, Option<String>)>> = vec![Vec::new()];
        let mut out = Vec::new();
        for tag in self.tags() {
            let tokens = &tag.tokens[..];
            match (tag.kind, self.statement(tag)) {
                (TagKind::Expr, _) => {
                    self.expression(tokens, Reading::Output, tag, &scopes, &mut out);
                }
                (_, Some("for")) => {
                    let k = tokens
                        .iter()
                        .skip(1)
                        .position(|t| self.is(Some(t), "in"))
                        .map_or(tokens.len(), |k| k + 1);
                    let target = tokens.get(k + 1..).unwrap_or_default();
                    let bound = self.expression(target, Reading::Output, tag, &scopes, &mut out);
                    let names: Vec<&Token> = tokens[1..k]
                        .iter()
                        .filter(|t| t.kind == Tok::Ident)
                        .collect();
                    let mut frame = vec![("loop", None)];
                    for name in &names {
                        // `for k, v in map`: neither name is an element of a path.
                        let element = bound.as_ref().filter(|_| names.len() == 1);
                        frame.push((self.text(name), element.map(|p| format!("{p}[]"))));
                    }
                    scopes.push(frame);
                }
                (_, Some("endfor")) => {
                    if scopes.len() > 1 {
                        scopes.pop();
                    }
                }
                (_, Some(set @ ("set" | "set_global"))) => {
                    let value = tokens.get(3..).unwrap_or_default();
                    let bound = self.expression(value, Reading::Output, tag, &scopes, &mut out);
                    if let Some(name) = tokens.get(1).filter(|t| t.kind == Tok::Ident) {
                        let frame = if set == "set" { scopes.len() - 1 } else { 0 };
                        scopes[frame].push((self.text(name), bound));
                    }
                }
                (_, Some("if" | "elif")) => {
                    self.expression(&tokens[1..], Reading::Condition, tag, &scopes, &mut out);
                }
                // `{% filter name(args) %}`: the arguments may read values.
                (_, Some("filter")) => {
                    let args = tokens.get(2..).unwrap_or_default();
                    self.expression(args, Reading::Other, tag, &scopes, &mut out);
                }
                (_, Some("component")) => {}
                (_, Some(_)) => {} // include, block, else, endif, break, … read nothing
                (_, None) => {
                    self.expression(tokens, Reading::Other, tag, &scopes, &mut out);
                }
            }
        }
        out
    }

    /// Records the paths an expression reads; returns the path it is, when it is
    /// nothing but one path (`funding.schedule`), resolved through `scopes`.
    fn expression(
        &self,
        tokens: &[Token],
        reading: Reading,
        tag: &Tag,
        scopes: &[Vec<(&'a str, Option<String>)>],
        out: &mut Vec<Use>,
    ) -> Option<String> {
        // Printed when nothing at the top level tests or computes: only names,
        // literals, `.`, subscripts, filters and `~`.
        let mut depth = 0usize;
        let mut plain = reading == Reading::Output;
        for t in tokens {
            let text = self.text(t);
            match (t.kind, text) {
                (Tok::Punct, "(" | "[" | "{" | "?[") => depth += 1,
                (Tok::Punct, ")" | "]" | "}") => depth = depth.saturating_sub(1),
                (Tok::Punct, "." | "?." | "|" | "~") => {}
                (Tok::Punct, _) if depth == 0 => plain = false,
                (Tok::Ident, w) if depth == 0 && KEYWORDS.contains(&w) => plain = false,
                _ => {}
            }
        }
        let mut whole = None;
        let mut depth: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            let text = self.text(t);
            if t.kind == Tok::Punct {
                match text {
                    "(" | "[" | "{" | "?[" => depth.push(text),
                    ")" | "]" | "}" => {
                        depth.pop();
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            if t.kind != Tok::Ident || KEYWORDS.contains(&text) {
                i += 1;
                continue;
            }
            let before = i.checked_sub(1).map(|b| self.text(&tokens[b]));
            let name_of_something = matches!(before, Some("." | "?." | "|" | "is"))
                || (before == Some("not") && i >= 2 && self.text(&tokens[i - 2]) == "is");
            let after = tokens.get(i + 1).map(|a| self.text(a));
            let keyword_argument = after == Some("=") && depth.last() == Some(&"(");
            let key = after == Some(":") && depth.last() == Some(&"{");
            if name_of_something || keyword_argument || key {
                i += 1;
                continue;
            }
            // A path: name, then `.name`, `?.name` or `["name"]`.
            let mut segments = vec![(text, t.span.end)];
            let mut j = i + 1;
            loop {
                let next = tokens.get(j).map(|n| (n.kind, self.text(n)));
                match next {
                    Some((Tok::Punct, "." | "?."))
                        if tokens.get(j + 1).is_some_and(|n| n.kind == Tok::Ident) =>
                    {
                        let name = &tokens[j + 1];
                        segments.push((self.text(name), name.span.end));
                        j += 2;
                    }
                    Some((Tok::Punct, "[" | "?["))
                        if tokens.get(j + 1).is_some_and(|n| n.kind == Tok::Str)
                            && self.is(tokens.get(j + 2), "]") =>
                    {
                        segments.push((self.string(&tokens[j + 1]), tokens[j + 2].span.end));
                        j += 3;
                    }
                    _ => break,
                }
            }
            if self.is(tokens.get(j), "(") {
                // A call: `ref(id=…)` reads no variable; `x.f()` reads `x`.
                segments.pop();
            }
            if let Some(&(first, _)) = segments.first() {
                let written: Vec<&str> = segments.iter().map(|(s, _)| *s).collect();
                let root = scopes
                    .iter()
                    .rev()
                    .find_map(|frame| frame.iter().rev().find(|(n, _)| *n == first))
                    .map_or_else(|| Some(first.to_string()), |(_, b)| b.clone());
                let kind = match reading {
                    Reading::Condition => UseKind::Tested,
                    Reading::Output if plain && depth.is_empty() => UseKind::Printed,
                    _ => UseKind::Computed,
                };
                let u = Use {
                    span: t.span.start..segments[segments.len() - 1].1,
                    written: written.join("."),
                    root,
                    kind,
                    tag: tag.span.start,
                    tested_by_is: self.is(tokens.get(j), "is"),
                };
                if i == 0 && j == tokens.len() {
                    whole = u.resolved();
                }
                out.push(u);
            }
            i = j.max(i + 1);
        }
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<&'static str> {
        scan(src)
            .pieces()
            .iter()
            .map(|p| match p {
                Piece::Text(_) => "text",
                Piece::Raw { .. } => "raw",
                Piece::Comment { .. } => "comment",
                Piece::Tag(t) if t.kind == TagKind::Expr => "expr",
                Piece::Tag(_) => "stmt",
            })
            .collect()
    }

    fn paths(src: &str) -> Vec<(String, Option<String>, bool)> {
        scan(src)
            .uses()
            .into_iter()
            .map(|u| (u.written.clone(), u.resolved(), u.kind == UseKind::Printed))
            .collect()
    }

    fn p(written: &str, resolved: Option<&str>, printed: bool) -> (String, Option<String>, bool) {
        (written.into(), resolved.map(str::to_string), printed)
    }

    #[test]
    fn raw_content_is_text() {
        let src = "a {% raw %}{{ term.strat }}{% endraw %} b";
        assert_eq!(kinds(src), ["text", "raw", "text"]);
        let s = scan(src);
        let Piece::Raw { content, .. } = &s.pieces()[1] else {
            panic!()
        };
        assert_eq!(&src[content.clone()], "{{ term.strat }}");
        assert!(s.uses().is_empty());
        assert!(s.error().is_none());
        // Whitespace control inside the raw tags trims the content, as Tera does.
        let src = "{% raw -%}  x  {%- endraw %}";
        let s = scan(src);
        let Piece::Raw { content, .. } = &s.pieces()[0] else {
            panic!()
        };
        assert_eq!(&src[content.clone()], "x");
        // `{%- raw %}` and `{% endraw -%}` trim outside.
        let s = scan("{%- raw %}x{% endraw -%}");
        assert!(matches!(
            s.pieces()[0],
            Piece::Raw {
                trim_before: true,
                trim_after: true,
                ..
            }
        ));
    }

    #[test]
    fn raw_ends_by_teras_rule() {
        // A no-break space is not ASCII whitespace: `{%\u{a0}endraw %}` is raw content.
        let src = "{% raw %}{%\u{a0}endraw %}{{ {% endraw %}{{ x.y }}";
        assert_eq!(kinds(src), ["raw", "expr"]);
        // Unclosed: Tera's error; the tag is read as an ordinary one and the scan goes on.
        let s = scan("{% raw %}{% for a in b %}{% endfor %}");
        assert_eq!(s.error().unwrap().message, "unexpected end of raw block");
        assert_eq!(s.loops().len(), 1);
    }

    #[test]
    fn strings_in_tags_do_not_close_them() {
        let src = "{{ \"}}\" ~ term.start }} and {% if x == '%}' %}y{% endif %}";
        assert_eq!(kinds(src), ["expr", "text", "stmt", "text", "stmt"]);
        assert_eq!(
            paths(src),
            [
                p("term.start", Some("term.start"), true),
                p("x", Some("x"), false)
            ]
        );
        // Escaped quotes stay inside the string.
        assert_eq!(kinds(r#"{{ "a \" }}" }}b"#), ["expr", "text"]);
    }

    #[test]
    fn comments_hide_everything() {
        let src = "{# {{ term.strat }} {% for x in y %} #}text{#- x -#}";
        assert_eq!(kinds(src), ["comment", "text", "comment"]);
        let s = scan(src);
        assert!(s.uses().is_empty() && s.loops().is_empty());
        assert!(matches!(
            s.pieces()[2],
            Piece::Comment {
                trim_before: true,
                trim_after: true,
                ..
            }
        ));
    }

    #[test]
    fn whitespace_control() {
        let s = scan("a {{- x -}} b {%- if y -%}c{% endif %}");
        let tags: Vec<(bool, bool)> = s.tags().map(|t| (t.trim_before, t.trim_after)).collect();
        assert_eq!(tags, [(true, true), (true, true), (false, false)]);
        // `- %}` is a minus, not whitespace control.
        let s = scan("{% for x in xs - %}");
        assert!(!s.tags().next().unwrap().trim_after);
        assert_eq!(&s.source()[s.loops()[0].target.clone()], "xs -");
    }

    #[test]
    fn paths_filters_functions_and_keywords() {
        assert_eq!(
            paths("{{ funding.annual_cost | money(cents=false) }}"),
            [p("funding.annual_cost", Some("funding.annual_cost"), true)]
        );
        assert_eq!(
            paths("{{ ref(id=\"notices\") }}{{ x | default(value=term.end) }}"),
            [
                p("x", Some("x"), true),
                p("term.end", Some("term.end"), false)
            ]
        );
        assert_eq!(
            paths("{% if a.b is not defined and c[\"d\"] > 0 %}"),
            [p("a.b", Some("a.b"), false), p("c.d", Some("c.d"), false)]
        );
        assert_eq!(
            paths("{{ school.name ~ \" and \" ~ agency.name }}{{ 1.5 }}{{ \"a.b\" }}"),
            [
                p("school.name", Some("school.name"), true),
                p("agency.name", Some("agency.name"), true)
            ]
        );
        assert_eq!(
            paths("{{ funding.years | length > 1 }}"),
            [p("funding.years", Some("funding.years"), false)]
        );
    }

    #[test]
    fn loop_and_set_names_resolve_in_scope() {
        let src = "{% for p in funding.schedule %}{{ p.amount | money }}{% if loop.last %}.{% endif %}{% endfor %}{{ p.amount }}";
        assert_eq!(
            paths(src),
            [
                p("funding.schedule", Some("funding.schedule"), true),
                p("p.amount", Some("funding.schedule[].amount"), true),
                p("loop.last", None, false),
                p("p.amount", Some("p.amount"), true),
            ]
        );
        let src = "{% set s = funding.school_share_percent %}{% if s > 0 %}{% endif %}{% for k, v in vars %}{{ v.x }}{% endfor %}{% set t = 1 + x %}{{ t.y }}";
        assert_eq!(
            paths(src),
            [
                p(
                    "funding.school_share_percent",
                    Some("funding.school_share_percent"),
                    true
                ),
                p("s", Some("funding.school_share_percent"), false),
                p("vars", Some("vars"), true),
                p("v.x", None, true),
                p("x", Some("x"), false),
                p("t.y", None, true),
            ]
        );
    }

    #[test]
    fn loops_and_refusals() {
        let s = scan(
            "A {% for s in schools -%}{{ s.name }}{% endfor %}{%- for k, v in range(end=3) %}",
        );
        let loops = s.loops();
        assert_eq!(loops.len(), 2);
        assert_eq!(loops[1].names, ["k", "v"]);
        assert_eq!(&s.source()[loops[0].target.clone()], "schools");
        assert_eq!(&s.source()[loops[1].target.clone()], "range(end=3)");
        assert!(scan("{% for p in %}").loops().is_empty());
        assert_eq!(
            scan("x {{ [i for i in y] }}").refused().map(|r| r.0),
            Some(8)
        );
        assert!(scan("{% component c() %}").refused().is_some());
        assert!(scan("{% for x in xs %}{% endfor %}").refused().is_none());
        assert!(scan("{% set xs = [a for a in b] %}").refused().is_some());
        assert!(scan("{% for x in [(a) for a in b] %}").refused().is_some());
        // After the point where Tera stops, its syntax error is the one reported.
        assert!(scan("{{ é }}{{ [i for i in y] }}").refused().is_none());
    }

    #[test]
    fn includes_and_extends() {
        let s = scan(
            "{% extends \"base@1.0.0\" %}{# {% include 'no' %} #}{%- include 'a\\'b@1.0.0' -%}{% raw %}{% include \"no\" %}{% endraw %}{% include x %}",
        );
        let includes = s.includes();
        let found: Vec<(&str, &str, usize)> = includes
            .iter()
            .map(|i| (i.kind, i.name.as_str(), i.tag.start))
            .collect();
        assert_eq!(
            found,
            [("extends", "base@1.0.0", 0), ("include", "a'b@1.0.0", 50)]
        );
    }

    #[test]
    fn unclosed_openers_are_text_and_the_scan_goes_on() {
        let s = scan("{{ unclosed {% for a in b %}{% endfor %}");
        assert_eq!(s.error().unwrap().message, "Unexpected end of input");
        assert_eq!(s.loops().len(), 1);
        let s = scan("{# open {% for a in b %}");
        assert!(s.error().is_some());
        assert_eq!(s.loops().len(), 1);
        let s = scan("{{ 'open }} {% for a in b %}{% endfor %}");
        assert!(s.error().is_some());
        assert_eq!(s.loops().len(), 1);
    }

    /// Bodies built from the pieces of template syntax, so that tags, raw blocks and
    /// comments open and close often.
    fn fragments() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        let parts = vec![
            "{{",
            "{{-",
            "}}",
            "-}}",
            "{%",
            "{%-",
            "%}",
            "-%}",
            "{#",
            "{#-",
            "#}",
            "-#}",
            "{% raw %}",
            "{%- raw -%}",
            "{% endraw %}",
            "{%- endraw -%}",
            "{%raw-%}",
            "{%-endraw%}",
            "raw",
            "endraw",
            " ",
            "  ",
            "\n",
            "\t",
            "\u{a0}",
            "a",
            "é",
            "x.y",
            "\"",
            "'",
            "\\",
            "|",
            "upper",
            "1.5",
            "99999999999999999999",
            "for",
            " in ",
            "-",
            "{",
            "}",
            "%",
            "#",
            "{{ x }}",
            "{{- 'a }}' -}}",
            "{% if x %}",
            "{% endif %}",
            "{% for a in b -%}",
            "{% endfor %}",
            "{{ \"\\\" }}\" }}",
            "{{ '\\q' }}",
        ];
        proptest::collection::vec(proptest::sample::select(parts), 0..16).prop_map(|v| v.concat())
    }

    /// The text a template without tags prints, by Tera's whitespace-control rules.
    fn printed(s: &Scan<'_>) -> Option<String> {
        let src = s.source();
        let pieces = s.pieces();
        let mut out = String::new();
        let mut trim_next = false;
        for (i, piece) in pieces.iter().enumerate() {
            let (mut data, trims_after) = match piece {
                Piece::Text(r) => (&src[r.clone()], false),
                Piece::Raw {
                    content,
                    trim_after,
                    ..
                } => (&src[content.clone()], *trim_after),
                Piece::Comment { trim_after, .. } => {
                    trim_next |= *trim_after;
                    continue;
                }
                Piece::Tag(_) => return None,
            };
            if std::mem::take(&mut trim_next) {
                data = data.trim_start();
            }
            trim_next = trims_after;
            let next_trims = match pieces.get(i + 1) {
                Some(Piece::Raw { trim_before, .. } | Piece::Comment { trim_before, .. }) => {
                    *trim_before
                }
                Some(Piece::Tag(t)) => t.trim_before,
                _ => false,
            };
            if next_trims {
                data = data.trim_end();
            }
            out.push_str(data);
        }
        Some(out)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 6000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7465_7261),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Tera is the oracle: a body it accepts is one the scanner reads without an
        /// error, and one without tags prints exactly the scanner's text (raw blocks,
        /// comments and whitespace control included).
        #[test]
        fn reads_text_as_tera_prints_it(src in fragments()) {
            let s = scan(&src);
            let mut tera = tera::Tera::new();
            tera.autoescape_on(Vec::<&'static str>::new());
            let accepted = tera.add_raw_template("t", &src).is_ok();
            if accepted {
                proptest::prop_assert!(s.error().is_none(), "{:?}: {:?}", src, s.error());
                if let Some(text) = printed(&s) {
                    let rendered = tera.render("t", &tera::Context::new());
                    proptest::prop_assert_eq!(rendered.ok(), Some(text), "{:?}", src);
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 4000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(0x7363_616e),
            failure_persistence: None,
            ..Default::default()
        })]

        /// Any input: no panic, pieces in order and covering the input, spans on
        /// character boundaries, and every query answers.
        #[test]
        fn never_panics_and_covers_the_input(src in "([{}%#\\-'\"` .|a-z(),=\\[\\]é\n]|raw|endraw|for| in ){0,40}") {
            let s = scan(&src);
            let mut at = 0;
            for piece in s.pieces() {
                let span = match piece {
                    Piece::Text(r) => r.clone(),
                    Piece::Raw { span, content, .. } => {
                        proptest::prop_assert!(span.start <= content.start && content.end <= span.end);
                        span.clone()
                    }
                    Piece::Comment { span, .. } => span.clone(),
                    Piece::Tag(t) => {
                        for tok in &t.tokens {
                            proptest::prop_assert!(src.is_char_boundary(tok.span.start) && src.is_char_boundary(tok.span.end));
                        }
                        t.span.clone()
                    }
                };
                proptest::prop_assert_eq!(span.start, at);
                proptest::prop_assert!(src.is_char_boundary(span.end));
                at = span.end;
            }
            proptest::prop_assert_eq!(at, src.len());
            let _ = (s.loops(), s.refused(), s.uses());
        }
    }
}
