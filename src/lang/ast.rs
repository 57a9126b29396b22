//! The typed syntax tree of a rule file. Every node carries its span in the `.align` file.
//!
//! The parser builds it; the checker resolves names in place (filling `PathRoot`) and
//! rejects what cannot run; the evaluator runs what the checker accepted.

use crate::finding::Severity;
use crate::model::Kind;
use crate::source::Span;

/// A name as written, with its span.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ident {
    /// The name.
    pub(crate) name: String,
    /// Where.
    pub(crate) span: Span,
}

/// A parsed rule file.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleFile {
    /// `pack NAME "title"`.
    pub(crate) pack: Option<PackDecl>,
    /// File-level bindings, in order.
    pub(crate) lets: Vec<LetDecl>,
    /// Overridable options.
    pub(crate) options: Vec<OptionDecl>,
    /// Functions, in order.
    pub(crate) functions: Vec<FnDecl>,
    /// The names of the functions whose declarations did not parse (already reported): calls
    /// of them are not reported again.
    pub(crate) broken_functions: Vec<String>,
    /// The rules.
    pub(crate) rules: Vec<RuleDecl>,
}

/// `pack NAME "title"`.
#[derive(Debug, Clone)]
pub(crate) struct PackDecl {
    /// The pack name, the prefix of its rule ids.
    pub(crate) name: Ident,
}

/// `let NAME = expr`.
#[derive(Debug, Clone)]
pub(crate) struct LetDecl {
    /// The bound name.
    pub(crate) name: Ident,
    /// Its value.
    pub(crate) value: Expr,
}

/// `option NAME = literal`.
#[derive(Debug, Clone)]
pub(crate) struct OptionDecl {
    /// The option name.
    pub(crate) name: Ident,
    /// Its default.
    pub(crate) value: Literal,
}

/// `fn NAME(params) = expr`: a function written in the rule language.
#[derive(Debug, Clone)]
pub(crate) struct FnDecl {
    /// The function's name.
    pub(crate) name: Ident,
    /// Its parameters, in order.
    pub(crate) params: Vec<FnParam>,
    /// What it computes: a condition or a value, reading its parameters.
    pub(crate) body: Expr,
}

/// One parameter of a [`FnDecl`]: `e`, or `e in evidence`.
#[derive(Debug, Clone)]
pub(crate) struct FnParam {
    /// The parameter's name.
    pub(crate) name: Ident,
    /// The kind name written after `in`, if any.
    pub(crate) kind_name: Option<Ident>,
    /// The kind, once checked.
    pub(crate) kind: Option<Kind>,
}

/// A text with `{...}` parts to fill in when a finding is reported.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// Literal text and interpolated values, in order.
    pub(crate) parts: Vec<TemplatePart>,
}

/// One part of a [`Template`].
#[derive(Debug, Clone)]
pub(crate) enum TemplatePart {
    /// Text as written.
    Text(String),
    /// `{operand}`.
    Value(Operand),
}

/// `report [target] "message"`.
#[derive(Debug, Clone)]
pub(crate) struct Report {
    /// What the finding points at; the entity when absent.
    pub(crate) target: Option<Operand>,
    /// The message.
    pub(crate) message: Template,
}

/// `for NAME in KIND`.
#[derive(Debug, Clone)]
pub(crate) struct ForClause {
    /// The variable bound to each entity.
    pub(crate) var: Ident,
    /// The kind name as written.
    pub(crate) kind_name: Ident,
    /// The kind, once checked.
    pub(crate) kind: Option<Kind>,
}

/// `rule NAME { ... }`.
#[derive(Debug, Clone)]
pub(crate) struct RuleDecl {
    /// The rule name (without the pack).
    pub(crate) name: Ident,
    /// `severity`, defaulting to warning.
    pub(crate) severity: Option<(Severity, Span)>,
    /// One-line summary.
    pub(crate) summary: Option<String>,
    /// Documentation.
    pub(crate) doc: Option<String>,
    /// What the rule walks over, one arm per `for` clause: a rule over several kinds has
    /// several arms (never none: a rule without `for` has one arm without it).
    pub(crate) arms: Vec<Arm>,
}

/// One `for` clause of a rule with the `where`, `report` and `help` clauses that follow it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Arm {
    /// What the arm walks over.
    pub(crate) for_clause: Option<ForClause>,
    /// Conditions, and-ed.
    pub(crate) wheres: Vec<Expr>,
    /// What is reported.
    pub(crate) report: Option<Report>,
    /// Help shown with each finding of the arm.
    pub(crate) help: Option<Template>,
}

