//! Parsing rule files: pest pairs in, the typed [`ast`](super::ast) out.
//!
//! No pest type leaves this module. Syntax errors are turned into [`RuleError`]s whose
//! message names what was expected in words a reader of the rule file would use.

use super::ast::*;
use super::depth::{MAX_TREE_DEPTH, nesting_error, too_deep};
use super::error::RuleError;
use crate::finding::Severity;
use crate::source::{FileId, Span};
use pest::Parser as _;
use pest::iterators::Pair;
use std::cell::Cell;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/align.pest"]
struct AlignParser;

/// Parses a rule file. Returns the first error; [`parse_all`] returns every one.
pub(crate) fn parse(file: FileId, text: &str) -> Result<RuleFile, RuleError> {
    let (ast, errors) = parse_all(file, text);
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(ast),
    }
}

/// Parses a rule file, going on after a mistake: each top-level declaration (`pack`, `let`,
/// `option`, `rule`) is parsed on its own, so a mistake in one rule does not hide the
/// mistakes in the next. Returns what could be parsed and every error, in file order.
///
/// A `let` that does not parse is kept as an empty value, and the name of a `fn` that does not
/// parse is kept, so the rules that use them are not also reported as using an unknown name.
pub(crate) fn parse_all(file: FileId, text: &str) -> (RuleFile, Vec<RuleError>) {
    pest::set_error_detail(true);
    let mut out = RuleFile::default();
    let mut errors = Vec::new();
    let starts = declaration_starts(text);
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let Some(chunk) = text.get(start..end) else {
            continue;
        };
        let lower = Lower {
            file,
            text,
            base: start,
            depth: Cell::new(0),
        };
        // A declaration nested deeper than pest (and everything after it) should recurse is
        // reported without being parsed.
        let parsed = match too_deep(chunk) {
            Some((at, len)) => Err(nesting_error(file, start + at, start + at + len)),
            None => AlignParser::parse(Rule::file, chunk)
                .map_err(|e| syntax_error(file, text, start, e)),
        };
        match parsed {
            Ok(mut pairs) => {
                if let Some(file_pair) = pairs.next() {
                    lower.declarations(file_pair, &mut out, &mut errors);
                }
            }
            Err(e) => {
                errors.push(e);
                if let Some((_, name)) = broken_name(chunk, "fn") {
                    out.broken_functions.push(name);
                }
                if let Some(name) = broken_name(chunk, "let") {
                    let span = Span::new(file, start + name.0, start + name.0 + name.1.len());
                    out.lets.push(LetDecl {
                        name: Ident { name: name.1, span },
                        value: Expr::Value(Operand::Literal(Literal::List(Vec::new()), span)),
                    });
                }
            }
        }
    }
    (out, errors)
}

/// The name declared by a `let` (or `fn`: `keyword`) declaration that did not parse, with its
/// offset in the chunk.
fn broken_name(chunk: &str, keyword: &str) -> Option<(usize, String)> {
    let at = chunk.find(keyword)?;
    let before = chunk.get(..at)?;
    if !before.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    }) {
        return None;
    }
    let rest = chunk.get(at + keyword.len()..)?;
    let skipped = rest.len() - rest.trim_start().len();
    let name: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty() && skipped > 0).then(|| (at + keyword.len() + skipped, name))
}

/// Byte offsets where top-level declarations may start: the start of the file, and every
/// line whose first word is `pack`, `let`, `option`, `fn` or `rule`, outside texts and comments.
/// These words cannot appear at the start of a line inside a declaration (they are
/// reserved), so a missing `}` or a broken condition stays inside its own declaration.
fn declaration_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut line_start = true;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'"' if text.get(i..).is_some_and(|r| r.starts_with("\"\"\"")) => {
                line_start = false;
                i += 3;
                match text.get(i..).and_then(|r| r.find("\"\"\"")) {
                    Some(close) => i += close + 3,
                    None => i = bytes.len(),
                }
            }
            b'"' => {
                line_start = false;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b'\n' => break,
                        _ => i += 1,
                    }
                }
            }
            _ => {
                if line_start && i > 0 {
                    let word_end = bytes
                        .get(i..)
                        .and_then(|r| {
                            r.iter().position(|c| {
                                !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
                            })
                        })
                        .map_or(bytes.len(), |n| i + n);
                    if matches!(
                        text.get(i..word_end),
                        Some("pack" | "let" | "option" | "fn" | "rule")
                    ) {
                        starts.push(i);
                    }
                }
                line_start = false;
                i += 1;
            }
        }
    }
    starts
}

