//! The checking pass: resolves every name of a parsed rule file and rejects what cannot run,
//! collecting all errors of the file before anything is evaluated.
//!
//! It infers a light type for every value (an entity of a kind, text, a number, a date, a
//! word list, ...) so that fields are looked up on the right kind, filters know what their
//! bare names refer to, and mistakes such as `has` on a number are caught when the file loads.

use super::ast::*;
use super::builtins::{self, FUNCTIONS};
use super::error::RuleError;
use super::functions;
use crate::model::Kind;
use crate::model::schema::{CLAIM_FIELDS, FieldType, did_you_mean, readable_names};
use crate::source::Span;
use regex::Regex;
use std::collections::HashMap;

/// The type of a value as far as the checker can tell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ty {
    /// Unknown (a team's own field, a generic YAML value).
    Any,
    /// true/false.
    Bool,
    /// A number.
    Number,
    /// Text.
    Text,
    /// A date.
    Date,
    /// A duration.
    Duration,
    /// A word list.
    Words,
    /// A regular expression.
    Regex,
    /// An entity of a kind.
    Entity(Kind),
    /// One claim of a message.
    Claim,
    /// A feature's facts.
    Facts,
    /// Words or a number found in a text (`matches`, `numbers`).
    Mention,
    /// A claim frame, or a look-alike that is not a claim (`claim`, `not_claim`).
    Frame,
    /// Several values.
    List(Box<Ty>),
}

impl Ty {
    /// The type of one item (the type itself when it is not a list).
    pub(crate) fn item(&self) -> &Ty {
        match self {
            Ty::List(t) => t.item(),
            t => t,
        }
    }

    fn list(t: Ty) -> Ty {
        match t {
            Ty::List(_) | Ty::Any => t,
            t => Ty::List(Box::new(t)),
        }
    }

    /// A plain-language name of the type, for errors.
    pub(crate) fn describe(&self) -> String {
        match self {
            Ty::Any => "a value".into(),
            Ty::Bool => "true/false".into(),
            Ty::Number => "a number".into(),
            Ty::Text => "text".into(),
            Ty::Date => "a date".into(),
            Ty::Duration => "a duration".into(),
            Ty::Words => "a word list".into(),
            Ty::Regex => "a pattern".into(),
            Ty::Entity(k) => k.one().into(),
            Ty::Claim => "a claim".into(),
            Ty::Facts => "a feature's facts".into(),
            Ty::Mention => "words found in a text".into(),
            Ty::Frame => "a claim frame".into(),
            Ty::List(t) => format!("a list of {}", t.describe().trim_start_matches("a ")),
        }
    }

    fn is_textual(&self) -> bool {
        matches!(
            self.item(),
            Ty::Text | Ty::Mention | Ty::Any | Ty::Entity(_)
        )
    }
}

/// Fields of a [`Ty::Mention`], readable from rules.
pub(crate) const MENTION_FIELDS: &[&str] = &[
    "text",
    "approved",
    "change",
    "library_claim",
    "value",
    "unit",
    "qualifier",
    "fact",
    "limit",
    "frame",
    "proof",
    "claim",
];

/// A function written with `fn`, as the rule files checked after its own see it.
#[derive(Debug, Clone)]
pub(crate) struct FnSig {
    /// Its name.
    pub(crate) name: String,
    /// Its parameters: name, and the kind of entity each takes when the declaration says.
    pub(crate) params: Vec<(String, Option<Kind>)>,
    /// The type of what it returns.
    pub(crate) result: Ty,
    /// The pack it is written in.
    pub(crate) pack: String,
}

impl FnSig {
    /// How the function is written: `strength(e in evidence)`.
    pub(crate) fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(n, k)| match k {
                Some(k) => format!("{n} in {}", k.plural()),
                None => n.clone(),
            })
            .collect();
        format!("{}({})", self.name, params.join(", "))
    }
}

