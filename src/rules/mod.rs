//! Rules ready to run: the built-in packs (compiled into the binary from `rules/*.align`) and
//! a team's own rule files, parsed, checked and prepared once.

pub(crate) mod hygiene;

use crate::finding::Severity;
use crate::lang::ast::{
    Arm, Expr, Literal, Operand, PathRoot, RuleDecl, RuleFile, Step, TemplatePart,
};
use crate::lang::check::FnSig;
use crate::lang::eval::{Env, Eval, Frame, Function, Stopped};
use crate::lang::functions::World;
use crate::lang::prefilter::Plan;
use crate::lang::value::Value;
use crate::lang::words::WordList;
use crate::lang::{RuleError, check, syntax};
use crate::model::{Kind, Model};
use crate::source::{FileId, Sources, Span, SpanMap};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::OnceLock;

/// The built-in packs: file name and text.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    (
        "listening.align",
        include_str!("../../rules/listening.align"),
    ),
    ("fit.align", include_str!("../../rules/fit.align")),
    ("voice.align", include_str!("../../rules/voice.align")),
    (
        "overpromise.align",
        include_str!("../../rules/overpromise.align"),
    ),
    ("hygiene.align", include_str!("../../rules/hygiene.align")),
    ("claims.align", include_str!("../../rules/claims.align")),
];

/// The order the built-in packs load in. A rule file calls the functions of the files loaded
/// before it, so `listening`, whose `anecdotal-evidence` reads the claims `overpromise`'s
/// `claims_in` finds, loads after it. Rules are listed in [`BUILTIN_PACKS`] order whatever
/// the order they load in.
const BUILTIN_LOAD_ORDER: &[&str] = &[
    "overpromise.align",
    "listening.align",
    "fit.align",
    "voice.align",
    "hygiene.align",
    "claims.align",
];

/// Rule id of findings about rule files that could not be loaded.
pub(crate) const LOAD_RULES: &str = "load/rules";

/// One rule, ready to run.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `pack/name`.
    pub id: String,
    /// The pack.
    pub(crate) pack: String,
    /// The name within the pack.
    pub(crate) name: String,
    /// Severity as declared (configuration may change it per run).
    pub(crate) severity: Severity,
    /// One-line summary.
    pub(crate) summary: String,
    /// Documentation.
    pub doc: String,
    /// What it walks over, one kind per `for` clause, in order (none for rules
    /// implemented natively).
    pub(crate) kinds: Vec<Kind>,
    /// Whether it comes with align.
    pub builtin: bool,
    /// Option values (declared defaults; configuration overrides them).
    pub(crate) options: HashMap<String, Literal>,
    file: usize,
    index: usize,
}

impl Rule {
    /// The declaration (clauses, report) in its rule file.
    fn decl<'a>(&self, set: &'a RuleSet) -> Option<&'a RuleDecl> {
        set.files
            .get(self.file)
            .and_then(|f| f.ast.rules.get(self.index))
    }
}

struct PreparedFile {
    ast: RuleFile,
    lets: Vec<Value<'static>>,
    compiled: SpanMap<Value<'static>>,
    /// One cell per `matches` call, filled with its combined patterns on first use.
    prefilters: SpanMap<OnceLock<Plan>>,
}

/// Every rule in force, with what their files prepared once.
#[derive(Default)]
pub struct RuleSet {
    /// The rules, built-in first, in file order.
    pub rules: Vec<Rule>,
    files: Vec<PreparedFile>,
    /// The functions written with `fn`, by number: how rule files loaded later see them.
    signatures: Vec<FnSig>,
    /// Where each function is written: its file, and its place among the file's functions.
    function_sites: Vec<(usize, usize)>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("rules", &self.rules)
            .finish()
    }
}

