//! Evaluates checked rules over the model.
//!
//! Paths follow references by index lookup and back-links by a slice read. Nothing here
//! panics on user data: a missing field is [`Value::Null`], a value of the wrong shape is
//! empty, and comparisons between unlike values are false.

use super::ast::*;
use super::functions::{self, World};
use super::prefilter::Plan;
use super::value::{Mention, NodeShape, Value};
use super::words::WordList;
use crate::date::Date;
use crate::model::schema::{CLAIM_FIELDS, FieldType, Kind};
use crate::model::{EntityId, Node, NodeValue};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The most values a single path or call may produce, so that a rule following back-links
/// inside back-links on a huge model is cut off instead of exhausting memory.
pub(crate) const MAX_VALUES: usize = 1_000_000;

/// The steps (items visited by quantifiers, filters, flattening and comparisons) one rule may
/// take over the whole model: this many, plus [`WORK_PER_ENTITY`] for each entity. A rule that
/// nests quantifiers over back-links of back-links could otherwise run for longer than anyone
/// waits; it is stopped instead, and reported, after a few seconds at most.
pub(crate) const MAX_WORK: u64 = 5_000_000;

/// The steps a rule may take per entity of the model, on top of [`MAX_WORK`].
pub(crate) const WORK_PER_ENTITY: u64 = 200;

/// Evaluation was stopped: the rule's work budget is spent, or a path would produce more than
/// [`MAX_VALUES`] values. It travels up through every step (`?`), so nothing computed from
/// cut-off values (a `not` of a condition that stopped half way, an `all` over a list cut
/// short) is ever used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stopped;

/// The result of evaluating part of a rule, unless evaluation was [`Stopped`].
pub(crate) type Eval<T> = Result<T, Stopped>;

/// Counts the steps of one rule's evaluation against its budget.
#[derive(Debug)]
pub(crate) struct Work {
    done: std::cell::Cell<u64>,
    limit: u64,
}

impl Default for Work {
    fn default() -> Self {
        Work::for_entities(0)
    }
}

impl Work {
    /// The budget of a rule run over a model of this many entities.
    pub(crate) fn for_entities(entities: usize) -> Work {
        Work {
            done: std::cell::Cell::new(0),
            limit: MAX_WORK.saturating_add(WORK_PER_ENTITY.saturating_mul(entities as u64)),
        }
    }

    /// The budget of a rule run over `share` of a model of `total` entities: the rule's
    /// budget is divided between the slices the engine hands out, so the whole run stays
    /// bounded however the work is split.
    pub(crate) fn for_share(share: usize, total: usize) -> Work {
        let fixed = (MAX_WORK as u128 * share as u128 / total.max(1) as u128) as u64;
        Work {
            done: std::cell::Cell::new(0),
            limit: fixed
                .max(1)
                .saturating_add(WORK_PER_ENTITY.saturating_mul(share as u64)),
        }
    }

    /// The steps taken so far.
    pub(crate) fn done(&self) -> u64 {
        self.done.get()
    }

    /// Counts `n` steps; false once the budget is spent.
    pub(crate) fn tick(&self, n: u64) -> bool {
        let done = self.done.get().saturating_add(n);
        self.done.set(done);
        done <= self.limit
    }

    /// Counts `n` steps, or stops evaluation once the budget is spent.
    pub(crate) fn step(&self, n: u64) -> Eval<()> {
        if self.tick(n) { Ok(()) } else { Err(Stopped) }
    }
}

