//! Parsing rule files: pest pairs in, the typed [`ast`](super::ast) out.
//!
//! No pest type leaves this module. Syntax errors are turned into [`RuleError`]s whose
//! message names what was expected in words a reader of the rule file would use.

use super::ast::*;
use super::error::RuleError;
use crate::finding::Severity;
use crate::source::{FileId, Span};
use pest::Parser as _;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/align.pest"]
struct AlignParser;

/// Parses a rule file. Returns the first syntax error (a parse cannot go on past it).
pub fn parse(file: FileId, text: &str) -> Result<RuleFile, RuleError> {
    let mut pairs =
        AlignParser::parse(Rule::file, text).map_err(|e| syntax_error(file, text, 0, e))?;
    let lower = Lower {
        file,
        text,
        base: 0,
    };
    let mut out = RuleFile::default();
    let Some(file_pair) = pairs.next() else {
        return Ok(out);
    };
    for decl in file_pair.into_inner() {
        match decl.as_rule() {
            Rule::pack_decl => {
                let span = lower.span(&decl);
                let mut it = decl.into_inner();
                let _kw = it.next();
                let name = lower.ident_opt(it.next());
                let title = it.next().map(|p| lower.string_text(&p)).unwrap_or_default();
                if let Some(name) = name {
                    out.pack = Some(PackDecl { name, title, span });
                }
            }
            Rule::let_decl => {
                let mut it = decl.into_inner();
                let _kw = it.next();
                if let (Some(name), Some(value)) = (lower.ident_opt(it.next()), it.next()) {
                    out.lets.push(LetDecl {
                        name,
                        value: lower.expr(value)?,
                    });
                }
            }
            Rule::option_decl => {
                let mut it = decl.into_inner();
                let _kw = it.next();
                if let (Some(name), Some(value)) = (lower.ident_opt(it.next()), it.next()) {
                    let span = lower.span(&value);
                    out.options.push(OptionDecl {
                        name,
                        value: lower.literal(value)?,
                        span,
                    });
                }
            }
            Rule::rule_decl => out.rules.push(lower.rule(decl)?),
            _ => {}
        }
    }
    Ok(out)
}

struct Lower<'a> {
    file: FileId,
    text: &'a str,
    /// Offset of the parsed text inside the file (for interpolations).
    base: usize,
}