struct Lower<'a> {
    file: FileId,
    text: &'a str,
    /// Offset of the parsed text inside the file (for interpolations).
    base: usize,
    /// Levels of the syntax tree above the one being lowered (see [`Lower::nest`]).
    depth: Cell<usize>,
}

/// One level of the syntax tree being lowered; the level is given back when it is dropped.
struct Level<'a> {
    depth: &'a Cell<usize>,
    levels: usize,
}

impl Drop for Level<'_> {
    fn drop(&mut self) {
        self.depth.set(self.depth.get().saturating_sub(self.levels));
    }
}

impl Lower<'_> {
    /// Goes `levels` deeper into the syntax tree, or fails at `span` past
    /// [`MAX_TREE_DEPTH`], so that checking and evaluating the tree cannot exhaust the stack.
    fn nest(&self, levels: usize, span: Span) -> Result<Level<'_>, RuleError> {
        let depth = self.depth.get().saturating_add(levels);
        if depth > MAX_TREE_DEPTH {
            return Err(RuleError::new(
                span,
                format!(
                    "this is nested more than {MAX_TREE_DEPTH} levels deep (counting every \
                     `+` and `-` of a chain), more than align reads"
                ),
            )
            .label("too deep")
            .help(
                "split it: give parts of it names with `let`, or write several `where` \
                 clauses (they must all hold)",
            ));
        }
        self.depth.set(depth);
        Ok(Level {
            depth: &self.depth,
            levels,
        })
    }

    /// Lowers the declarations of a parsed chunk into `out`.
    fn declarations(
        &self,
        file_pair: Pair<'_, Rule>,
        out: &mut RuleFile,
        errors: &mut Vec<RuleError>,
    ) {
        for decl in file_pair.into_inner() {
            match decl.as_rule() {
                Rule::pack_decl => {
                    let mut it = decl.into_inner();
                    let _kw = it.next();
                    let name = self.ident_opt(it.next());
                    if let Some(name) = name {
                        if let Some(first) = &out.pack {
                            errors.push(
                                RuleError::new(name.span, "this file already names its pack")
                                    .label("second `pack`")
                                    .help(format!(
                                        "a file holds one pack; keep `pack {}` or move these rules to a file of their own",
                                        first.name.name
                                    )),
                            );
                        } else {
                            out.pack = Some(PackDecl { name });
                        }
                    }
                }
                Rule::let_decl => {
                    let mut it = decl.into_inner();
                    let _kw = it.next();
                    if let (Some(name), Some(value)) = (self.ident_opt(it.next()), it.next()) {
                        let span = name.span;
                        let value = self.expr(value).unwrap_or_else(|e| {
                            errors.push(e);
                            Expr::Value(Operand::Literal(Literal::List(Vec::new()), span))
                        });
                        out.lets.push(LetDecl { name, value });
                    }
                }
                Rule::option_decl => {
                    let mut it = decl.into_inner();
                    let _kw = it.next();
                    if let (Some(name), Some(value)) = (self.ident_opt(it.next()), it.next()) {
                        match self.literal(value) {
                            Ok(value) => out.options.push(OptionDecl { name, value }),
                            Err(e) => errors.push(e),
                        }
                    }
                }
                Rule::fn_decl => match self.function(decl) {
                    Ok(f) => out.functions.push(f),
                    Err(e) => errors.push(e),
                },
                Rule::rule_decl => {
                    if let Some(rule) = self.rule(decl, errors) {
                        out.rules.push(rule);
                    }
                }
                _ => {}
            }
        }
    }

    /// The span of a pair, without the whitespace and comments the grammar lets trail it.
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        let mut text = s.as_str().trim_end();
        // Trailing `# comments` (not inside a """text""", where `#` starts a heading).
        while !text.contains("\"\"\"") {
            let last_line_start = text.rfind('\n').map_or(0, |i| i + 1);
            let last_line = text.get(last_line_start..).unwrap_or("");
            let code = strip_comment(last_line);
            if code.len() == last_line.len() {
                break;
            }
            text = text
                .get(..last_line_start + code.len())
                .unwrap_or("")
                .trim_end();
        }
        let end = if text.is_empty() {
            s.end()
        } else {
            s.start() + text.len()
        };
        Span::new(self.file, self.base + s.start(), self.base + end)
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

    /// Lowers a `fn` declaration.
    fn function(&self, pair: Pair<'_, Rule>) -> Result<FnDecl, RuleError> {
        let span = self.span(&pair);
        let mut name = None;
        let mut params = Vec::new();
        let mut body = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::ident => name = Some(self.ident(part)),
                Rule::fn_param => {
                    let mut it = part.into_inner().filter(|p| p.as_rule() == Rule::ident);
                    if let Some(param) = it.next() {
                        params.push(FnParam {
                            name: self.ident(param),
                            kind_name: it.next().map(|k| self.ident(k)),
                            kind: None,
                        });
                    }
                }
                Rule::expr => body = Some(self.expr(part)?),
                _ => {}
            }
        }
        match (name, body) {
            (Some(name), Some(body)) => Ok(FnDecl { name, params, body }),
            _ => Err(RuleError::new(span, "incomplete `fn`")),
        }
    }

    /// Lowers a rule; its mistakes (a clause given twice, a bad value) go to `errors`.
    fn rule(&self, pair: Pair<'_, Rule>, errors: &mut Vec<RuleError>) -> Option<RuleDecl> {
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
            arms: Vec::new(),
        };
        // The arm the clauses go to: a `for` after the first starts another.
        let mut arm = Arm::default();
        for clause in it {
            let clause_span = self.span(&clause);
            let rule_kind = clause.as_rule();
            let keyword_span = clause
                .clone()
                .into_inner()
                .next()
                .map(|k| self.span(&k))
                .unwrap_or(clause_span);
            let mut parts = clause.into_inner();
            let _kw = parts.next();
            let arg = parts.next();
            let duplicate = |what: &str| {
                let err = RuleError::new(
                    keyword_span,
                    format!("this rule already has a `{what}` clause"),
                )
                .label("second one");
                match what {
                    "report" => err.help("a rule reports one thing for each `for`; to report something else, write a second rule"),
                    _ => err.help("keep one"),
                }
            };
            match (rule_kind, arg) {
                (Rule::severity_clause, Some(level)) => {
                    if rule.severity.is_some() {
                        errors.push(duplicate("severity"));
                        continue;
                    }
                    let sev = level
                        .as_str()
                        .parse::<Severity>()
                        .unwrap_or(Severity::Warning);
                    rule.severity = Some((sev, self.span(&level)));
                }
                (Rule::summary_clause, Some(s)) => {
                    if rule.summary.is_some() {
                        errors.push(duplicate("summary"));
                        continue;
                    }
                    rule.summary = Some(self.string_text(&s));
                }
                (Rule::doc_clause, Some(s)) => {
                    if rule.doc.is_some() {
                        errors.push(duplicate("doc"));
                        continue;
                    }
                    rule.doc = Some(match s.as_rule() {
                        Rule::doc_string => {
                            dedent(s.into_inner().next().map(|b| b.as_str()).unwrap_or(""))
                        }
                        _ => self.string_text(&s),
                    });
                }
                (Rule::help_clause, Some(s)) => {
                    if arm.help.is_some() {
                        errors.push(duplicate("help"));
                        continue;
                    }
                    match self.template(&s) {
                        Ok(t) => arm.help = Some(t),
                        Err(e) => errors.push(e),
                    }
                }
                (Rule::for_clause, Some(var)) => {
                    if arm.for_clause.is_some() {
                        rule.arms.push(std::mem::take(&mut arm));
                    }
                    let _in = parts.next();
                    let kind_name = self.ident_opt(parts.next()).unwrap_or(Ident {
                        name: String::new(),
                        span: clause_span,
                    });
                    arm.for_clause = Some(ForClause {
                        var: self.ident(var),
                        kind_name,
                        kind: None,
                    });
                }
                (Rule::where_clause, Some(e)) => match self.expr(e) {
                    Ok(e) => arm.wheres.push(e),
                    Err(e) => errors.push(e),
                },
                (Rule::report_clause, Some(first)) => {
                    if arm.report.is_some() {
                        errors.push(duplicate("report"));
                        continue;
                    }
                    let (target, message) = match first.as_rule() {
                        Rule::report_target => {
                            let op = first.into_inner().next();
                            let target = match op.map(|op| self.operand(op)) {
                                Some(Ok(t)) => Some(t),
                                Some(Err(e)) => {
                                    errors.push(e);
                                    None
                                }
                                None => None,
                            };
                            (target, parts.next())
                        }
                        _ => (None, Some(first)),
                    };
                    let message = match message.map(|m| self.template(&m)) {
                        Some(Ok(t)) => t,
                        Some(Err(e)) => {
                            errors.push(e);
                            Template { parts: Vec::new() }
                        }
                        None => Template { parts: Vec::new() },
                    };
                    arm.report = Some(Report { target, message });
                }
                _ => {}
            }
        }
        rule.arms.push(arm);
        Some(rule)
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
                let span = self.span(&pair);
                let parts: Vec<Pair<'_, Rule>> = pair
                    .into_inner()
                    .filter(|p| !matches!(p.as_rule(), Rule::kw_or | Rule::kw_and))
                    .collect();
                // A chain is built as a balanced tree, as deep as the log of its length:
                // `and` and `or` are associative, and the order of evaluation is kept.
                let _level = self.nest(chain_depth(parts.len()), span)?;
                let mut terms = Vec::with_capacity(parts.len());
                for p in parts {
                    terms.push(self.expr(p)?);
                }
                balanced(terms, is_or).ok_or_else(|| {
                    RuleError::new(
                        Span::new(self.file, self.base, self.base),
                        "empty condition",
                    )
                })
            }
            Rule::negation => {
                let span = self.span(&pair);
                let _level = self.nest(1, span)?;
                let inner = pair.into_inner().find(|p| p.as_rule() != Rule::kw_not);
                match inner {
                    Some(p) => Ok(Expr::Not(Box::new(self.expr(p)?))),
                    None => Err(RuleError::new(span, "`not` needs a condition after it")),
                }
            }
            Rule::quantifier => {
                let span = self.span(&pair);
                let _level = self.nest(1, span)?;
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
                // `a + b + c` is built leaning left, one level per `+` or `-`.
                let _level = self.nest(it.len() / 2, span)?;
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
                    let _level = self.nest(1, span)?;
                    let e = self.expr(e)?;
                    Ok(match e {
                        Expr::Value(op) => op,
                        other => Operand::Paren(Box::new(other), span),
                    })
                }
                None => Err(RuleError::new(span, "empty parentheses")),
            },
            Rule::conditional => {
                let _level = self.nest(1, span)?;
                let mut parts = pair.into_inner().filter(|p| p.as_rule() == Rule::expr);
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(c), Some(t), Some(o)) => Ok(Operand::If {
                        cond: Box::new(self.expr(c)?),
                        then: Box::new(self.expr(t)?),
                        otherwise: Box::new(self.expr(o)?),
                        span,
                    }),
                    _ => Err(RuleError::new(
                        span,
                        "incomplete `if ... then ... else ...`",
                    )),
                }
            }
            Rule::call => {
                let mut it = pair.into_inner();
                let name = self.ident_opt(it.next()).unwrap_or(Ident {
                    name: String::new(),
                    span,
                });
                let _level = self.nest(1, span)?;
                let mut args = Vec::new();
                for a in it {
                    args.push(self.expr(a)?);
                }
                Ok(Operand::Call(Call {
                    name,
                    args,
                    span,
                    builtin: None,
                    function: None,
                }))
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
                            let _level = self.nest(1, self.span(&step))?;
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
            Rule::date => crate::date::parse_date(text)
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
                    n * crate::date::unit_days(unit).unwrap_or(1.0),
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
        let Some(body) = pair.clone().into_inner().next() else {
            return Ok(Template { parts: Vec::new() });
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
                        depth: Cell::new(self.depth.get()),
                    };
                    if let Some((at, len)) = too_deep(inner) {
                        return Err(nesting_error(
                            self.file,
                            inner_start + at,
                            inner_start + at + len,
                        ));
                    }
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
                        Err(e) => return Err(syntax_error(self.file, self.text, inner_start, e)),
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
        Ok(Template { parts })
    }
}