/// A condition or a value.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
    /// `not a`.
    Not(Box<Expr>),
    /// `some x` (non-empty) or, with `negated`, `no x`.
    Presence {
        /// True for `no`.
        negated: bool,
        /// The value tested.
        value: Operand,
        /// The test.
        span: Span,
    },
    /// `all x in xs: body` / `any x in xs: body`.
    Quantifier {
        /// True for `all`.
        all: bool,
        /// The bound variable.
        var: Ident,
        /// Its slot in the evaluation frame.
        slot: usize,
        /// The list.
        over: Operand,
        /// The condition.
        body: Box<Expr>,
        /// The whole quantifier.
        span: Span,
    },
    /// `a CMP b`.
    Compare {
        /// The operator.
        op: CmpOp,
        /// Left side.
        left: Operand,
        /// Right side.
        right: Operand,
        /// The comparison.
        span: Span,
    },
    /// `a in b`.
    In {
        /// The value looked for.
        left: Operand,
        /// Where it is looked for.
        right: Operand,
        /// The test.
        span: Span,
    },
    /// `text has any|all|no words`.
    Has {
        /// Which words must occur.
        mode: HasMode,
        /// The text.
        left: Operand,
        /// The word list.
        right: Operand,
        /// The test.
        span: Span,
    },
    /// `text matches pattern`.
    Matches {
        /// The text.
        left: Operand,
        /// The regex or word list.
        right: Operand,
        /// The test.
        span: Span,
    },
    /// A value on its own.
    Value(Operand),
}

impl Expr {
    /// Where the expression is written.
    pub(crate) fn span(&self) -> Span {
        match self {
            Expr::And(a, b) | Expr::Or(a, b) => a.span().to(b.span()),
            Expr::Not(a) => a.span(),
            Expr::Presence { span, .. }
            | Expr::Quantifier { span, .. }
            | Expr::Compare { span, .. }
            | Expr::In { span, .. }
            | Expr::Has { span, .. }
            | Expr::Matches { span, .. } => *span,
            Expr::Value(op) => op.span(),
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// How `has` reads a word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HasMode {
    /// At least one word occurs.
    Any,
    /// Every word occurs.
    All,
    /// No word occurs.
    No,
}

/// A value: a literal, a path, a call, or arithmetic on them.
#[derive(Debug, Clone)]
pub(crate) enum Operand {
    /// A literal.
    Literal(Literal, Span),
    /// A path.
    Path(Path),
    /// A function call.
    Call(Call),
    /// `a + b` / `a - b`.
    Arith {
        /// Left side.
        left: Box<Operand>,
        /// True for `-`.
        minus: bool,
        /// Right side.
        right: Box<Operand>,
        /// The whole sum.
        span: Span,
    },
    /// `( expr )`.
    Paren(Box<Expr>, Span),
    /// `if cond then a else b`.
    If {
        /// The condition.
        cond: Box<Expr>,
        /// The value when it holds.
        then: Box<Expr>,
        /// The value when it does not.
        otherwise: Box<Expr>,
        /// The whole conditional.
        span: Span,
    },
}

impl Operand {
    /// Where the operand is written.
    pub(crate) fn span(&self) -> Span {
        match self {
            Operand::Literal(_, s) | Operand::Paren(_, s) => *s,
            Operand::Path(p) => p.span,
            Operand::Call(c) => c.span,
            Operand::Arith { span, .. } | Operand::If { span, .. } => *span,
        }
    }
}

/// A function call.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    /// The function name.
    pub(crate) name: Ident,
    /// The arguments.
    pub(crate) args: Vec<Expr>,
    /// The call.
    pub(crate) span: Span,
    /// The built-in it runs, filled in by the checker (`None` until checked, or unknown).
    pub(crate) builtin: Option<super::builtins::Builtin>,
    /// The function written with `fn` it runs, filled in by the checker: its number among
    /// the functions of every rule file loaded.
    pub(crate) function: Option<usize>,
}

/// What the first name of a path stands for, filled in by the checker.
#[derive(Debug, Clone)]
pub(crate) enum PathRoot {
    /// Not resolved yet.
    Unresolved,
    /// A variable (the `for` variable, a quantifier variable, or `match` in reports).
    Var(usize),
    /// A file-level `let`.
    Let(usize),
    /// An option.
    Option(String),
    /// `today`.
    Today,
    /// Inside `[ ]`: a field of the item being filtered.
    ItemField(String),
    /// Inside `[ ]`: the item itself (`it`).
    Item,
    /// A function call whose result the steps continue from.
    Call(Box<Call>),
}

/// `root.step.step[filter]...`.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    /// The first name.
    pub(crate) root_name: Ident,
    /// What it resolved to.
    pub(crate) root: PathRoot,
    /// The steps after it.
    pub(crate) steps: Vec<Step>,
    /// The whole path.
    pub(crate) span: Span,
}

/// One step of a path.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// `.name`.
    Field(Ident),
    /// `[condition]`.
    Filter(Box<Expr>),
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `"text"`.
    Text(String),
    /// `42`, `99.9`.
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `2026-01-31`, as days since 1970-01-01.
    Date(i64),
    /// `365 days`, in days.
    Duration(f64),
    /// `/pattern/flags`.
    Regex(String, String),
    /// `[a, b]`.
    List(Vec<Literal>),
}

impl Literal {
    /// A plain-language name of the literal's type.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Literal::Text(_) => "text",
            Literal::Number(_) => "a number",
            Literal::Bool(_) => "true/false",
            Literal::Date(_) => "a date",
            Literal::Duration(_) => "a duration",
            Literal::Regex(..) => "a pattern",
            Literal::List(_) => "a list",
        }
    }
}