impl RuleSet {
    /// Adds the built-in packs.
    pub fn add_builtin(&mut self, sources: &mut Sources) -> Result<(), Vec<RuleError>> {
        let first = self.rules.len();
        for load in BUILTIN_LOAD_ORDER {
            let Some((name, text)) = BUILTIN_PACKS.iter().find(|(name, _)| name == load) else {
                continue;
            };
            let file = sources.add(PathBuf::from(format!("<builtin>/{name}")), *text);
            self.add_file(file, text, true, name.trim_end_matches(".align"))?;
        }
        let rank = |pack: &str| {
            BUILTIN_PACKS
                .iter()
                .position(|(name, _)| name.trim_end_matches(".align") == pack)
        };
        if let Some(builtin) = self.rules.get_mut(first..) {
            builtin.sort_by_key(|r| rank(&r.pack));
        }
        Ok(())
    }

    /// Parses, checks and prepares one rule file. `default_pack` names the pack when the
    /// file has no `pack` line.
    pub fn add_file(
        &mut self,
        file: FileId,
        text: &str,
        builtin: bool,
        default_pack: &str,
    ) -> Result<(), Vec<RuleError>> {
        // Parsing, checking and preparing follow the file's nesting by recursion: on a stack
        // sized for the deepest nesting the syntax allows, whatever thread loads the file.
        let known = &self.signatures;
        let Prepared {
            ast,
            mut errors,
            compiled,
            prefilters,
            lets,
            functions,
        } = crate::parallel::with_stack(RULE_STACK_BYTES, || {
            prepare_file(file, text, builtin, known, default_pack)
        });
        let pack = ast
            .pack
            .as_ref()
            .map(|p| p.name.name.clone())
            .unwrap_or_else(|| default_pack.to_owned());
        if let Some(p) = &ast.pack {
            if !builtin
                && [
                    "listening",
                    "fit",
                    "voice",
                    "overpromise",
                    "hygiene",
                    "claims",
                    "load",
                ]
                .contains(&p.name.name.as_str())
            {
                errors.push(
                    RuleError::new(
                        p.name.span,
                        format!("`{}` is the name of a built-in pack", p.name.name),
                    )
                    .help("give your pack its own name, such as your team's"),
                );
            }
        }
        for decl in &ast.rules {
            let id = format!("{pack}/{}", decl.name.name);
            if self.rules.iter().any(|r| r.id == id) {
                errors.push(
                    RuleError::new(decl.name.span, format!("a rule `{id}` is already loaded"))
                        .help("rule ids must be unique"),
                );
            }
        }
        if !errors.is_empty() {
            // In file order; a mistake found by two passes is reported once.
            errors.sort_by(|a, b| {
                (a.span.start, a.span.end, &a.message).cmp(&(b.span.start, b.span.end, &b.message))
            });
            errors.dedup();
            return Err(errors);
        }
        let file_index = self.files.len();
        for (index, decl) in ast.rules.iter().enumerate() {
            let options = ast
                .options
                .iter()
                .map(|o| (o.name.name.clone(), o.value.clone()))
                .collect();
            self.rules.push(Rule {
                id: format!("{pack}/{}", decl.name.name),
                pack: pack.clone(),
                name: decl.name.name.clone(),
                severity: decl.severity.map(|(s, _)| s).unwrap_or(Severity::Warning),
                summary: decl
                    .summary
                    .clone()
                    .unwrap_or_else(|| decl.name.name.replace('-', " ")),
                doc: decl.doc.clone().unwrap_or_default(),
                kinds: decl
                    .arms
                    .iter()
                    .filter_map(|a| a.for_clause.as_ref().and_then(|f| f.kind))
                    .collect(),
                builtin,
                options,
                file: file_index,
                index,
            });
        }
        self.function_sites
            .extend((0..functions.len()).map(|i| (file_index, i)));
        self.signatures.extend(functions);
        self.files.push(PreparedFile {
            ast,
            lets,
            compiled,
            prefilters,
        });
        Ok(())
    }

    /// Every field name the rules read (`p.budget` reads `budget`), so that a team's own
    /// fields are not reported as unknown.
    pub(crate) fn fields_read(&self) -> HashSet<String> {
        let mut names = HashSet::new();
        for f in &self.files {
            for l in &f.ast.lets {
                fields_in_expr(&l.value, &mut names);
            }
            for function in &f.ast.functions {
                fields_in_expr(&function.body, &mut names);
            }
            for arm in f.ast.rules.iter().flat_map(|r| &r.arms) {
                for w in &arm.wheres {
                    fields_in_expr(w, &mut names);
                }
                if let Some(t) = arm.report.as_ref().and_then(|r| r.target.as_ref()) {
                    fields_in_operand(t, &mut names);
                }
            }
        }
        names
    }