/// The levels a balanced tree of `n` terms adds: the log of `n`, rounded up.
fn chain_depth(n: usize) -> usize {
    n.max(1).next_power_of_two().trailing_zeros() as usize
}

/// `terms` joined by `and` (or `or`) as a balanced tree, first term leftmost.
fn balanced(mut terms: Vec<Expr>, is_or: bool) -> Option<Expr> {
    if terms.len() <= 1 {
        return terms.pop();
    }
    let right = terms.split_off(terms.len() / 2);
    let (a, b) = (balanced(terms, is_or)?, balanced(right, is_or)?);
    Some(if is_or {
        Expr::Or(Box::new(a), Box::new(b))
    } else {
        Expr::And(Box::new(a), Box::new(b))
    })
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
        Rule::fn_decl | Rule::kw_fn => "`fn`",
        Rule::fn_param => "a parameter name",
        Rule::conditional | Rule::kw_if => "`if`",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
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

/// The byte range of the last word written in `text[from..to]`, skipping whitespace and
/// comments.
fn last_token(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let part = text.get(from..to)?;
    let mut last: Option<(usize, usize)> = None;
    let mut offset = 0;
    for line in part.split_inclusive('\n') {
        let code = strip_comment(line);
        let trimmed = code.trim_end();
        if !trimmed.trim_start().is_empty() {
            let end = offset + trimmed.len();
            let word_start = trimmed
                .char_indices()
                .rev()
                .take_while(|(_, c)| !c.is_whitespace())
                .last()
                .map_or(trimmed.len(), |(i, _)| i);
            last = Some((from + offset + word_start, from + end));
        }
        offset += line.len();
    }
    last
}

/// A line without its `# comment` (a `#` inside a quoted text is kept).
fn strip_comment(line: &str) -> &str {
    let mut in_text = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            '\\' if in_text && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_text = !in_text,
            '#' if !in_text => return line.get(..i).unwrap_or(line),
            _ => {}
        }
        escaped = false;
    }
    line
}