impl Lower<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_owned(),
            span: self.span(&pair),
        }
    }

    fn ident_opt(&self, pair: Option<Pair<'_, Rule>>) -> Option<Ident> {
        pair.map(|p| self.ident(p))
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Result<RuleDecl, RuleError> {
        let span = self.span(&pair);
        let mut it = pair.into_inner();
        let _kw = it.next();
        let name = self.ident_opt(it.next()).unwrap_or(Ident {
            name: String::new(),
            span,
        });
        let mut rule = RuleDecl {
            name,
            severity: None,
            summary: None,
            doc: None,
            help: None,
            for_clause: None,
            wheres: Vec::new(),
            report: None,
            span,
        };
        for clause in it {
            let clause_span = self.span(&clause);
            let rule_kind = clause.as_rule();
            let mut parts = clause.into_inner();
            let _kw = parts.next();
            let arg = parts.next();
            let duplicate = |what: &str| {
                RuleError::new(
                    clause_span,
                    format!("this rule already has a `{what}` clause"),
                )
                .label("second one")
                .help("keep one; to combine conditions, use several `where` clauses")
            };
            match (rule_kind, arg) {
                (Rule::severity_clause, Some(level)) => {
                    if rule.severity.is_some() {
                        return Err(duplicate("severity"));
                    }
                    let sev = level
                        .as_str()
                        .parse::<Severity>()
                        .unwrap_or(Severity::Warning);
                    rule.severity = Some((sev, self.span(&level)));
                }
                (Rule::summary_clause, Some(s)) => {
                    if rule.summary.is_some() {
                        return Err(duplicate("summary"));
                    }
                    rule.summary = Some(self.string_text(&s));
                }
                (Rule::doc_clause, Some(s)) => {
                    if rule.doc.is_some() {
                        return Err(duplicate("doc"));
                    }
                    rule.doc = Some(match s.as_rule() {
                        Rule::doc_string => {
                            dedent(s.into_inner().next().map(|b| b.as_str()).unwrap_or(""))
                        }
                        _ => self.string_text(&s),
                    });
                }
                (Rule::help_clause, Some(s)) => {
                    if rule.help.is_some() {
                        return Err(duplicate("help"));
                    }
                    rule.help = Some(self.template(&s)?);
                }
                (Rule::for_clause, Some(var)) => {
                    if rule.for_clause.is_some() {
                        return Err(duplicate("for"));
                    }
                    let _in = parts.next();
                    let kind_name = self.ident_opt(parts.next()).unwrap_or(Ident {
                        name: String::new(),
                        span: clause_span,
                    });
                    rule.for_clause = Some(ForClause {
                        var: self.ident(var),
                        kind_name,
                        kind: None,
                    });
                }
                (Rule::where_clause, Some(e)) => rule.wheres.push(self.expr(e)?),
                (Rule::report_clause, Some(first)) => {
                    if rule.report.is_some() {
                        return Err(duplicate("report"));
                    }
                    let (target, message) = match first.as_rule() {
                        Rule::report_target => {
                            let op = first.into_inner().next();
                            let target = match op {
                                Some(op) => Some(self.operand(op)?),
                                None => None,
                            };
                            (target, parts.next())
                        }
                        _ => (None, Some(first)),
                    };
                    let message = match message {
                        Some(m) => self.template(&m)?,
                        None => Template {
                            parts: Vec::new(),
                            span: clause_span,
                        },
                    };
                    rule.report = Some(Report {
                        target,
                        message,
                        span: clause_span,
                    });
                }
                _ => {}
            }
        }
        Ok(rule)
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Result<Expr, RuleError> {
        match pair.as_rule() {
            Rule::expr => match pair.into_inner().next() {
                Some(inner) => self.expr(inner),
                None => Err(RuleError::new(
                    Span::new(self.file, self.base, self.base),
                    "empty condition",
                )),
            },
            Rule::or_expr | Rule::and_expr => {
                let is_or = pair.as_rule() == Rule::or_expr;
                let mut acc: Option<Expr> = None;
                for p in pair.into_inner() {
                    if matches!(p.as_rule(), Rule::kw_or | Rule::kw_and) {
                        continue;
                    }
                    let e = self.expr(p)?;
                    acc = Some(match acc {
                        None => e,
                        Some(prev) if is_or => Expr::Or(Box::new(prev), Box::new(e)),
                        Some(prev) => Expr::And(Box::new(prev), Box::new(e)),
                    });
                }
                acc.ok_or_else(|| {
                    RuleError::new(
                        Span::new(self.file, self.base, self.base),
                        "empty condition",
                    )
                })
            }
            Rule::negation => {
                let span = self.span(&pair);
                let inner = pair.into_inner().find(|p| p.as_rule() != Rule::kw_not);
                match inner {
                    Some(p) => Ok(Expr::Not(Box::new(self.expr(p)?))),
                    None => Err(RuleError::new(span, "`not` needs a condition after it")),
                }
            }
            Rule::quantifier => {
                let span = self.span(&pair);
                let mut it = pair.into_inner();
                let all = it.next().map(|w| w.as_str() == "all").unwrap_or(false);
                let var = it.next().map(|v| self.ident(v));
                let _in = it.next();
                let over = it.next();
                let body = it.next();
                match (var, over, body) {
                    (Some(var), Some(over), Some(body)) => Ok(Expr::Quantifier {
                        all,
                        var,
                        slot: 0,
                        over: self.operand(over)?,
                        body: Box::new(self.expr(body)?),
                        span,
                    }),
                    _ => Err(RuleError::new(span, "incomplete `all`/`any`")),
                }
            }
            Rule::presence => {
                let span = self.span(&pair);
                let mut it = pair.into_inner();
                let negated = it.next().map(|w| w.as_str() == "no").unwrap_or(false);
                match it.next() {
                    Some(v) => Ok(Expr::Presence {
                        negated,
                        value: self.operand(v)?,
                        span,
                    }),
                    None => Err(RuleError::new(span, "`some`/`no` needs a value after it")),
                }
            }
            Rule::operand_test => {
                let span = self.span(&pair);
                let mut it = pair.into_inner();
                let left = match it.next() {
                    Some(l) => self.operand(l)?,
                    None => return Err(RuleError::new(span, "expected a value")),
                };
                let Some(test) = it.next() else {
                    return Ok(Expr::Value(left));
                };
                let rule = test.as_rule();
                let mut t = test.into_inner();
                match rule {
                    Rule::comparison => {
                        let op = match t.next().map(|o| o.as_str()) {
                            Some("==") => CmpOp::Eq,
                            Some("!=") => CmpOp::Ne,
                            Some("<") => CmpOp::Lt,
                            Some("<=") => CmpOp::Le,
                            Some(">") => CmpOp::Gt,
                            _ => CmpOp::Ge,
                        };
                        let right = self.operand_req(t.next(), span)?;
                        Ok(Expr::Compare {
                            op,
                            left,
                            right,
                            span,
                        })
                    }
                    Rule::membership => {
                        let _in = t.next();
                        let right = self.operand_req(t.next(), span)?;
                        Ok(Expr::In { left, right, span })
                    }
                    Rule::has_test => {
                        let _has = t.next();
                        let mode = match t.next().map(|m| m.as_str()) {
                            Some("all") => HasMode::All,
                            Some("no") => HasMode::No,
                            _ => HasMode::Any,
                        };
                        let right = self.operand_req(t.next(), span)?;
                        Ok(Expr::Has {
                            mode,
                            left,
                            right,
                            span,
                        })
                    }
                    _ => {
                        let _kw = t.next();
                        let right = self.operand_req(t.next(), span)?;
                        Ok(Expr::Matches { left, right, span })
                    }
                }
            }
            _ => Err(RuleError::new(self.span(&pair), "expected a condition")),
        }
    }

    fn operand_req(&self, pair: Option<Pair<'_, Rule>>, span: Span) -> Result<Operand, RuleError> {
        match pair {
            Some(p) => self.operand(p),
            None => Err(RuleError::new(span, "expected a value")),
        }
    }

    fn operand(&self, pair: Pair<'_, Rule>) -> Result<Operand, RuleError> {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::operand => {
                let mut it = pair.into_inner();
                let mut acc = match it.next() {
                    Some(t) => self.operand(t)?,
                    None => return Err(RuleError::new(span, "expected a value")),
                };
                while let (Some(op), Some(t)) = (it.next(), it.next()) {
                    let right = self.operand(t)?;
                    let whole = acc.span().to(right.span());
                    acc = Operand::Arith {
                        left: Box::new(acc),
                        minus: op.as_str() == "-",
                        right: Box::new(right),
                        span: whole,
                    };
                }
                Ok(acc)
            }
            Rule::paren => match pair.into_inner().next() {
                Some(e) => {
                    let e = self.expr(e)?;
                    Ok(match e {
                        Expr::Value(op) => op,
                        other => Operand::Paren(Box::new(other), span),
                    })
                }
                None => Err(RuleError::new(span, "empty parentheses")),
            },
            Rule::call => {
                let mut it = pair.into_inner();
                let name = self.ident_opt(it.next()).unwrap_or(Ident {
                    name: String::new(),
                    span,
                });
                let mut args = Vec::new();
                for a in it {
                    args.push(self.expr(a)?);
                }
                Ok(Operand::Call(Call { name, args, span }))
            }
            Rule::path => {
                let mut it = pair.into_inner().peekable();
                let mut root = PathRoot::Unresolved;
                let root_name = match it.next() {
                    Some(first) if first.as_rule() == Rule::call => {
                        let call = self.operand(first)?;
                        let Operand::Call(call) = call else {
                            return Ok(call);
                        };
                        if it.peek().is_none() {
                            return Ok(Operand::Call(call));
                        }
                        let name = call.name.clone();
                        root = PathRoot::Call(Box::new(call));
                        name
                    }
                    Some(first) => self.ident(first),
                    None => Ident {
                        name: String::new(),
                        span,
                    },
                };
                let mut steps = Vec::new();
                for step in it {
                    match step.as_rule() {
                        Rule::field_step => {
                            if let Some(id) = step.into_inner().next() {
                                steps.push(Step::Field(self.ident(id)));
                            }
                        }
                        _ => {
                            if let Some(e) = step.into_inner().next() {
                                steps.push(Step::Filter(Box::new(self.expr(e)?)));
                            }
                        }
                    }
                }
                Ok(Operand::Path(Path {
                    root_name,
                    root,
                    steps,
                    span,
                }))
            }
            _ => Ok(Operand::Literal(self.literal(pair)?, span)),
        }
    }

    fn literal(&self, pair: Pair<'_, Rule>) -> Result<Literal, RuleError> {
        let span = self.span(&pair);
        let text = pair.as_str();
        match pair.as_rule() {
            Rule::number => text
                .parse::<f64>()
                .map(Literal::Number)
                .map_err(|_| RuleError::new(span, "this number is too large")),
            Rule::boolean => Ok(Literal::Bool(text == "true")),
            Rule::date => super::time::parse_date(text)
                .map(|d| Literal::Date(d.0))
                .ok_or_else(|| {
                    RuleError::new(span, format!("`{text}` is not a calendar date"))
                        .help("write dates as YYYY-MM-DD")
                }),
            Rule::duration => {
                let mut it = pair.into_inner();
                let n = it
                    .next()
                    .and_then(|n| n.as_str().parse::<f64>().ok())
                    .unwrap_or(0.0);
                let unit = it.next().map(|u| u.as_str()).unwrap_or("days");
                Ok(Literal::Duration(
                    n * super::time::unit_days(unit).unwrap_or(1.0),
                ))
            }
            Rule::string => Ok(Literal::Text(self.string_text(&pair))),
            Rule::regex => {
                let mut it = pair.into_inner();
                let body = it
                    .next()
                    .map(|b| b.as_str().replace("\\/", "/"))
                    .unwrap_or_default();
                let flags = it.next().map(|f| f.as_str().to_owned()).unwrap_or_default();
                Ok(Literal::Regex(body, flags))
            }
            Rule::list => {
                let mut items = Vec::new();
                for p in pair.into_inner() {
                    items.push(self.literal(p)?);
                }
                Ok(Literal::List(items))
            }
            _ => Err(RuleError::new(span, "expected a literal value")),
        }
    }

    /// The decoded text of a string literal (escapes resolved).
    fn string_text(&self, pair: &Pair<'_, Rule>) -> String {
        let body = pair
            .clone()
            .into_inner()
            .next()
            .map(|b| b.as_str())
            .unwrap_or("");
        unescape(body)
    }

    /// A string literal with `{...}` interpolations.
    fn template(&self, pair: &Pair<'_, Rule>) -> Result<Template, RuleError> {
        let span = self.span(pair);
        let Some(body) = pair.clone().into_inner().next() else {
            return Ok(Template {
                parts: Vec::new(),
                span,
            });
        };
        let body_start = self.base + body.as_span().start();
        let raw = body.as_str();
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut chars = raw.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        text.push(unescape_char(n));
                    }
                }
                '{' => {
                    let rest = raw.get(i + 1..).unwrap_or("");
                    let Some(close) = rest.find('}') else {
                        return Err(RuleError::new(
                            Span::new(self.file, body_start + i, body_start + i + 1),
                            "this `{` is never closed",
                        )
                        .help("close it with `}`, or write `\\{` for a literal brace"));
                    };
                    let inner = rest.get(..close).unwrap_or("");
                    let inner_start = body_start + i + 1;
                    let sub = Lower {
                        file: self.file,
                        text: self.text,
                        base: inner_start,
                    };
                    let op = match AlignParser::parse(Rule::interpolation, inner) {
                        Ok(mut pairs) => {
                            let op = pairs
                                .next()
                                .and_then(|p| p.into_inner().next())
                                .ok_or_else(|| {
                                    RuleError::new(
                                        Span::new(self.file, inner_start, inner_start + close),
                                        "expected a value inside `{ }`",
                                    )
                                })?;
                            sub.operand(op)?
                        }
                        Err(e) => return Err(syntax_error(self.file, inner, inner_start, e)),
                    };
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(TemplatePart::Value(op));
                    for _ in 0..inner.chars().count() + 1 {
                        chars.next();
                    }
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            parts.push(TemplatePart::Text(text));
        }
        let _ = self.text;
        Ok(Template { parts, span })
    }
}