/// What [`check_and_compile`] gives back: every error, the patterns compiled (by the span
/// of their literal, so that they are compiled once), and the signatures of the file's
/// functions, numbered after those it was given.
pub(crate) struct Checked {
    /// Every mistake of the file.
    pub(crate) errors: Vec<RuleError>,
    /// The file's pattern literals, compiled.
    pub(crate) regexes: HashMap<Span, Regex>,
    /// The functions the file declares, in order.
    pub(crate) functions: Vec<FnSig>,
}

#[derive(Debug, Clone)]
enum Binding {
    Var(usize, Ty),
    Let(usize, Ty),
    Option(String, Ty),
}

/// The errors of [`check_and_compile`], for tests that look at errors only.
#[cfg(test)]
pub(crate) fn check(file: &mut RuleFile, builtin: bool) -> Vec<RuleError> {
    check_and_compile(file, builtin, &[], "test").errors
}

/// Checks a parsed rule file in place: names get resolved, types are checked, and every
/// error is returned. `builtin` allows rules with no `for` clause (implemented natively).
/// `known` are the functions of the rule files loaded before this one (callable from it),
/// and `pack` the name of this file's pack. Patterns are compiled on every core.
pub(crate) fn check_and_compile(
    file: &mut RuleFile,
    builtin: bool,
    known: &[FnSig],
    pack: &str,
) -> Checked {
    let mut cx = Checker {
        errors: Vec::new(),
        scope: Vec::new(),
        items: Vec::new(),
        vars: 0,
        patterns: Vec::new(),
        functions: known.to_vec(),
        callable: 0,
        file_functions: file.functions.iter().map(|f| f.name.name.clone()).collect(),
        broken_functions: file.broken_functions.clone(),
    };
    let mut seen_options: Vec<String> = Vec::new();
    for opt in &file.options {
        if seen_options.contains(&opt.name.name) {
            cx.errors.push(RuleError::new(
                opt.name.span,
                format!("option `{}` is declared twice", opt.name.name),
            ));
        }
        seen_options.push(opt.name.name.clone());
        let ty = literal_ty(&opt.value);
        cx.scope.push((
            opt.name.name.clone(),
            Binding::Option(opt.name.name.clone(), ty),
        ));
    }
    for (i, l) in file.lets.iter_mut().enumerate() {
        let ty = cx.expr_value(&mut l.value);
        if cx.scope.iter().any(|(n, _)| n == &l.name.name) {
            cx.errors.push(RuleError::new(
                l.name.span,
                format!("`{}` is already defined", l.name.name),
            ));
        }
        cx.scope.push((l.name.name.clone(), Binding::Let(i, ty)));
    }
    for f in &mut file.functions {
        cx.function(f, known.len(), pack);
    }
    cx.callable = cx.functions.len();
    let mut names: Vec<String> = Vec::new();
    for rule in &mut file.rules {
        if names.contains(&rule.name.name) {
            cx.errors.push(
                RuleError::new(
                    rule.name.span,
                    format!("a rule named `{}` is already in this file", rule.name.name),
                )
                .help("rule names must be unique within a pack"),
            );
        }
        names.push(rule.name.name.clone());
        cx.rule(rule, builtin);
    }
    let built = crate::parallel::map(&cx.patterns, |(_, body, flags)| {
        functions::compile_regex(body, flags)
    });
    let mut compiled = HashMap::new();
    for ((span, ..), result) in cx.patterns.iter().zip(built) {
        match result {
            Ok(regex) => {
                compiled.insert(*span, regex);
            }
            Err(e) => cx.errors.push(RuleError::new(
                *span,
                format!("this pattern is not valid: {e}"),
            )),
        }
    }
    let functions = cx.functions.split_off(known.len().min(cx.functions.len()));
    Checked {
        errors: cx.errors,
        regexes: compiled,
        functions,
    }
}

fn literal_ty(l: &Literal) -> Ty {
    match l {
        Literal::Text(_) => Ty::Text,
        Literal::Number(_) => Ty::Number,
        Literal::Bool(_) => Ty::Bool,
        Literal::Date(_) => Ty::Date,
        Literal::Duration(_) => Ty::Duration,
        Literal::Regex(..) => Ty::Regex,
        Literal::List(items) => Ty::list(items.first().map(literal_ty).unwrap_or(Ty::Any)),
    }
}