    /// The rule with this id.
    pub(crate) fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// Every pack name, in order.
    pub(crate) fn packs(&self) -> Vec<&str> {
        let mut packs: Vec<&str> = Vec::new();
        for r in &self.rules {
            if !packs.contains(&r.pack.as_str()) {
                packs.push(&r.pack);
            }
        }
        packs
    }

    /// Runs one `for` clause (`arm`, numbered as `rule.kinds`) of a language rule over some
    /// of the entities of its kind (the engine hands out slices so that every core stays
    /// busy, whatever the rules).
    pub(crate) fn evaluate_on<'m>(
        &self,
        rule: &Rule,
        arm: usize,
        world: World<'m>,
        today: crate::date::Date,
        entities: &[crate::model::EntityId],
        emit: impl FnMut(Report<'m>),
    ) -> Option<Span> {
        self.run_on(rule, arm, world, today, entities, emit).0
    }

    /// How many evaluation steps (items visited by paths, filters, quantifiers and
    /// comparisons) one rule takes over every entity of its kinds. Tests use it to show that
    /// evaluation grows linearly with the model: following links is a lookup, never a scan.
    pub fn steps(&self, rule: &Rule, world: World<'_>, today: crate::date::Date) -> u64 {
        rule.kinds
            .iter()
            .enumerate()
            .map(|(arm, kind)| {
                self.run_on(rule, arm, world, today, world.model.of_kind(*kind), |_| {})
                    .1
            })
            .sum()
    }

    fn run_on<'m>(
        &self,
        rule: &Rule,
        arm: usize,
        world: World<'m>,
        today: crate::date::Date,
        entities: &[crate::model::EntityId],
        mut emit: impl FnMut(Report<'m>),
    ) -> (Option<Span>, u64) {
        let (Some(decl), Some(file)) = (rule.decl(self), self.files.get(rule.file)) else {
            return (None, 0);
        };
        let Some(arm) = decl.arms.get(arm) else {
            return (None, 0);
        };
        // Options read as values once per run of the rule, not at every use.
        let options: HashMap<String, Value<'static>> = rule
            .options
            .iter()
            .map(|(name, l)| (name.clone(), crate::lang::eval::literal(l)))
            .collect();
        let option_words: HashMap<String, Arc<WordList>> = rule
            .options
            .iter()
            .filter_map(|(name, l)| match l {
                Literal::List(items) if items.iter().all(|i| matches!(i, Literal::Text(_))) => {
                    let texts: Vec<&str> = items
                        .iter()
                        .filter_map(|i| match i {
                            Literal::Text(t) => Some(t.as_str()),
                            _ => None,
                        })
                        .collect();
                    crate::lang::functions::kept_word_list(&texts).map(|w| (name.clone(), w))
                }
                _ => None,
            })
            .collect();
        let functions = self.functions_for(&options);
        let work = crate::lang::eval::Work::for_share(entities.len(), world.model.len());
        let env = Env {
            world,
            lets: &file.lets,
            options: &options,
            option_words: &option_words,
            today,
            compiled: &file.compiled,
            prefilters: &file.prefilters,
            work: &work,
            functions: &functions,
        };
        for &entity in entities {
            // A rule whose work ran out stops here: what it reported for the entities before
            // was computed in full, and nothing of this entity's cut-off evaluation is used.
            match self.reports_of(rule, arm, &env, entity) {
                Ok(reports) => reports.into_iter().for_each(&mut emit),
                Err(Stopped) => return (Some(decl.name.span), work.done()),
            }
        }
        (None, work.done())
    }