/// Everything a rule's expressions can read.
pub(crate) struct Env<'m, 'r> {
    /// The model and sources.
    pub(crate) world: World<'m>,
    /// The values of the file's `let`s.
    pub(crate) lets: &'r [Value<'static>],
    /// The rule's options (defaults overridden by configuration).
    pub(crate) options: &'r HashMap<String, Value<'static>>,
    /// The options that are lists of texts, as word lists: a built-in that takes a word
    /// list gets the list compiled once per run of the rule, not once per call.
    pub(crate) option_words: &'r HashMap<String, Arc<WordList>>,
    /// The date of the run.
    pub(crate) today: Date,
    /// Word lists and patterns compiled once, by the span of the call or literal.
    pub(crate) compiled: &'r crate::source::SpanMap<Value<'static>>,
    /// For each `matches` call, by its span, its patterns combined on first use.
    pub(crate) prefilters: &'r crate::source::SpanMap<OnceLock<Plan>>,
    /// Steps taken so far; evaluation is [`Stopped`] once they are spent.
    pub(crate) work: &'r Work,
    /// The functions written with `fn` in every rule file loaded, by number.
    pub(crate) functions: &'r [Function<'r>],
}

/// A function written with `fn`, ready to be called: its body, what its file prepared, and
/// the options it reads as the calling rule sets them.
pub(crate) struct Function<'r> {
    /// The declaration.
    pub(crate) decl: &'r FnDecl,
    /// The values of its file's `let`s.
    pub(crate) lets: &'r [Value<'static>],
    /// Its file's word lists and patterns, compiled once.
    pub(crate) compiled: &'r crate::source::SpanMap<Value<'static>>,
    /// Its file's `matches` calls, combined on first use.
    pub(crate) prefilters: &'r crate::source::SpanMap<OnceLock<Plan>>,
    /// Its file's options: the calling rule's value where the rule has an option of the
    /// same name, else the default declared in its file.
    pub(crate) options: HashMap<String, Value<'static>>,
    /// Those of `options` that are lists of texts, as word lists.
    pub(crate) option_words: HashMap<String, Arc<WordList>>,
}

/// The variables of one evaluation, and the items being filtered.
pub(crate) struct Frame<'m> {
    vars: Vec<Value<'m>>,
    items: Vec<Value<'m>>,
}

impl<'m> Frame<'m> {
    /// A frame with the rule's `for` variable bound.
    pub(crate) fn new(entity: EntityId) -> Frame<'m> {
        Frame {
            vars: vec![Value::Entity(entity, None)],
            items: Vec::new(),
        }
    }

    /// A frame with a function's arguments bound to its parameters.
    pub(crate) fn with_args(args: Vec<Value<'m>>) -> Frame<'m> {
        Frame {
            vars: args,
            items: Vec::new(),
        }
    }

    /// An empty frame (for `let`s).
    pub(crate) fn empty() -> Frame<'m> {
        Frame {
            vars: Vec::new(),
            items: Vec::new(),
        }
    }

    /// Binds the next variable (e.g. `match` while a report is written).
    pub(crate) fn push(&mut self, v: Value<'m>) {
        self.vars.push(v);
    }

    /// Unbinds the last variable.
    pub(crate) fn pop(&mut self) {
        self.vars.pop();
    }
}