struct Checker {
    errors: Vec<RuleError>,
    scope: Vec<(String, Binding)>,
    /// Types of the items being filtered, innermost last.
    items: Vec<Ty>,
    /// Variables bound so far in the current rule (the next slot).
    vars: usize,
    /// Pattern literals met, compiled together at the end: (span, body, flags).
    patterns: Vec<(Span, String, String)>,
    /// The functions written with `fn`: those of earlier files, then this file's so far.
    functions: Vec<FnSig>,
    /// How many of `functions` the expression being checked may call: none from a `let`
    /// (computed before any data is read), those above it from a function (so none can call
    /// itself, directly or not), all of them from a rule.
    callable: usize,
    /// The names of this file's functions, to tell a call of one not callable yet from a
    /// call of a function that does not exist.
    file_functions: Vec<String>,
    /// The functions of this file whose declarations did not parse (reported there).
    broken_functions: Vec<String>,
}

impl Checker {
    /// Checks a `fn` declaration and makes it callable by what follows. `first` is the
    /// number of the file's first function.
    fn function(&mut self, f: &mut FnDecl, first: usize, pack: &str) {
        let name = &f.name.name;
        if builtins::find(name).is_some() {
            self.errors.push(
                RuleError::new(f.name.span, format!("`{name}` is a built-in function"))
                    .label("taken")
                    .help("give the function another name"),
            );
        } else if let Some(other) = self.functions.iter().position(|g| &g.name == name) {
            let err = RuleError::new(
                f.name.span,
                format!("a function `{name}` is already defined"),
            )
            .label("second one");
            self.errors.push(match self.functions.get(other) {
                Some(g) if other < first => err.help(format!(
                    "the `{}` pack defines `{}`; call it, or give this one another name",
                    g.pack,
                    g.signature()
                )),
                _ => err.help("function names must be unique; keep one"),
            });
        } else if self.scope.iter().any(|(n, _)| n == name) {
            self.errors.push(RuleError::new(
                f.name.span,
                format!("`{name}` is already defined"),
            ));
        }
        let scope_len = self.scope.len();
        self.vars = 0;
        self.callable = self.functions.len();
        let mut params = Vec::with_capacity(f.params.len());
        for p in &mut f.params {
            if params.iter().any(|(n, _)| n == &p.name.name) {
                self.errors.push(RuleError::new(
                    p.name.span,
                    format!("`{}` is already a parameter of `{name}`", p.name.name),
                ));
            }
            p.kind = p.kind_name.as_ref().and_then(|k| self.kind(k));
            self.bind(&p.name.name, p.kind.map(Ty::Entity).unwrap_or(Ty::Any));
            params.push((p.name.name.clone(), p.kind));
        }
        let result = self.expr_value(&mut f.body);
        self.scope.truncate(scope_len);
        self.vars = 0;
        self.functions.push(FnSig {
            name: name.clone(),
            params,
            result,
            pack: pack.to_owned(),
        });
    }

    /// The kind a plural kind name stands for; an error, with a suggestion, when none.
    fn kind(&mut self, kind_name: &Ident) -> Option<Kind> {
        if let Some(k) = Kind::from_plural(&kind_name.name) {
            return Some(k);
        }
        let name = &kind_name.name;
        let singular = Kind::ALL.into_iter().find(|k| k.singular() == name);
        let err = RuleError::new(kind_name.span, format!("`{name}` is not a kind of entity"))
            .label("unknown kind");
        self.errors.push(match singular {
            Some(k) => err.help(format!("write the plural: `{}`", k.plural())),
            None => match did_you_mean(name, Kind::ALL.map(Kind::plural)) {
                Some(s) => err.help(format!("did you mean `{s}`?")),
                None => err.help(
                    "the kinds are: segments, needs, evidence, features, propositions, messages, claims",
                ),
            },
        });
        None
    }