    /// Every function written with `fn`, ready to be called from a rule whose options are
    /// `rule_options`: a function reads its own file's options, with the calling rule's
    /// value where the rule has an option of the same name (as every rule of the function's
    /// own file does), else the default its file declares.
    fn functions_for(&self, rule_options: &HashMap<String, Value<'static>>) -> Vec<Function<'_>> {
        self.function_sites
            .iter()
            .filter_map(|&(file, index)| {
                let prepared = self.files.get(file)?;
                let decl = prepared.ast.functions.get(index)?;
                let options: HashMap<String, Value<'static>> = prepared
                    .ast
                    .options
                    .iter()
                    .map(|o| {
                        let value = rule_options
                            .get(&o.name.name)
                            .cloned()
                            .unwrap_or_else(|| crate::lang::eval::literal(&o.value));
                        (o.name.name.clone(), value)
                    })
                    .collect();
                let option_words = options
                    .iter()
                    .filter_map(|(name, v)| {
                        let items = v.clone().items();
                        let texts: Vec<String> = items
                            .iter()
                            .map(|i| match i {
                                Value::Text(t, _) => Some(t.to_string()),
                                _ => None,
                            })
                            .collect::<Option<Vec<_>>>()?;
                        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                        crate::lang::functions::kept_word_list(&texts).map(|w| (name.clone(), w))
                    })
                    .collect();
                Some(Function {
                    decl,
                    lets: &prepared.lets,
                    compiled: &prepared.compiled,
                    prefilters: &prepared.prefilters,
                    options,
                    option_words,
                })
            })
            .collect()
    }

    /// What a rule reports about one entity, all of it or nothing when evaluation stops.
    fn reports_of<'m>(
        &self,
        rule: &Rule,
        arm: &Arm,
        env: &Env<'m, '_>,
        entity: crate::model::EntityId,
    ) -> Eval<Vec<Report<'m>>> {
        let mut frame = Frame::new(entity);
        for w in &arm.wheres {
            if !env.test(w, &mut frame)? {
                return Ok(Vec::new());
            }
        }
        let target_op = arm.report.as_ref().and_then(|r| r.target.as_ref());
        let whole_field = target_op.is_some_and(is_field_of_subject);
        let targets: Vec<Value<'m>> = match target_op {
            None => vec![Value::Entity(entity, None)],
            // `report p.features`: the field itself, once.
            Some(t) if whole_field => vec![env.value(t, &mut frame)?],
            Some(t) => {
                let items = env.value(t, &mut frame)?.items();
                if items.is_empty() && is_plain_path(t) {
                    vec![Value::Null]
                } else {
                    items
                }
            }
        };
        let mut reports = Vec::with_capacity(targets.len());
        for target in targets {
            frame.push(target.clone());
            let message = arm
                .report
                .as_ref()
                .map(|r| render(env, &r.message.parts, &mut frame))
                .transpose();
            let help = arm
                .help
                .as_ref()
                .map(|h| render(env, &h.parts, &mut frame))
                .transpose();
            frame.pop();
            let message = message?
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| rule.summary.clone());
            reports.push(Report {
                entity,
                target,
                whole_field,
                message,
                help: help?,
                field: target_op.and_then(target_field),
            });
        }
        Ok(reports)
    }
}

/// One finding as a rule reported it, before it is located and configured.
pub(crate) struct Report<'m> {
    /// The entity the rule was looking at.
    pub(crate) entity: crate::model::EntityId,
    /// What it pointed at.
    pub(crate) target: Value<'m>,
    /// Whether it pointed at a whole field of the entity (`report p.features`).
    pub(crate) whole_field: bool,
    /// The message, filled in.
    pub(crate) message: String,
    /// The help, filled in.
    pub(crate) help: Option<String>,
    /// The field the target path names.
    pub(crate) field: Option<String>,
}

fn render<'m>(env: &Env<'m, '_>, parts: &[TemplatePart], frame: &mut Frame<'m>) -> Eval<String> {
    let mut out = String::new();
    for p in parts {
        match p {
            TemplatePart::Text(t) => out.push_str(t),
            TemplatePart::Value(op) => {
                let v = env.value(op, frame)?;
                out.push_str(&crate::lang::eval::display(env.world, &v));
            }
        }
    }
    Ok(out)
}