fn unescape_char(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        other => other,
    }
}

fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(unescape_char(n));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes the indentation common to every non-blank line of a `"""` text, and the blank
/// first and last lines.
fn dedent(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .map(|l| l.get(indent..).unwrap_or_else(|| l.trim_start()))
        .collect();
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// What a grammar rule is called in an error message.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::pack_decl | Rule::kw_pack => "`pack`",
        Rule::let_decl | Rule::kw_let => "`let`",
        Rule::option_decl | Rule::kw_option => "`option`",
        Rule::rule_decl | Rule::kw_rule => "`rule`",
        Rule::severity_clause | Rule::kw_severity => "`severity`",
        Rule::severity_level => "a severity (error, warning or info)",
        Rule::summary_clause | Rule::kw_summary => "`summary`",
        Rule::doc_clause | Rule::kw_doc => "`doc`",
        Rule::help_clause | Rule::kw_help => "`help`",
        Rule::for_clause | Rule::kw_for => "`for`",
        Rule::where_clause | Rule::kw_where => "`where`",
        Rule::report_clause | Rule::kw_report => "`report`",
        Rule::kw_in | Rule::membership => "`in`",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_not | Rule::negation => "`not`",
        Rule::kw_has | Rule::has_test => "`has`",
        Rule::has_mode => "`any`, `all` or `no` (after `has`)",
        Rule::kw_matches | Rule::matches_test => "`matches`",
        Rule::quantifier | Rule::quant_word => "`all`/`any`",
        Rule::presence | Rule::presence_word => "`some`/`no`",
        Rule::comparison | Rule::cmp_op => "a comparison (==, !=, <, <=, >, >=)",
        Rule::arith_op => "`+` or `-`",
        Rule::expr | Rule::or_expr | Rule::and_expr | Rule::operand_test => "a condition",
        Rule::operand | Rule::report_target | Rule::paren => "a value",
        Rule::call | Rule::call_name => "a function call",
        Rule::path | Rule::ident => "a name",
        Rule::rule_name => "a rule name",
        Rule::field_step => "`.field`",
        Rule::filter_step => "`[condition]`",
        Rule::string | Rule::string_body => "a quoted text",
        Rule::doc_string | Rule::doc_body => "a \"\"\"text\"\"\"",
        Rule::number => "a number",
        Rule::date => "a date",
        Rule::duration | Rule::duration_unit => "a duration (like 365 days)",
        Rule::boolean => "true or false",
        Rule::regex | Rule::regex_body | Rule::regex_flags => "a /pattern/",
        Rule::list => "a list",
        _ => return None,
    })
}