    fn rule(&mut self, rule: &mut RuleDecl, builtin: bool) {
        if rule.arms.iter().all(|a| a.for_clause.is_none()) {
            if !builtin {
                self.errors.push(
                    RuleError::new(rule.name.span, format!("rule `{}` does not say what it checks", rule.name.name))
                        .help("add `for x in KIND`, where KIND is one of: segments, needs, evidence, features, propositions, messages, claims"),
                );
            }
            return;
        }
        for arm in &mut rule.arms {
            self.arm(arm);
        }
    }

    /// Checks one `for` clause of a rule and the clauses that follow it.
    fn arm(&mut self, arm: &mut Arm) {
        let scope_len = self.scope.len();
        self.vars = 0;
        let Some(for_clause) = arm.for_clause.as_mut() else {
            return;
        };
        let kind = self.kind(&for_clause.kind_name);
        for_clause.kind = kind;
        let var_ty = kind.map(Ty::Entity).unwrap_or(Ty::Any);
        self.bind(&for_clause.var.name, var_ty);
        for w in &mut arm.wheres {
            self.expr(w);
        }
        let match_ty = match arm.report.as_mut().and_then(|r| r.target.as_mut()) {
            Some(t) => self.operand(t).item().clone(),
            None => Ty::Any,
        };
        self.bind("match", match_ty);
        if let Some(report) = arm.report.as_mut() {
            self.template(&mut report.message);
        }
        if let Some(help) = arm.help.as_mut() {
            self.template(help);
        }
        self.scope.truncate(scope_len);
    }

    fn bind(&mut self, name: &str, ty: Ty) -> usize {
        let slot = self.vars;
        self.vars += 1;
        self.scope.push((name.to_owned(), Binding::Var(slot, ty)));
        slot
    }

    fn unbind(&mut self) {
        self.scope.pop();
        self.vars = self.vars.saturating_sub(1);
    }

    fn template(&mut self, t: &mut Template) {
        for part in &mut t.parts {
            if let TemplatePart::Value(op) = part {
                self.operand(op);
            }
        }
    }

    /// Checks a condition.
    fn expr(&mut self, e: &mut Expr) {
        self.expr_value(e);
    }

    /// Checks an expression and returns the type of its value.
    fn expr_value(&mut self, e: &mut Expr) -> Ty {
        match e {
            Expr::And(a, b) | Expr::Or(a, b) => {
                self.expr(a);
                self.expr(b);
                Ty::Bool
            }
            Expr::Not(a) => {
                self.expr(a);
                Ty::Bool
            }
            Expr::Presence { value, .. } => {
                self.operand(value);
                Ty::Bool
            }
            Expr::Quantifier {
                var,
                slot,
                over,
                body,
                ..
            } => {
                let over_ty = self.operand(over);
                *slot = self.bind(&var.name, over_ty.item().clone());
                self.expr(body);
                self.unbind();
                Ty::Bool
            }
            Expr::Compare {
                op,
                left,
                right,
                span,
            } => {
                let l = self.operand(left);
                let r = self.operand(right);
                if !comparable(l.item(), r.item()) {
                    let words = matches!(l.item(), Ty::Words | Ty::Regex)
                        || matches!(r.item(), Ty::Words | Ty::Regex);
                    self.errors.push(
                        RuleError::new(
                            *span,
                            format!("cannot compare {} with {}", l.describe(), r.describe()),
                        )
                        .label("these never match")
                        .help(if words {
                            "to look for words in a text, write `TEXT has any WORDS` (or `TEXT matches /pattern/`)"
                        } else {
                            "compare like with like: dates with dates (`e.date < today - 2 years`), numbers with numbers, text with text"
                        }),
                    );
                } else if matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
                    && matches!(l.item(), Ty::Bool | Ty::Entity(_))
                {
                    self.errors.push(RuleError::new(
                        *span,
                        format!("{} has no order; use == or !=", l.describe()),
                    ));
                }
                Ty::Bool
            }
            Expr::In { left, right, .. } => {
                self.operand(left);
                self.operand(right);
                Ty::Bool
            }
            Expr::Has {
                left, right, span, ..
            } => {
                let l = self.operand(left);
                let r = self.operand(right);
                if !l.is_textual() {
                    self.errors.push(
                        RuleError::new(
                            left.span(),
                            format!(
                                "`has` looks for words in text, but this is {}",
                                l.describe()
                            ),
                        )
                        .label("not text")
                        .help("`has` reads a text field such as `m.text`, `p.statement` or `e.quote`; compare numbers with < or >"),
                    );
                }
                if !matches!(r.item(), Ty::Words | Ty::Text | Ty::Regex | Ty::Any) {
                    self.errors.push(
                        RuleError::new(
                            right.span(),
                            format!(
                                "`has` needs a word list after any/all/no, but this is {}",
                                r.describe()
                            ),
                        )
                        .label("not a word list")
                        .help("make one with words(\"...\", \"...\")"),
                    );
                }
                let _ = span;
                Ty::Bool
            }
            Expr::Matches { left, right, .. } => {
                let l = self.operand(left);
                let r = self.operand(right);
                if !l.is_textual() {
                    self.errors.push(RuleError::new(
                        left.span(),
                        format!("`matches` tests text, but this is {}", l.describe()),
                    ));
                }
                if !matches!(r.item(), Ty::Words | Ty::Text | Ty::Regex | Ty::Any) {
                    self.errors.push(RuleError::new(
                        right.span(),
                        format!(
                            "`matches` needs a /pattern/ or a word list, but this is {}",
                            r.describe()
                        ),
                    ));
                }
                Ty::Bool
            }
            Expr::Value(op) => self.operand(op),
        }
    }