/// Whether a report target is one field of the rule's subject: `p.statement`, `p.features`.
fn is_field_of_subject(op: &Operand) -> bool {
    matches!(op, Operand::Path(p) if matches!(p.root, PathRoot::Var(0)) && matches!(p.steps.as_slice(), [Step::Field(_)]))
}

fn is_plain_path(op: &Operand) -> bool {
    matches!(op, Operand::Path(p) if p.steps.iter().all(|s| matches!(s, Step::Field(_))))
}

/// The field a report target names: the last field of its path, or of its first argument.
fn target_field(op: &Operand) -> Option<String> {
    match op {
        Operand::Path(p) => p.steps.iter().rev().find_map(|s| match s {
            Step::Field(f) => Some(f.name.clone()),
            Step::Filter(_) => None,
        }),
        Operand::Call(c) => c.args.first().and_then(|a| match a {
            Expr::Value(op) => target_field(op),
            _ => None,
        }),
        _ => None,
    }
}

/// The stack rule files are parsed, checked and prepared on. Each level of nesting takes a
/// few kilobytes in an optimised build and tens of kilobytes in an unoptimised one; the
/// syntax allows [`crate::lang::depth::MAX_NESTING`] levels. Reserved, not used.
pub(crate) const RULE_STACK_BYTES: usize = 64 << 20;

/// A rule file parsed, checked and prepared, with every mistake found on the way.
struct Prepared {
    ast: RuleFile,
    errors: Vec<RuleError>,
    compiled: SpanMap<Value<'static>>,
    prefilters: SpanMap<OnceLock<Plan>>,
    /// The values of its `let`s (empty when there are mistakes).
    lets: Vec<Value<'static>>,
    /// The signatures of its functions, in order.
    functions: Vec<FnSig>,
}

/// Parses, checks and prepares one rule file: the work that recurses over its syntax tree.
/// `known` are the functions of the files loaded before it.
fn prepare_file(
    file: FileId,
    text: &str,
    builtin: bool,
    known: &[FnSig],
    default_pack: &str,
) -> Prepared {
    let (mut ast, mut errors) = syntax::parse_all(file, text);
    let pack = ast
        .pack
        .as_ref()
        .map(|p| p.name.name.clone())
        .unwrap_or_else(|| default_pack.to_owned());
    let check::Checked {
        errors: checked,
        regexes,
        functions,
    } = check::check_and_compile(&mut ast, builtin, known, &pack);
    errors.extend(checked);
    let mut prep = Prep {
        regexes,
        compiled: SpanMap::default(),
        word_lists: Vec::new(),
        matches_calls: Vec::new(),
    };
    for l in &ast.lets {
        prepare_expr(&l.value, &mut prep, &mut errors);
    }
    for f in &ast.functions {
        prepare_expr(&f.body, &mut prep, &mut errors);
    }
    for arm in ast.rules.iter().flat_map(|r| &r.arms) {
        for w in &arm.wheres {
            prepare_expr(w, &mut prep, &mut errors);
        }
        if let Some(r) = &arm.report {
            if let Some(t) = &r.target {
                prepare_operand(t, &mut prep, &mut errors);
            }
        }
    }
    let prefilters = prep
        .matches_calls
        .drain(..)
        .map(|span| (span, OnceLock::new()))
        .collect();
    let compiled = prep.finish(&mut errors);
    let lets = if errors.is_empty() {
        evaluate_lets(&ast, &compiled, &mut errors)
    } else {
        Vec::new()
    };
    Prepared {
        ast,
        errors,
        compiled,
        prefilters,
        lets,
        functions,
    }
}