/// Shortens a list of expected things into what a reader needs: the ways to start a
/// condition become "a condition", clause keywords "another clause", and the ways to
/// continue a value are left out when something else was expected too.
fn summarize(expected: Vec<&'static str>) -> Vec<&'static str> {
    const STARTS: &[&str] = &[
        "`not`",
        "`some`/`no`",
        "`all`/`any`",
        "a value",
        "a name",
        "a function call",
        "a condition",
        "a quoted text",
        "a number",
        "a date",
        "a duration (like 365 days)",
        "true or false",
        "a /pattern/",
        "a list",
        "`(`",
        "`if`",
    ];
    const CLAUSES: &[&str] = &[
        "`severity`",
        "`summary`",
        "`doc`",
        "`help`",
        "`for`",
        "`where`",
        "`report`",
    ];
    const CONTINUE: &[&str] = &["`.field`", "`[condition]`", "`+` or `-`"];
    const TESTS: &[&str] = &[
        "a comparison (==, !=, <, <=, >, >=)",
        "`has`",
        "`in`",
        "`matches`",
    ];
    let has = |w: &str| expected.contains(&w);
    let mut out: Vec<&'static str> = Vec::new();
    let condition = has("`not`") || has("`some`/`no`") || has("`all`/`any`");
    let starts = expected.iter().filter(|w| STARTS.contains(w)).count();
    if condition {
        out.push("a condition");
    } else if starts > 2 {
        out.push("a value");
    }
    let clauses = expected.iter().filter(|w| CLAUSES.contains(w)).count();
    let tests = expected.iter().filter(|w| TESTS.contains(w)).count();
    for w in &expected {
        let keep = !(condition || starts > 2) || !STARTS.contains(w);
        let keep = keep && !(clauses > 2 && CLAUSES.contains(w));
        let keep = keep && !(tests > 1 && TESTS.contains(w));
        if keep && !CONTINUE.contains(w) && !out.contains(w) {
            out.push(w);
        }
    }
    if tests > 1 {
        out.insert(
            0,
            "a comparison (==, !=, <, <=, >, >=), `has`, `in`, `matches`",
        );
    }
    if clauses > 2 {
        out.push(if out.len() > 2 {
            "another clause"
        } else {
            "another clause (for, where, report, severity, summary, doc, help)"
        });
    }
    if out.is_empty() {
        out = expected
            .iter()
            .copied()
            .filter(|w| CONTINUE.contains(w))
            .collect();
    }
    // The end of a rule reads best last.
    if let Some(i) = out.iter().position(|w| w.starts_with("`}`")) {
        let w = out.remove(i);
        out.push(w);
    }
    out
}

/// What a punctuation mark is called in an error message.
fn describe_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "{" => "`{`",
        "}" => "`}` (the end of the rule)",
        "(" => "`(`",
        ")" => "`)`",
        "]" => "`]`",
        "," => "`,`",
        ":" => "`:`",
        "=" => "`=`",
        "\"" => "a quoted text",
        "\"\"\"" => "a \"\"\"text\"\"\"",
        "/" => "a /pattern/",
        _ => return None,
    })
}