impl<'m> Env<'m, '_> {
    /// Whether a condition holds.
    pub(crate) fn test(&self, e: &Expr, f: &mut Frame<'m>) -> Eval<bool> {
        self.work.step(1)?;
        Ok(match e {
            Expr::And(a, b) => self.test(a, f)? && self.test(b, f)?,
            Expr::Or(a, b) => self.test(a, f)? || self.test(b, f)?,
            Expr::Not(a) => !self.test(a, f)?,
            Expr::Presence { negated, value, .. } => {
                let v = self.value(value, f)?;
                v.is_empty() == *negated
            }
            Expr::Quantifier {
                all, over, body, ..
            } => {
                let items = self.value(over, f)?.items();
                let mut result = *all;
                for item in items {
                    self.work.step(1)?;
                    f.vars.push(item);
                    let holds = self.test(body, f);
                    f.vars.pop();
                    let holds = holds?;
                    if *all && !holds {
                        result = false;
                        break;
                    }
                    if !*all && holds {
                        result = true;
                        break;
                    }
                }
                result
            }
            Expr::Compare {
                op, left, right, ..
            } => {
                let l = self.value(left, f)?;
                let r = self.value(right, f)?;
                self.work
                    .step((l.count() as u64).saturating_mul(r.count() as u64))?;
                any_pair(&l, &r, &|a, b| {
                    compare(self.world, a, b).is_some_and(|o| cmp_holds(*op, o))
                })
            }
            Expr::In { left, right, .. } => {
                let l = self.value(left, f)?;
                let r = self.value(right, f)?;
                // In a single text, `in` looks for words; in a list, for an item.
                let in_text = matches!(r, Value::Text(..) | Value::Mention(..));
                let haystack = r.items();
                let needles = l.items();
                self.work
                    .step((needles.len() as u64).saturating_mul(haystack.len() as u64))?;
                needles.iter().any(|item| {
                    haystack.iter().any(|h| match (h, item) {
                        (Value::Text(h, _), Value::Text(n, _)) if in_text => {
                            h.as_ref() == n.as_ref() || h.to_lowercase().contains(&n.to_lowercase())
                        }
                        _ => compare(self.world, item, h) == Some(Ordering::Equal),
                    })
                })
            }
            Expr::Has {
                mode, left, right, ..
            } => {
                let texts: Vec<String> = self
                    .value(left, f)?
                    .items()
                    .iter()
                    .filter_map(as_text)
                    .collect();
                let lists = word_lists(self.value(right, f)?);
                match mode {
                    HasMode::Any => texts.iter().any(|t| lists.iter().any(|w| w.is_match(t))),
                    HasMode::No => !texts.iter().any(|t| lists.iter().any(|w| w.is_match(t))),
                    HasMode::All => lists.iter().all(|w| {
                        (0..w.entries().len())
                            .all(|i| texts.iter().any(|t| w.matched_entries(t).contains(&i)))
                    }),
                }
            }
            Expr::Matches { left, right, .. } => {
                let texts: Vec<String> = self
                    .value(left, f)?
                    .items()
                    .iter()
                    .filter_map(as_text)
                    .collect();
                let patterns: Vec<Value<'m>> = self
                    .value(right, f)?
                    .items()
                    .into_iter()
                    .flat_map(|p| match p {
                        Value::Frame(fr) => fr.patterns.clone(),
                        other => vec![other],
                    })
                    .flat_map(Value::items)
                    .collect();
                texts.iter().any(|t| {
                    patterns.iter().any(|p| match p {
                        Value::Regex(r) => r.is_match(t),
                        Value::Words(w) => w.is_match(t),
                        Value::Text(s, _) => {
                            WordList::new(&[s.as_ref()]).is_ok_and(|w| w.is_match(t))
                        }
                        _ => false,
                    })
                })
            }
            Expr::Value(op) => self.value(op, f)?.truthy(),
        })
    }

    /// The value of an expression (a condition's value is true/false).
    pub(crate) fn expr_value(&self, e: &Expr, f: &mut Frame<'m>) -> Eval<Value<'m>> {
        match e {
            Expr::Value(op) => self.value(op, f),
            other => Ok(Value::Bool(self.test(other, f)?)),
        }
    }

    /// The value of an operand.
    pub(crate) fn value(&self, op: &Operand, f: &mut Frame<'m>) -> Eval<Value<'m>> {
        Ok(match op {
            Operand::Literal(l, span) => match self.compiled.get(span) {
                Some(v) => v.clone(),
                None => literal(l),
            },
            Operand::Paren(e, _) => self.expr_value(e, f)?,
            Operand::Arith {
                left, minus, right, ..
            } => {
                let l = self.value(left, f)?;
                let r = self.value(right, f)?;
                arith(l, *minus, r)
            }
            Operand::Call(call) => self.call(call, f)?,
            Operand::Path(path) => self.path(path, f)?,
            Operand::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                if self.test(cond, f)? {
                    self.expr_value(then, f)?
                } else {
                    self.expr_value(otherwise, f)?
                }
            }
        })
    }

    /// Calls function number `id`, written with `fn`: its body evaluated in its own file,
    /// with the arguments bound to its parameters, on this rule's work budget. A function
    /// calls only those written above it, so calls never recurse.
    fn call_function(&self, id: usize, args: Vec<Value<'m>>) -> Eval<Value<'m>> {
        let Some(function) = self.functions.get(id) else {
            return Ok(Value::Null);
        };
        let env = Env {
            world: self.world,
            lets: function.lets,
            options: &function.options,
            option_words: &function.option_words,
            today: self.today,
            compiled: function.compiled,
            prefilters: function.prefilters,
            work: self.work,
            functions: self.functions,
        };
        env.expr_value(&function.decl.body, &mut Frame::with_args(args))
    }

    fn call(&self, call: &Call, f: &mut Frame<'m>) -> Eval<Value<'m>> {
        if let Some(v) = self.compiled.get(&call.span) {
            return Ok(v.clone());
        }
        // A call does real work (a text scanned, a claim weighed): one step at least.
        self.work.step(1)?;
        let args = call
            .args
            .iter()
            .enumerate()
            .map(|(i, a)| match self.option_word_list(call, i, a) {
                Some(w) => Ok(Value::Words(w)),
                None => self.expr_value(a, f),
            })
            .collect::<Eval<Vec<Value<'m>>>>()?;
        if let Some(id) = call.function {
            return self.call_function(id, args);
        }
        if let Some(cell) = self.prefilters.get(&call.span) {
            let mut args = args.into_iter();
            let text = args.next().unwrap_or(Value::Null);
            let rest: Vec<Value<'m>> = args.collect();
            let plan = cell.get_or_init(|| Plan::build(&rest));
            let found = if plan.fits(&rest) {
                functions::find_matches(self.world, text, &plan.patterns, plan.prefilter.as_ref())
            } else {
                let patterns = functions::patterns_of(rest);
                functions::find_matches(self.world, text, &patterns, None)
            };
            return Ok(Value::List(found));
        }
        Ok(match call.builtin {
            Some(b) => functions::call(self.world, self.today, b, args),
            None => Value::Null,
        })
    }

    /// The option passed as argument `i`, compiled, when it is a list of texts passed
    /// where the built-in takes a word list.
    fn option_word_list(&self, call: &Call, i: usize, arg: &Expr) -> Option<Arc<WordList>> {
        let Expr::Value(Operand::Path(path)) = arg else {
            return None;
        };
        let PathRoot::Option(name) = &path.root else {
            return None;
        };
        if !path.steps.is_empty() {
            return None;
        }
        let words = self.option_words.get(name)?;
        let function = super::builtins::FUNCTIONS
            .iter()
            .find(|f| Some(f.builtin) == call.builtin)?;
        let param = function.params.get(i).copied().or(function.rest)?;
        (param == super::builtins::Param::Entries).then(|| Arc::clone(words))
    }

    fn path(&self, path: &Path, f: &mut Frame<'m>) -> Eval<Value<'m>> {
        let mut v = match &path.root {
            PathRoot::Var(slot) => f.vars.get(*slot).cloned().unwrap_or(Value::Null),
            PathRoot::Let(i) => self.lets.get(*i).cloned().unwrap_or(Value::Null),
            PathRoot::Option(name) => self.options.get(name).cloned().unwrap_or(Value::Null),
            PathRoot::Today => Value::Date(self.today),
            PathRoot::Item => f.items.last().cloned().unwrap_or(Value::Null),
            PathRoot::ItemField(name) => {
                let item = f.items.last().cloned().unwrap_or(Value::Null);
                self.field(item, name)?
            }
            PathRoot::Call(call) => self.call(call, f)?,
            PathRoot::Unresolved => Value::Null,
        };
        for step in &path.steps {
            v = match step {
                Step::Field(name) => self.field(v, &name.name)?,
                Step::Filter(cond) => {
                    let mut kept = Vec::new();
                    for item in v.items() {
                        self.work.step(1)?;
                        f.items.push(item.clone());
                        let keep = self.test(cond, f);
                        f.items.pop();
                        if keep? {
                            kept.push(item);
                        }
                    }
                    Value::List(kept)
                }
            };
        }
        Ok(v)
    }

    /// Reads a field of a value; on a list, of every item, flattened. A list that would grow
    /// past [`MAX_VALUES`] stops evaluation.
    pub(crate) fn field(&self, v: Value<'m>, name: &str) -> Eval<Value<'m>> {
        Ok(match v {
            Value::List(items) => {
                let mut out = Vec::new();
                for item in items {
                    match self.field(item, name)? {
                        Value::Null => {}
                        Value::List(inner) => out.extend(inner),
                        other => out.push(other),
                    }
                    if out.len() > MAX_VALUES {
                        return Err(Stopped);
                    }
                    self.work.step(1)?;
                }
                Value::List(out)
            }
            Value::Entity(id, _) => self.entity_field(id, name),
            Value::Node(node, shape) => node_field(self.world, node, shape, name),
            Value::Mention(m) => mention_field(&m, name),
            _ => Value::Null,
        })
    }

    fn entity_field(&self, id: EntityId, name: &str) -> Value<'m> {
        let model = self.world.model;
        let entity = model.entity(id);
        if let Some(b) = entity.kind.backlink(name) {
            return Value::List(
                model
                    .backlink(id, b.name)
                    .iter()
                    .map(|e| Value::Entity(*e, None))
                    .collect(),
            );
        }
        if let Some(d) = entity.kind.derived(name) {
            return Value::List(match d.to {
                Kind::Claim => model
                    .voices(id)
                    .iter()
                    .map(|v| Value::Entity(v.claim, super::library::voicing_span(self.world, v)))
                    .collect(),
                _ => model
                    .voiced_by(id)
                    .iter()
                    .map(|m| Value::Entity(*m, None))
                    .collect(),
            });
        }
        if name == "id" {
            let node = entity.get("id");
            return Value::Text(Cow::Borrowed(entity.id.as_str()), node);
        }
        let Some(node) = entity.get(name) else {
            return Value::Null;
        };
        match entity.kind.field(name).map(|d| d.ty) {
            Some(ty) => typed_value(self.world, node, ty),
            None => node_value(node),
        }
    }
}

/// The value of a field of a declared type.
fn typed_value<'m>(world: World<'m>, node: &'m Node, ty: FieldType) -> Value<'m> {
    match ty {
        FieldType::Ref(kind) => reference(world, node, kind),
        FieldType::RefList(kind) => match &node.value {
            NodeValue::List(items) => Value::List(
                items
                    .iter()
                    .map(|i| reference(world, i, kind))
                    .filter(|v| !v.is_empty())
                    .collect(),
            ),
            _ => reference(world, node, kind),
        },
        FieldType::Date => match node.as_text().and_then(crate::date::parse_date) {
            Some(d) => Value::Date(d),
            None => Value::Null,
        },
        FieldType::Facts => Value::Node(node, NodeShape::Facts),
        FieldType::Claims => match &node.value {
            NodeValue::List(items) => Value::List(
                items
                    .iter()
                    .map(|c| Value::Node(c, NodeShape::Claim))
                    .collect(),
            ),
            _ => Value::Null,
        },
        _ => node_value(node),
    }
}

fn reference<'m>(world: World<'m>, node: &'m Node, kind: Kind) -> Value<'m> {
    match node.as_text().and_then(|id| world.model.lookup(kind, id)) {
        Some(e) => Value::Entity(e, Some(node.span)),
        None => Value::Null,
    }
}

/// A YAML value as a rule value.
fn node_value(node: &Node) -> Value<'_> {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Number(n) => Value::Number(*n),
        NodeValue::Text(s) => Value::Text(Cow::Borrowed(&**s), Some(node)),
        NodeValue::List(items) => Value::List(items.iter().map(node_value).collect()),
        NodeValue::Map(_) => Value::Node(node, NodeShape::Plain),
    }
}

fn node_field<'m>(world: World<'m>, node: &'m Node, shape: NodeShape, name: &str) -> Value<'m> {
    let Some(v) = node.get(name) else {
        return Value::Null;
    };
    match shape {
        NodeShape::Claim => match CLAIM_FIELDS.iter().find(|d| d.name == name) {
            Some(def) => typed_value(world, v, def.ty),
            None => node_value(v),
        },
        // A fact with a direction (`{value: 48, better: lower}`) reads as its value.
        NodeShape::Facts => node_value(v.get("value").unwrap_or(v)),
        NodeShape::Plain => node_value(v),
    }
}

fn mention_field<'m>(m: &Mention, name: &str) -> Value<'m> {
    match name {
        "text" => Value::text(m.text.clone()),
        "value" => m.value.map(Value::Number).unwrap_or(Value::Null),
        "unit" => Value::text(m.unit.clone()),
        "qualifier" => Value::text(m.qualifier.clone()),
        "fact" => Value::text(m.fact.clone()),
        "limit" => m.limit.map(Value::Number).unwrap_or(Value::Null),
        "frame" => Value::text(m.frame.clone()),
        "proof" => Value::text(m.proof.clone()),
        "claim" => Value::Bool(m.claim),
        "approved" => Value::text(m.approved.clone()),
        "change" => Value::text(m.change.clone()),
        "library_claim" => Value::text(m.library_claim.clone()),
        _ => Value::Null,
    }
}

/// The value of a literal.
pub(crate) fn literal(l: &Literal) -> Value<'static> {
    match l {
        Literal::Text(s) => Value::text(s.clone()),
        Literal::Number(n) => Value::Number(*n),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Date(d) => Value::Date(Date(*d)),
        Literal::Duration(d) => Value::Duration(*d),
        Literal::Regex(body, flags) => functions::compile_regex(body, flags)
            .map(|r| Value::Regex(Arc::new(r.into())))
            .unwrap_or(Value::Null),
        Literal::List(items) => Value::List(items.iter().map(literal).collect()),
    }
}