fn evaluate_lets(
    ast: &RuleFile,
    compiled: &SpanMap<Value<'static>>,
    errors: &mut Vec<RuleError>,
) -> Vec<Value<'static>> {
    let model = Model::default();
    let sources = Sources::new();
    let world = World {
        model: &model,
        sources: &sources,
    };
    let options = HashMap::new();
    // A `let` is evaluated once: nothing to gain from combining its patterns.
    let prefilters = SpanMap::default();
    let mut lets: Vec<Value<'static>> = Vec::new();
    let work = crate::lang::eval::Work::default();
    for l in &ast.lets {
        let env = Env {
            world,
            lets: &lets,
            options: &options,
            option_words: &HashMap::new(),
            today: crate::date::today(),
            compiled,
            prefilters: &prefilters,
            work: &work,
            functions: &[],
        };
        crate::lang::patterns::take_build_error();
        match env.expr_value(&l.value, &mut Frame::empty()) {
            Ok(v) => {
                if let Some(e) = crate::lang::patterns::take_build_error() {
                    errors.push(RuleError::new(l.value.span(), e));
                }
                lets.push(v.into_static());
            }
            Err(Stopped) => {
                errors.push(
                    RuleError::new(
                        l.name.span,
                        format!("`let {}` would take too long to compute", l.name.name),
                    )
                    .help("a `let` is computed once, before any data is read: keep it to lists, words and patterns"),
                );
                lets.push(Value::Null);
            }
        }
    }
    lets
}

/// What preparing a rule file gathers: patterns compiled by the checker, to be placed, and
/// constant word lists, to be compiled together on every core.
struct Prep {
    regexes: HashMap<Span, regex::Regex>,
    compiled: SpanMap<Value<'static>>,
    word_lists: Vec<(Span, Vec<String>)>,
    /// The spans of the `matches` calls.
    matches_calls: Vec<Span>,
}

impl Prep {
    /// Compiles the word lists gathered, reporting bad ones, and returns everything compiled.
    fn finish(mut self, errors: &mut Vec<RuleError>) -> SpanMap<Value<'static>> {
        self.word_lists
            .sort_by_key(|(span, _)| (span.start, span.end));
        self.word_lists.dedup_by_key(|(span, _)| *span);
        let built = crate::parallel::map(&self.word_lists, |(_, entries)| {
            crate::lang::words::WordList::new(entries)
        });
        for ((span, _), result) in self.word_lists.iter().zip(built) {
            match result {
                Ok(w) => {
                    self.compiled.insert(*span, Value::Words(Arc::new(w)));
                }
                Err(e) => errors.push(RuleError::new(
                    *span,
                    format!("this word list is not valid: {e}"),
                )),
            }
        }
        self.compiled
    }
}

/// Compiles patterns and constant word lists once, reporting bad ones.
fn prepare_expr(e: &Expr, prep: &mut Prep, errors: &mut Vec<RuleError>) {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => {
            prepare_expr(a, prep, errors);
            prepare_expr(b, prep, errors);
        }
        Expr::Not(a) => prepare_expr(a, prep, errors),
        Expr::Presence { value, .. } => prepare_operand(value, prep, errors),
        Expr::Quantifier { over, body, .. } => {
            prepare_operand(over, prep, errors);
            prepare_expr(body, prep, errors);
        }
        Expr::Compare { left, right, .. }
        | Expr::In { left, right, .. }
        | Expr::Has { left, right, .. }
        | Expr::Matches { left, right, .. } => {
            prepare_operand(left, prep, errors);
            prepare_operand(right, prep, errors);
        }
        Expr::Value(op) => prepare_operand(op, prep, errors),
    }
}

