//! Conditions on pledges: boolean expressions over named political facts, e.g.
//! `us_backstop && (un_mandate || nld_parliament_approved)`.
//!
//! Grammar (`!` binds tightest, then `&&`, then `||`; words and symbols are interchangeable):
//!
//! ```text
//! expr  := and ( ("||" | "or") and )*
//! and   := unary ( ("&&" | "and") unary )*
//! unary := ("!" | "not") unary | atom
//! atom  := "true" | "false" | fact | "(" expr ")"
//! ```

use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;

use crate::id::{FactId, is_record_id};
use crate::world::WorldState;

/// Nesting deeper than this is refused rather than risking the stack.
pub const MAX_CONDITION_DEPTH: usize = 64;

/// A boolean expression over political facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Always holds.
    True,
    /// Never holds.
    False,
    /// Holds when the named fact is true.
    Fact(FactId),
    /// Holds when the inner condition does not.
    Not(Box<Condition>),
    /// Holds when every part holds.
    And(Vec<Condition>),
    /// Holds when any part holds.
    Or(Vec<Condition>),
}

/// A condition that does not parse: where, and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConditionError {
    /// Byte range in the condition text that the error points at (empty at the end of the text).
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// What would have been accepted there.
    pub expected: String,
}

/// A parsed condition together with where each fact name stands in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedCondition {
    /// The expression.
    pub condition: Condition,
    /// Every fact occurrence with its byte range in the text, in order of appearance.
    pub fact_spans: Vec<(FactId, Range<usize>)>,
}

impl Condition {
    /// Parses a condition, pointing at the offending character on error.
    ///
    /// # Examples
    ///
    /// ```
    /// use guarantor_core::{Condition, WorldState, FactId};
    /// let parsed = Condition::parse("us_backstop && !un_mandate").unwrap();
    /// let mut world = WorldState::default();
    /// world.set(FactId::new("us_backstop").unwrap(), true);
    /// assert!(parsed.condition.holds(&world));
    ///
    /// let err = Condition::parse("us_backstop && (un_mandate").unwrap_err();
    /// assert_eq!(err.span, 26..26);
    /// ```
    pub fn parse(text: &str) -> Result<ParsedCondition, ConditionError> {
        let tokens = lex(text)?;
        let mut parser = Parser {
            tokens: &tokens,
            pos: 0,
            end: text.len(),
            fact_spans: Vec::new(),
        };
        let condition = parser.or(0)?;
        if let Some(token) = parser.peek() {
            return Err(ConditionError {
                span: token.span.clone(),
                message: format!(
                    "unexpected {} after a complete condition",
                    token.kind.describe()
                ),
                expected: "`&&`, `||` or the end of the condition".into(),
            });
        }
        Ok(ParsedCondition {
            condition,
            fact_spans: parser.fact_spans,
        })
    }

    /// Whether the condition holds in `world`. A fact the world state does not mention is false.
    pub fn holds(&self, world: &WorldState) -> bool {
        match self {
            Condition::True => true,
            Condition::False => false,
            Condition::Fact(fact) => world.get(fact),
            Condition::Not(inner) => !inner.holds(world),
            Condition::And(parts) => parts.iter().all(|p| p.holds(world)),
            Condition::Or(parts) => parts.iter().any(|p| p.holds(world)),
        }
    }

    /// Every fact the condition names.
    pub fn facts(&self) -> BTreeSet<&FactId> {
        let mut out = BTreeSet::new();
        self.collect_facts(&mut out);
        out
    }

    fn collect_facts<'a>(&'a self, out: &mut BTreeSet<&'a FactId>) {
        match self {
            Condition::True | Condition::False => {}
            Condition::Fact(fact) => {
                out.insert(fact);
            }
            Condition::Not(inner) => inner.collect_facts(out),
            Condition::And(parts) | Condition::Or(parts) => {
                parts.iter().for_each(|p| p.collect_facts(out))
            }
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Condition::Or(_) => 1,
            Condition::And(_) => 2,
            _ => 3,
        }
    }
}