fn as_text(v: &Value<'_>) -> Option<String> {
    match v {
        Value::Text(s, _) => Some(s.to_string()),
        Value::Mention(m) => Some(m.text.clone()),
        _ => None,
    }
}

fn word_lists(v: Value<'_>) -> Vec<Arc<WordList>> {
    let mut lists = Vec::new();
    let mut loose = Vec::new();
    for item in v.items() {
        match item {
            Value::Words(w) => lists.push(w),
            Value::Text(s, _) => loose.push(s.into_owned()),
            _ => {}
        }
    }
    if !loose.is_empty() {
        if let Ok(w) = WordList::new(&loose) {
            lists.push(Arc::new(w));
        }
    }
    lists
}

fn any_pair(l: &Value<'_>, r: &Value<'_>, pred: &dyn Fn(&Value<'_>, &Value<'_>) -> bool) -> bool {
    match (l, r) {
        (Value::List(items), _) => items.iter().any(|i| any_pair(i, r, pred)),
        (_, Value::List(items)) => items.iter().any(|i| any_pair(l, i, pred)),
        _ => pred(l, r),
    }
}

fn cmp_holds(op: CmpOp, o: Ordering) -> bool {
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
    }
}

/// Orders two single values of comparable types; `None` when they are not comparable.
/// An entity compares with text by its id, so `p.segment == "seg-pubs"` reads as written.
fn compare(world: World<'_>, a: &Value<'_>, b: &Value<'_>) -> Option<Ordering> {
    use Value::*;
    let id = |e: &crate::model::EntityId| world.model.entity(*e).id.as_str();
    match (a, b) {
        (Number(x), Number(y)) => x.partial_cmp(y),
        (Mention(m), Number(y)) => m.value?.partial_cmp(y),
        (Number(x), Mention(m)) => x.partial_cmp(&m.value?),
        (Text(x, _), Text(y, _)) => Some(x.as_ref().cmp(y.as_ref())),
        (Date(x), Date(y)) => Some(x.cmp(y)),
        (Date(x), Text(s, _)) => crate::date::parse_date(s).map(|y| x.cmp(&y)),
        (Text(s, _), Date(y)) => crate::date::parse_date(s).map(|x| x.cmp(y)),
        (Duration(x), Duration(y)) => x.partial_cmp(y),
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Entity(x, _), Entity(y, _)) => Some(x.cmp(y)),
        (Entity(e, _), Text(s, _)) => Some(id(e).cmp(s.as_ref())),
        (Text(s, _), Entity(e, _)) => Some(s.as_ref().cmp(id(e))),
        (Mention(m), Text(s, _)) => Some(m.text.as_str().cmp(s.as_ref())),
        (Text(s, _), Mention(m)) => Some(s.as_ref().cmp(m.text.as_str())),
        _ => None,
    }
}