fn prepare_operand(op: &Operand, prep: &mut Prep, errors: &mut Vec<RuleError>) {
    match op {
        Operand::Literal(Literal::Regex(..), span) => {
            // Compiled by the checker, which reported those that do not compile.
            if let Some(r) = prep.regexes.remove(span) {
                prep.compiled
                    .insert(*span, Value::Regex(Arc::new(r.into())));
            }
        }
        Operand::Literal(..) => {}
        Operand::Paren(e, _) => prepare_expr(e, prep, errors),
        Operand::If {
            cond,
            then,
            otherwise,
            ..
        } => {
            prepare_expr(cond, prep, errors);
            prepare_expr(then, prep, errors);
            prepare_expr(otherwise, prep, errors);
        }
        Operand::Arith { left, right, .. } => {
            prepare_operand(left, prep, errors);
            prepare_operand(right, prep, errors);
        }
        Operand::Call(call) => {
            for a in &call.args {
                prepare_expr(a, prep, errors);
            }
            if call.name.name == "matches" {
                prep.matches_calls.push(call.span);
            }
            let constant = call
                .args
                .iter()
                .all(|a| matches!(a, Expr::Value(Operand::Literal(..))));
            if call.name.name == "words" && constant {
                let mut entries = Vec::new();
                for a in &call.args {
                    if let Expr::Value(Operand::Literal(l, _)) = a {
                        collect_texts(l, &mut entries);
                    }
                }
                prep.word_lists.push((call.span, entries));
            }
        }
        Operand::Path(p) => {
            if let PathRoot::Call(c) = &p.root {
                prepare_operand(&Operand::Call((**c).clone()), prep, errors);
            }
            for s in &p.steps {
                if let Step::Filter(e) = s {
                    prepare_expr(e, prep, errors);
                }
            }
        }
    }
}

fn collect_texts(l: &Literal, out: &mut Vec<String>) {
    match l {
        Literal::Text(s) => out.push(s.clone()),
        Literal::List(items) => items.iter().for_each(|i| collect_texts(i, out)),
        _ => {}
    }
}

fn fields_in_expr(e: &Expr, out: &mut HashSet<String>) {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => {
            fields_in_expr(a, out);
            fields_in_expr(b, out);
        }
        Expr::Not(a) => fields_in_expr(a, out),
        Expr::Presence { value, .. } => fields_in_operand(value, out),
        Expr::Quantifier { over, body, .. } => {
            fields_in_operand(over, out);
            fields_in_expr(body, out);
        }
        Expr::Compare { left, right, .. }
        | Expr::In { left, right, .. }
        | Expr::Has { left, right, .. }
        | Expr::Matches { left, right, .. } => {
            fields_in_operand(left, out);
            fields_in_operand(right, out);
        }
        Expr::Value(op) => fields_in_operand(op, out),
    }
}

fn fields_in_operand(op: &Operand, out: &mut HashSet<String>) {
    match op {
        Operand::Literal(..) => {}
        Operand::Paren(e, _) => fields_in_expr(e, out),
        Operand::If {
            cond,
            then,
            otherwise,
            ..
        } => {
            fields_in_expr(cond, out);
            fields_in_expr(then, out);
            fields_in_expr(otherwise, out);
        }
        Operand::Arith { left, right, .. } => {
            fields_in_operand(left, out);
            fields_in_operand(right, out);
        }
        Operand::Call(c) => c.args.iter().for_each(|a| fields_in_expr(a, out)),
        Operand::Path(p) => {
            match &p.root {
                PathRoot::ItemField(name) => {
                    out.insert(name.clone());
                }
                PathRoot::Call(c) => c.args.iter().for_each(|a| fields_in_expr(a, out)),
                _ => {}
            }
            for s in &p.steps {
                match s {
                    Step::Field(f) => {
                        out.insert(f.name.clone());
                    }
                    Step::Filter(e) => fields_in_expr(e, out),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_pack_loads_once_and_rules_list_in_pack_order() {
        let mut load: Vec<&str> = BUILTIN_LOAD_ORDER.to_vec();
        let mut listed: Vec<&str> = BUILTIN_PACKS.iter().map(|(n, _)| *n).collect();
        load.sort_unstable();
        listed.sort_unstable();
        assert_eq!(load, listed);

        let mut set = RuleSet::default();
        let mut sources = Sources::new();
        assert!(set.add_builtin(&mut sources).is_ok());
        let packs = set.packs();
        let expected: Vec<&str> = BUILTIN_PACKS
            .iter()
            .map(|(n, _)| n.trim_end_matches(".align"))
            .collect();
        assert_eq!(packs, expected);
        // `listening` reads `overpromise`'s claims: it calls `claims_in`, loaded before it.
        assert!(set.signatures.iter().any(|f| f.name == "claims_in"));
        assert!(set.signatures.iter().any(|f| f.name == "strength"));
    }
}