    fn operand(&mut self, op: &mut Operand) -> Ty {
        match op {
            Operand::Literal(l, span) => {
                if let Literal::Regex(body, flags) = l {
                    self.patterns.push((*span, body.clone(), flags.clone()));
                }
                literal_ty(l)
            }
            Operand::Paren(e, _) => self.expr_value(e),
            Operand::Arith {
                left,
                minus,
                right,
                span,
            } => {
                let l = self.operand(left);
                let r = self.operand(right);
                match arith(l.item(), *minus, r.item()) {
                    Some(t) => t,
                    None => {
                        self.errors.push(RuleError::new(
                            *span,
                            format!(
                                "cannot {} {} {} {}",
                                if *minus { "subtract" } else { "add" },
                                r.describe(),
                                if *minus { "from" } else { "to" },
                                l.describe()
                            ),
                        ));
                        Ty::Any
                    }
                }
            }
            Operand::Call(call) => self.call(call),
            Operand::Path(path) => self.path(path),
            Operand::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                self.expr(cond);
                let a = self.expr_value(then);
                let b = self.expr_value(otherwise);
                if a == b { a } else { Ty::Any }
            }
        }
    }

    fn call(&mut self, call: &mut Call) -> Ty {
        let mut arg_tys = Vec::with_capacity(call.args.len());
        for a in &mut call.args {
            arg_tys.push(self.expr_value(a));
        }
        if let Some(id) = self.functions.iter().position(|f| f.name == call.name.name) {
            return self.call_function(call, id, &arg_tys);
        }
        if self.broken_functions.contains(&call.name.name) {
            return Ty::Any;
        }
        if self.file_functions.contains(&call.name.name) {
            self.errors.push(
                RuleError::new(
                    call.name.span,
                    format!("`{}` cannot be called here", call.name.name),
                )
                .label("not callable here")
                .help(if self.callable == 0 {
                    "a `let` is computed once, before any data is read, so it cannot call a function; call it from a rule"
                } else {
                    "a function can call only the functions written above it, so that none calls itself, directly or through another"
                }),
            );
            return Ty::Any;
        }
        let Some(f) = builtins::find(&call.name.name) else {
            let err = RuleError::new(
                call.name.span,
                format!("there is no function `{}`", call.name.name),
            )
            .label("unknown function");
            let names = FUNCTIONS
                .iter()
                .map(|f| f.name)
                .chain(self.functions.iter().map(|f| f.name.as_str()));
            let err = match did_you_mean(&call.name.name, names) {
                Some(s) => err.help(format!("did you mean `{s}`?")),
                None => err.help(format!(
                    "the functions are: {}",
                    FUNCTIONS
                        .iter()
                        .map(|f| f.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            };
            self.errors.push(err);
            return Ty::Any;
        };
        call.builtin = Some(f.builtin);
        let n = call.args.len();
        let max = f.max_args();
        if n < f.min_args || max.is_some_and(|m| n > m) {
            let expected = match max {
                Some(m) if m == f.min_args => format!("{m}"),
                Some(m) => format!("{} to {m}", f.min_args),
                None => format!("at least {}", f.min_args),
            };
            self.errors.push(
                RuleError::new(
                    call.span,
                    format!(
                        "`{}` takes {expected} argument{}, but is given {n}",
                        f.name,
                        if expected == "1" { "" } else { "s" }
                    ),
                )
                .help(format!("{}: {}", f.signature, f.summary)),
            );
        }
        for (i, (a, t)) in call.args.iter().zip(&arg_tys).enumerate() {
            let Some(param) = f.param(i) else {
                continue;
            };
            if !param.accepts(t) {
                self.errors.push(
                    RuleError::new(
                        a.span(),
                        format!(
                            "`{}` takes {} here, but this is {}",
                            f.name,
                            param.describe(),
                            t.describe()
                        ),
                    )
                    .help(format!("{}: {}", f.signature, f.summary)),
                );
            }
        }
        (f.result)(&arg_tys)
    }

    /// Checks a call of a function written with `fn`, number `id`.
    fn call_function(&mut self, call: &mut Call, id: usize, arg_tys: &[Ty]) -> Ty {
        let Some(f) = self.functions.get(id).cloned() else {
            return Ty::Any;
        };
        // Only a `let` cannot call what is declared: a function sees only those above it.
        if id >= self.callable {
            self.errors.push(
                RuleError::new(call.name.span, format!("`{}` cannot be called here", f.name))
                    .label("not callable here")
                    .help("a `let` is computed once, before any data is read, so it cannot call a function; call it from a rule"),
            );
            return f.result;
        }
        call.function = Some(id);
        let n = call.args.len();
        if n != f.params.len() {
            let expected = f.params.len();
            self.errors.push(
                RuleError::new(
                    call.span,
                    format!(
                        "`{}` takes {expected} argument{}, but is given {n}",
                        f.name,
                        if expected == 1 { "" } else { "s" }
                    ),
                )
                .help(format!(
                    "written in the `{}` pack: {}",
                    f.pack,
                    f.signature()
                )),
            );
        }
        for (a, (t, (_, kind))) in call.args.iter().zip(arg_tys.iter().zip(&f.params)) {
            let Some(kind) = kind else {
                continue;
            };
            if !matches!(t.item(), Ty::Any) && t.item() != &Ty::Entity(*kind) {
                self.errors.push(
                    RuleError::new(
                        a.span(),
                        format!(
                            "`{}` takes {} here, but this is {}",
                            f.name,
                            Ty::Entity(*kind).describe(),
                            t.describe()
                        ),
                    )
                    .help(format!(
                        "written in the `{}` pack: {}",
                        f.pack,
                        f.signature()
                    )),
                );
            }
        }
        f.result
    }

    fn path(&mut self, path: &mut Path) -> Ty {
        let name = path.root_name.name.clone();
        let mut ty = match &mut path.root {
            PathRoot::Call(call) => self.call(call),
            _ => self.root(path, &name),
        };
        let mut so_far = name.clone();
        for step in &mut path.steps {
            ty = match step {
                Step::Field(field) => {
                    let t = self.field(&ty, field, &so_far);
                    so_far = format!("{so_far}.{}", field.name);
                    t
                }
                Step::Filter(cond) => {
                    self.items.push(ty.item().clone());
                    self.expr(cond);
                    self.items.pop();
                    so_far.push_str("[...]");
                    Ty::list(ty)
                }
            };
        }
        ty
    }

    fn root(&mut self, path: &mut Path, name: &str) -> Ty {
        if let Some(item) = self.items.last().cloned() {
            if name == "it" {
                path.root = PathRoot::Item;
                return item;
            }
            if let Some(t) = field_ty(&item, name) {
                path.root = PathRoot::ItemField(name.to_owned());
                return t;
            }
        }
        if let Some((_, b)) = self.scope.iter().rev().find(|(n, _)| n == name) {
            let (root, ty) = match b {
                Binding::Var(slot, ty) => (PathRoot::Var(*slot), ty.clone()),
                Binding::Let(i, ty) => (PathRoot::Let(*i), ty.clone()),
                Binding::Option(n, ty) => (PathRoot::Option(n.clone()), ty.clone()),
            };
            path.root = root;
            return ty;
        }
        if name == "today" {
            path.root = PathRoot::Today;
            return Ty::Date;
        }
        if let Some(item) = self.items.last().cloned() {
            if let Some(err) = unknown_field_error(&item, name, path.root_name.span) {
                self.errors.push(err);
            }
            path.root = PathRoot::ItemField(name.to_owned());
            return Ty::Any;
        }
        let mut candidates: Vec<&str> = self.scope.iter().map(|(n, _)| n.as_str()).collect();
        candidates.push("today");
        let mut err = RuleError::new(path.root_name.span, format!("`{name}` is not defined here"))
            .label("unknown name");
        if let Some(kind) = Kind::from_plural(name) {
            err = err.help(format!(
                "to go over every {}, write `for x in {}` and use `x`",
                kind.singular(),
                kind.plural()
            ));
        } else {
            err = err.suggest(name, candidates);
        }
        self.errors.push(err);
        Ty::Any
    }

    /// The type of `.field` read from a value of type `ty`, written `so_far` in the rule.
    fn field(&mut self, ty: &Ty, field: &Ident, so_far: &str) -> Ty {
        let name = field.name.as_str();
        match ty {
            Ty::List(inner) => Ty::list(self.field(inner, field, so_far)),
            Ty::Any => Ty::Any,
            t => match field_ty(t, name) {
                Some(t) => t,
                None => {
                    if let Some(err) = unknown_field_error(t, name, field.span) {
                        self.errors.push(err);
                        return Ty::Any;
                    }
                    match t {
                        Ty::Entity(_) | Ty::Claim | Ty::Facts => Ty::Any,
                        other => {
                            self.errors.push(
                                RuleError::new(
                                    field.span,
                                    format!(
                                        "`{so_far}` is {}, not a link to another entity, so it has no field `{name}`",
                                        other.describe()
                                    ),
                                )
                                .label("no such field")
                                .help("only entities, claims, facts and found words have fields; follow a reference field (such as `m.proposition` or `p.needs`) to reach another entity"),
                            );
                            Ty::Any
                        }
                    }
                }
            },
        }
    }
}

/// The type of the field `name` of a value of type `ty`, if declared.
fn field_ty(ty: &Ty, name: &str) -> Option<Ty> {
    match ty {
        Ty::Entity(kind) => {
            if let Some(def) = kind.field(name) {
                return Some(type_of(def.ty));
            }
            if let Some(d) = kind.derived(name) {
                return Some(Ty::List(Box::new(Ty::Entity(d.to))));
            }
            kind.backlink(name)
                .map(|b| Ty::List(Box::new(Ty::Entity(b.from))))
        }
        Ty::Claim => CLAIM_FIELDS
            .iter()
            .find(|d| d.name == name)
            .map(|d| type_of(d.ty)),
        Ty::Facts => Some(Ty::Number),
        Ty::Mention => match name {
            "text" | "unit" | "qualifier" | "fact" | "frame" | "proof" | "approved" | "change"
            | "library_claim" => Some(Ty::Text),
            "value" | "limit" => Some(Ty::Number),
            "claim" => Some(Ty::Bool),
            _ => None,
        },
        Ty::List(inner) => field_ty(inner, name).map(Ty::list),
        _ => None,
    }
}

/// An error for an unknown field that looks like a typo of a known one; `None` when the
/// name may be a team's own field.
fn unknown_field_error(ty: &Ty, name: &str, span: crate::source::Span) -> Option<RuleError> {
    let candidates: Vec<&str> = match ty.item() {
        Ty::Entity(kind) => readable_names(*kind),
        Ty::Claim => CLAIM_FIELDS.iter().map(|d| d.name).collect(),
        Ty::Mention => MENTION_FIELDS.to_vec(),
        _ => return None,
    };
    let suggestion = did_you_mean(name, candidates.iter().copied());
    let strict = matches!(ty.item(), Ty::Mention);
    if suggestion.is_none() && !strict {
        return None;
    }
    let what = ty.item().describe();
    let mut err =
        RuleError::new(span, format!("{what} has no field `{name}`")).label("unknown field");
    err = match suggestion {
        Some(s) => err.help(format!("did you mean `{s}`?")),
        None => err.help(format!("its fields are: {}", candidates.join(", "))),
    };
    Some(err)
}

/// The rule-language type of a model field type.
pub(crate) fn type_of(ty: FieldType) -> Ty {
    match ty {
        FieldType::Id | FieldType::Text | FieldType::Choice(_) => Ty::Text,
        FieldType::Number => Ty::Number,
        FieldType::Date => Ty::Date,
        FieldType::Ref(k) => Ty::Entity(k),
        FieldType::RefList(k) => Ty::List(Box::new(Ty::Entity(k))),
        FieldType::Words => Ty::List(Box::new(Ty::Text)),
        FieldType::Facts => Ty::Facts,
        FieldType::Claims => Ty::List(Box::new(Ty::Claim)),
        FieldType::Ignore | FieldType::Approvals => Ty::Any,
    }
}

fn comparable(a: &Ty, b: &Ty) -> bool {
    use Ty::*;
    match (a, b) {
        (Any, _) | (_, Any) => true,
        (Entity(x), Entity(y)) => x == y,
        (Number | Mention, Number | Mention) => true,
        (Text | Entity(_) | Mention, Text | Entity(_) | Mention) => true,
        (Date | Text, Date | Text) => true,
        (Duration, Duration) | (Bool, Bool) => true,
        _ => false,
    }
}

fn arith(a: &Ty, minus: bool, b: &Ty) -> Option<Ty> {
    use Ty::*;
    match (a, b) {
        (Any, _) | (_, Any) => Some(Any),
        (Number | Mention, Number | Mention) => Some(Number),
        (Date, Duration | Number) => Some(Date),
        (Date, Date) if minus => Some(Duration),
        (Duration, Duration) => Some(Duration),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::syntax::parse;
    use crate::source::FileId;

    fn errors(src: &str) -> Vec<String> {
        let mut file = parse(FileId(0), src).expect("parses");
        check(&mut file, false)
            .into_iter()
            .map(|e| format!("{} | {}", e.message, e.help.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn unknown_kind_suggests_the_plural() {
        let e = errors("rule r { for p in proposition report \"x\" }");
        assert_eq!(
            e,
            ["`proposition` is not a kind of entity | write the plural: `propositions`"]
        );
    }

    #[test]
    fn misspelt_field_gets_did_you_mean() {
        let e = errors("rule r { for p in propositions where no p.evidnce }");
        assert_eq!(
            e,
            ["a proposition has no field `evidnce` | did you mean `evidence`?"]
        );
    }

    #[test]
    fn custom_fields_are_readable() {
        assert!(errors("rule r { for p in propositions where p.budget > 3 }").is_empty());
    }

    #[test]
    fn unknown_function_and_name() {
        let e = errors("rule r { for m in messages where m.text has any wrds(\"a\") and x }");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(e[0].contains("did you mean `words`?"));
        assert!(e[1].contains("`x` is not defined"));
    }

    #[test]
    fn type_mistakes() {
        let e = errors(
            "rule r { for e in evidence where e.sample_size has any words(\"a\") and e.date == words(\"x\") }",
        );
        assert_eq!(e.len(), 2, "{e:?}");
    }

    #[test]
    fn filters_see_item_fields() {
        assert!(errors("rule r { for p in propositions where some p.needs[priority == \"high\" and no evidence] }").is_empty());
    }
}