fn syntax_error(file: FileId, text: &str, base: usize, e: pest::error::Error<Rule>) -> RuleError {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let found = text.get(start..).and_then(|rest| {
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace())
            .take(24)
            .collect();
        if word.is_empty() { None } else { Some(word) }
    });
    let end = if end > start {
        end
    } else {
        start
            + found
                .as_deref()
                .map(|w| w.chars().next().map(char::len_utf8).unwrap_or(0))
                .unwrap_or(0)
    };
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            words.sort_unstable();
            words.dedup();
            words
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let expected_text = match expected.len() {
        0 => String::new(),
        1 => expected[0].to_owned(),
        n => format!("{} or {}", expected[..n - 1].join(", "), expected[n - 1]),
    };
    let message = match (&found, expected_text.is_empty()) {
        (Some(f), false) => format!("expected {expected_text}, found `{f}`"),
        (None, false) => format!("expected {expected_text}, but the text ends here"),
        (Some(f), true) => format!("unexpected `{f}`"),
        (None, true) => "unexpected end of the file".to_owned(),
    };
    let mut err = RuleError::new(Span::new(file, base + start, base + end), message).label(
        if expected_text.is_empty() {
            "here".to_owned()
        } else {
            format!("expected {expected_text}")
        },
    );
    if let Some(f) = &found {
        if f.starts_with('\'') {
            err = err.help("texts are written in double quotes: \"like this\"");
        } else if f.starts_with("&&") || f.starts_with("||") {
            err = err.help("write `and` / `or` in words");
        } else if f.starts_with('=') && !f.starts_with("==") {
            err = err.help("compare with `==`");
        }
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(src: &str) -> RuleFile {
        match parse(FileId(0), src) {
            Ok(f) => f,
            Err(e) => panic!("parse failed: {} at {:?}", e.message, e.span),
        }
    }

    #[test]
    fn parses_the_specification_example() {
        let f = parse_ok(
            r#"
pack listening "Propositions rest on what customers said"
let absolute = words("guaranteed", "always", "100%")
option stale_days = 730
rule proposition-without-evidence {
  severity error
  summary "Proposition has no customer evidence"
  doc """
    Real marketing starts with listening.
  """
  for p in propositions
  where no p.evidence and no p.needs.evidence
  report p.statement "proposition `{p.id}` has no customer evidence"
  help "link evidence whose `supports` lists one of: {p.needs}"
}
"#,
        );
        assert_eq!(
            f.pack.as_ref().map(|p| p.name.name.as_str()),
            Some("listening")
        );
        assert_eq!(f.lets.len(), 1);
        assert_eq!(f.options.len(), 1);
        let r = &f.rules[0];
        assert_eq!(r.name.name, "proposition-without-evidence");
        assert_eq!(
            r.doc.as_deref(),
            Some("Real marketing starts with listening.")
        );
        assert_eq!(r.wheres.len(), 1);
        assert!(matches!(r.wheres[0], Expr::And(..)));
        let report = r.report.as_ref().expect("report");
        assert!(report.target.is_some());
        assert_eq!(report.message.parts.len(), 3);
    }

    #[test]
    fn syntax_errors_say_what_was_expected() {
        let err = parse(
            FileId(0),
            "rule r {\n  for p in propositions\n  where p.x = 3\n}\n",
        )
        .expect_err("invalid");
        assert!(err.message.contains("expected"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("compare with `==`"));
    }

    #[test]
    fn report_without_target() {
        let f = parse_ok("rule r { for m in messages report \"x {m.id}\" }");
        let report = f.rules[0].report.as_ref().expect("report");
        assert!(report.target.is_none());
    }

    #[test]
    fn durations_dates_and_arithmetic() {
        let f = parse_ok(
            "rule r { for e in evidence where e.date < today - 2 years and e.date > 2020-01-01 }",
        );
        assert_eq!(f.rules[0].wheres.len(), 1);
    }
}