impl fmt::Display for Condition {
    /// The canonical spelling: symbols, the fewest parentheses that keep the meaning.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, parts: &[Condition], op: &str, me: u8| {
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    write!(f, " {op} ")?;
                }
                if part.precedence() <= me {
                    write!(f, "({part})")?;
                } else {
                    write!(f, "{part}")?;
                }
            }
            Ok(())
        };
        match self {
            Condition::True => f.write_str("true"),
            Condition::False => f.write_str("false"),
            Condition::Fact(fact) => f.write_str(fact.as_str()),
            Condition::Not(inner) if inner.precedence() < 3 => write!(f, "!({inner})"),
            Condition::Not(inner) => write!(f, "!{inner}"),
            Condition::And(parts) => join(f, parts, "&&", 2),
            Condition::Or(parts) => join(f, parts, "||", 1),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum TokenKind {
    Ident(String),
    And,
    Or,
    Not,
    Open,
    Close,
}

impl TokenKind {
    fn describe(&self) -> String {
        match self {
            TokenKind::Ident(name) => format!("`{name}`"),
            TokenKind::And => "`&&`".into(),
            TokenKind::Or => "`||`".into(),
            TokenKind::Not => "`!`".into(),
            TokenKind::Open => "`(`".into(),
            TokenKind::Close => "`)`".into(),
        }
    }
}

#[derive(Clone, Debug)]
struct Token {
    kind: TokenKind,
    span: Range<usize>,
}

fn lex(text: &str) -> Result<Vec<Token>, ConditionError> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let single = |kind| Token {
            kind,
            span: start..start + 1,
        };
        match c {
            c if c.is_whitespace() => {}
            '(' => tokens.push(single(TokenKind::Open)),
            ')' => tokens.push(single(TokenKind::Close)),
            '!' => tokens.push(single(TokenKind::Not)),
            '&' | '|' => {
                if chars.peek().map(|&(_, next)| next) == Some(c) {
                    chars.next();
                    let kind = if c == '&' {
                        TokenKind::And
                    } else {
                        TokenKind::Or
                    };
                    tokens.push(Token {
                        kind,
                        span: start..start + 2,
                    });
                } else {
                    return Err(ConditionError {
                        span: start..start + 1,
                        message: format!("a single `{c}` is not an operator"),
                        expected: format!("`{c}{c}`"),
                    });
                }
            }
            c if c.is_alphanumeric() || c == '_' || c == '-' => {
                let mut end = start + c.len_utf8();
                while let Some(&(i, next)) = chars.peek() {
                    if next.is_alphanumeric() || next == '_' || next == '-' {
                        end = i + next.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &text[start..end];
                let kind = match word {
                    "and" | "AND" => TokenKind::And,
                    "or" | "OR" => TokenKind::Or,
                    "not" | "NOT" => TokenKind::Not,
                    _ => TokenKind::Ident(word.to_owned()),
                };
                tokens.push(Token {
                    kind,
                    span: start..end,
                });
            }
            other => {
                return Err(ConditionError {
                    span: start..start + other.len_utf8(),
                    message: format!("unexpected character `{other}`"),
                    expected: "a fact name, `!`, `(`, `)`, `&&` or `||`".into(),
                });
            }
        }
    }
    Ok(tokens)
}

struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    end: usize,
    fact_spans: Vec<(FactId, Range<usize>)>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.peek().map(|t| &t.kind) == Some(kind) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn guard(&self, depth: usize) -> Result<(), ConditionError> {
        if depth > MAX_CONDITION_DEPTH {
            let span = self.peek().map_or(self.end..self.end, |t| t.span.clone());
            return Err(ConditionError {
                span,
                message: format!("conditions nest at most {MAX_CONDITION_DEPTH} deep"),
                expected: "a flatter condition".into(),
            });
        }
        Ok(())
    }

    fn or(&mut self, depth: usize) -> Result<Condition, ConditionError> {
        self.guard(depth)?;
        let mut parts = vec![self.and(depth + 1)?];
        while self.eat(&TokenKind::Or) {
            parts.push(self.and(depth + 1)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Condition::Or(parts)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Condition, ConditionError> {
        self.guard(depth)?;
        let mut parts = vec![self.unary(depth + 1)?];
        while self.eat(&TokenKind::And) {
            parts.push(self.unary(depth + 1)?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Condition::And(parts)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Condition, ConditionError> {
        self.guard(depth)?;
        if self.eat(&TokenKind::Not) {
            return Ok(Condition::Not(Box::new(self.unary(depth + 1)?)));
        }
        let Some(token) = self.peek().cloned() else {
            return Err(ConditionError {
                span: self.end..self.end,
                message: "the condition ends where a fact was expected".into(),
                expected: "a fact name, `true`, `false`, `!` or `(`".into(),
            });
        };
        self.pos += 1;
        match token.kind {
            TokenKind::Ident(word) => match word.as_str() {
                "true" => Ok(Condition::True),
                "false" => Ok(Condition::False),
                _ if is_record_id(&word) => {
                    let fact = FactId::new(&word).map_err(|e| ConditionError {
                        span: token.span.clone(),
                        message: e.to_string(),
                        expected: "a fact name".into(),
                    })?;
                    self.fact_spans.push((fact.clone(), token.span));
                    Ok(Condition::Fact(fact))
                }
                _ => Err(ConditionError {
                    span: token.span,
                    message: format!("`{word}` is not a valid fact name"),
                    expected:
                        "a fact name: lowercase letters, digits and `_`, starting with a letter"
                            .into(),
                }),
            },
            TokenKind::Open => {
                let inner = self.or(depth + 1)?;
                if self.eat(&TokenKind::Close) {
                    Ok(inner)
                } else {
                    let span = self.peek().map_or(self.end..self.end, |t| t.span.clone());
                    Err(ConditionError {
                        span,
                        message: format!(
                            "unclosed `(` (opened at character {})",
                            token.span.start + 1
                        ),
                        expected: "`)`".into(),
                    })
                }
            }
            other => Err(ConditionError {
                span: token.span,
                message: format!("unexpected {}", other.describe()),
                expected: "a fact name, `true`, `false`, `!` or `(`".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn world(trues: &[&str]) -> WorldState {
        let mut w = WorldState::default();
        for t in trues {
            w.set(FactId::new(t).unwrap(), true);
        }
        w
    }

    #[test]
    fn precedence_is_not_then_and_then_or() {
        let c = Condition::parse("a || b && !c").unwrap().condition;
        assert_eq!(c.to_string(), "a || b && !c");
        assert!(c.holds(&world(&["a", "c"])));
        assert!(c.holds(&world(&["b"])));
        assert!(!c.holds(&world(&["b", "c"])));
    }

    #[test]
    fn words_and_symbols_mean_the_same() {
        let words = Condition::parse("not a and (b or c)").unwrap().condition;
        let symbols = Condition::parse("!a && (b || c)").unwrap().condition;
        assert_eq!(words, symbols);
        assert_eq!(symbols.to_string(), "!a && (b || c)");
    }

    #[test]
    fn errors_point_at_the_character() {
        let cases = [
            ("a &&", 4..4),
            ("a & b", 2..3),
            ("(a || b", 7..7),
            ("a b", 2..3),
            ("a || )", 5..6),
            ("a ? b", 2..3),
            ("Us_backstop", 0..11),
            ("", 0..0),
        ];
        for (text, span) in cases {
            let err = Condition::parse(text).unwrap_err();
            assert_eq!(err.span, span, "{text}: {err}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "(".repeat(100_000) + "a" + &")".repeat(100_000);
        assert!(Condition::parse(&text).is_err());
        let text = "!".repeat(100_000) + "a";
        assert!(Condition::parse(&text).is_err());
    }

    #[test]
    fn fact_spans_point_at_each_fact() {
        let parsed = Condition::parse("us_backstop && !un_mandate").unwrap();
        let spans: Vec<_> = parsed
            .fact_spans
            .iter()
            .map(|(f, s)| (f.as_str().to_owned(), s.clone()))
            .collect();
        assert_eq!(
            spans,
            vec![("us_backstop".into(), 0..11), ("un_mandate".into(), 16..26)]
        );
    }

    proptest! {
        #[test]
        fn any_text_parses_or_errors_inside_the_text(text in "\\PC{0,40}") {
            match Condition::parse(&text) {
                Ok(_) => {}
                Err(e) => {
                    prop_assert!(e.span.start <= e.span.end && e.span.end <= text.len());
                    prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                }
            }
        }

        #[test]
        fn condition_soup_never_panics(parts in proptest::collection::vec(
            prop_oneof![Just("a"), Just("b_2"), Just("&&"), Just("||"), Just("!"), Just("("), Just(")"),
                        Just("and"), Just("not"), Just("true"), Just(" "), Just("&"), Just("X")], 0..30)) {
            let text = parts.concat();
            if let Err(e) = Condition::parse(&text) {
                prop_assert!(e.span.end <= text.len());
            }
        }

        #[test]
        fn display_round_trips(parts in proptest::collection::vec(
            prop_oneof![Just("a"), Just("b"), Just("c"), Just(" && "), Just(" || "), Just("!"), Just("("), Just(")")], 1..20)) {
            let text = parts.concat();
            if let Ok(parsed) = Condition::parse(&text) {
                let again = Condition::parse(&parsed.condition.to_string()).unwrap().condition;
                for bits in 0..8u8 {
                    let names: Vec<&str> = ["a", "b", "c"].iter().enumerate()
                        .filter(|(i, _)| bits & (1 << i) != 0).map(|(_, n)| *n).collect();
                    let w = world(&names);
                    prop_assert_eq!(parsed.condition.holds(&w), again.holds(&w));
                }
            }
        }
    }
}