fn arith<'m>(l: Value<'m>, minus: bool, r: Value<'m>) -> Value<'m> {
    use Value::*;
    let sign = if minus { -1.0 } else { 1.0 };
    match (l, r) {
        (Number(a), Number(b)) => Number(a + sign * b),
        (Date(d), Duration(n)) | (Date(d), Number(n)) => {
            let days = (sign * n).round();
            if days.is_finite() && days.abs() < 1e9 {
                Date(crate::date::Date(d.0 + days as i64))
            } else {
                Null
            }
        }
        (Date(a), Date(b)) if minus => Duration((a.0 - b.0) as f64),
        (Duration(a), Duration(b)) => Duration(a + sign * b),
        (List(items), r) if items.len() == 1 => items
            .into_iter()
            .next()
            .map(|l| arith(l, minus, r))
            .unwrap_or(Null),
        _ => Null,
    }
}

/// The value as it reads in a message: ids for entities, items joined with commas.
pub(crate) fn display(world: World<'_>, v: &Value<'_>) -> String {
    match v {
        Value::Null => "(none)".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => super::value::format_number(*n),
        Value::Text(s, _) => s.to_string(),
        Value::Date(d) => d.to_string(),
        Value::Duration(d) => format!("{} days", super::value::format_number(*d)),
        Value::Entity(e, _) => world.model.entity(*e).id.to_string(),
        Value::Node(n, _) => match &n.value {
            NodeValue::Map(entries) => entries
                .iter()
                .filter_map(|(k, v)| {
                    Some(format!(
                        "{}: {}",
                        k.as_text()?,
                        display(world, &node_value(v))
                    ))
                })
                .collect::<Vec<_>>()
                .join(", "),
            _ => display(world, &node_value(n)),
        },
        Value::List(items) => {
            if items.is_empty() {
                "(none)".to_owned()
            } else {
                // An entity reached twice (`list(m.evidence, m.claims.evidence)`) is named once.
                let mut seen: Vec<EntityId> = Vec::new();
                items
                    .iter()
                    .filter(|i| match i {
                        Value::Entity(e, _) if seen.contains(e) => false,
                        Value::Entity(e, _) => {
                            seen.push(*e);
                            true
                        }
                        _ => true,
                    })
                    .map(|i| display(world, i))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
        Value::Words(w) => w.entries().join(", "),
        Value::Regex(r) => format!("/{}/", r.as_str()),
        Value::Frame(f) => format!("{} claim", f.name),
        Value::Mention(m) => m.text.clone(),
    }
}