/// A syntax error located in the whole file: `text` is the file, `base` the offset of the
/// parsed part (a declaration, or the inside of a `{...}` in a report).
fn syntax_error(file: FileId, text: &str, base: usize, e: pest::error::Error<Rule>) -> RuleError {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let (start, end) = (base + start, base + end);
    let found = text.get(start..).and_then(|rest| {
        let first = rest.chars().next()?;
        let word: String = if first.is_alphanumeric() || first == '_' {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .take(24)
                .collect()
        } else {
            rest.chars()
                .take_while(|c| !c.is_whitespace() && !c.is_alphanumeric())
                .take(3)
                .collect()
        };
        if word.is_empty() { None } else { Some(word) }
    });
    let end = if end > start {
        end
    } else {
        start + found.as_deref().map(str::len).unwrap_or(0)
    };
    let mut expected: Vec<&str> = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    if let Some(attempts) = e.parse_attempts() {
        if base + attempts.max_position == start {
            for token in attempts.expected_tokens() {
                // Literal punctuation is shown as written (the type is not exported).
                if let Some(d) = describe_token(&token.to_string()) {
                    expected.push(d);
                }
            }
        }
    }
    expected.sort_unstable();
    expected.dedup();
    // The end of a chunk is the start of the next declaration, not the end of the file.
    let at_end_of_text = text.get(start..).is_none_or(|r| r.trim().is_empty());
    if !at_end_of_text {
        expected.retain(|w| *w != "the end of the file");
    }
    // Stopped at the next declaration (or the end of the file): something is not closed.
    // Point just after the last thing written, and name the closing marks first.
    let unfinished = at_end_of_text
        || text.get(start..).is_some_and(|r| {
            let word: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
            matches!(word.as_str(), "rule" | "let" | "option" | "pack")
        });
    let mut start = start;
    let mut end = end;
    let mut found = found;
    let mut after_last = false;
    if unfinished && start > base {
        let closers: Vec<&str> = expected
            .iter()
            .copied()
            .filter(|w| w.starts_with("`)`") || w.starts_with("`]`") || w.starts_with("`}`"))
            .collect();
        if !closers.is_empty() {
            expected = closers;
        }
        if let Some((a, b)) = last_token(text, base, start) {
            start = a;
            end = b;
            found = text.get(a..b).map(str::to_owned);
            after_last = true;
        }
    }
    let expected = summarize(expected);
    let expected_text = match expected.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    };
    let message = match (&found, expected_text.is_empty()) {
        (Some(f), false) if after_last => format!("expected {expected_text} after `{f}`"),
        (Some(f), false) => format!("expected {expected_text}, found `{f}`"),
        (None, false) => format!("expected {expected_text}, but the file ends here"),
        (Some(f), true) => format!("unexpected `{f}`"),
        (None, true) => "unexpected end of the file".to_owned(),
    };
    let mut err =
        RuleError::new(Span::new(file, start, end), message).label(if expected_text.is_empty() {
            "here".to_owned()
        } else if after_last {
            format!("expected {expected_text} after this")
        } else {
            format!("expected {expected_text}")
        });
    if after_last {
        let help = if expected_text.starts_with("`}`") {
            "every rule ends with `}`: add it after the rule's last clause"
        } else if expected_text.contains("`)`") {
            "a `(` is not closed: add `)` where its list or condition ends"
        } else if expected_text.contains("`]`") {
            "a `[` is not closed: add `]` where its list or filter ends"
        } else {
            "this declaration is not finished"
        };
        return err.help(help);
    }
    if let Some(f) = &found {
        if f.starts_with('\'') {
            err = err.help("texts are written in double quotes: \"like this\"");
        } else if f.starts_with("&&") || f.starts_with("||") {
            err = err.help("write `and` / `or` in words");
        } else if f.starts_with('!') && !f.starts_with("!=") {
            err = err.help("write `not` in words");
        } else if f.starts_with('=') && !f.starts_with("==") {
            err = err.help("compare with `==`");
        } else if f.starts_with('&') || f.starts_with('|') {
            err = err.help("write `and` / `or` in words");
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
        assert_eq!(r.arms[0].wheres.len(), 1);
        assert!(matches!(r.arms[0].wheres[0], Expr::And(..)));
        let report = r.arms[0].report.as_ref().expect("report");
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

    fn messages(src: &str) -> Vec<(usize, String)> {
        let (_, errors) = parse_all(FileId(0), src);
        errors
            .into_iter()
            .map(|e| (e.span.start as usize, e.message))
            .collect()
    }

    #[test]
    fn every_broken_declaration_is_reported() {
        let src = "rule a {\n  for p in propositions\n  where p.x = 3\n}\n\nrule b {\n  severity loud\n}\n\nrule c {\n  for m in messages\n}\n\nlet d = words(\"x\"\n";
        let got = messages(src);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, src.find("= 3").expect("="));
        assert_eq!(got[1].0, src.find("loud").expect("loud"));
        assert_eq!(got[2].1, "expected `)` after `words(\"x\"`");
        let (ast, _) = parse_all(FileId(0), src);
        assert_eq!(ast.rules.len(), 1, "rule c still parses");
        assert_eq!(ast.lets.len(), 1, "the broken let is kept by name");
    }

    #[test]
    fn a_broken_let_does_not_make_its_users_unknown() {
        let src = "let hype = words(\"a\",)\nrule r {\n  for m in messages\n  where m.text has any hype\n}\n";
        let (mut ast, errors) = parse_all(FileId(0), src);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let checked = crate::lang::check::check(&mut ast, false);
        assert!(checked.is_empty(), "{checked:?}");
    }

    #[test]
    fn a_missing_brace_is_pointed_at_after_the_last_word() {
        let src = "rule a {\n  for m in messages\n  where no m.evidence   # the end\n\nrule b {\n  for m in messages\n}\n";
        let got = messages(src);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, src.find("m.evidence").expect("word"));
        assert_eq!(
            got[0].1,
            "expected `}` (the end of the rule) after `m.evidence`"
        );
    }

    #[test]
    fn spans_leave_out_trailing_space_and_comments() {
        let src = "rule r {\n  for m in messages\n  where m.channel == \"ad\"   # paid\n}\n";
        let f = parse_ok(src);
        let span = f.rules[0].arms[0].wheres[0].span();
        assert_eq!(
            &src[span.start as usize..span.end as usize],
            "m.channel == \"ad\""
        );
    }

    #[test]
    fn nothing_panics_on_garbage() {
        let pieces = [
            "rule",
            "let",
            "pack",
            "option",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            "\"",
            "\"\"\"",
            "/",
            "#",
            "\n",
            " ",
            "x",
            "=",
            "==",
            "words(",
            "é",
            "🙂",
            "\\",
            ":",
            ",",
            "for m in messages",
            "where",
            "report",
            "{m.",
            "2026-13-45",
            "99999999999999999999999",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let (mut ast, errors) = parse_all(FileId(0), &text);
            for e in &errors {
                assert!(e.span.end as usize <= text.len(), "{text:?}: {e:?}");
                assert!(text.is_char_boundary(e.span.start as usize), "{text:?}");
                assert!(text.is_char_boundary(e.span.end as usize), "{text:?}");
            }
            let _ = crate::lang::check::check(&mut ast, false);
        }
    }

    #[test]
    fn report_without_target() {
        let f = parse_ok("rule r { for m in messages report \"x {m.id}\" }");
        let report = f.rules[0].arms[0].report.as_ref().expect("report");
        assert!(report.target.is_none());
    }

    #[test]
    fn durations_dates_and_arithmetic() {
        let f = parse_ok(
            "rule r { for e in evidence where e.date < today - 2 years and e.date > 2020-01-01 }",
        );
        assert_eq!(f.rules[0].arms[0].wheres.len(), 1);
    }
}
