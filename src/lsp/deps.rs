//! What the rules read: the chains of references and back-links each rule follows from the
//! entity it checks (`p.needs.evidence` is proposition →needs→ need →evidence→ evidence).
//!
//! The language server uses them to re-evaluate, after an edit, only the entities whose
//! result can have changed: those from which some chain reaches a changed entity. Walking a
//! chain backwards from the changed entity finds them; walking it forwards from them finds
//! everything their evaluation reads. The analysis is conservative: a name that could be a
//! reference is taken as one, and functions that look at a message's evidence and features
//! by themselves (`backed`, `beyond_facts`) are taken to read all of them.

use crate::lang::ast::{Expr, FnDecl, Operand, PathRoot, RuleFile, Step, TemplatePart};
use crate::model::schema::{FieldType, Kind};
use std::collections::{HashMap, HashSet};

/// One step along a reference (`from.name` is a reference field) or a back-link (`name` is
/// a back-link of `from`). Claims' references are named `claims.feature` and
/// `claims.evidence`, steps of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Hop {
    /// The kind the step starts from.
    pub(crate) from: Kind,
    /// The field or back-link followed.
    pub(crate) name: &'static str,
    /// The kind it arrives at.
    pub(crate) to: Kind,
}

/// A rule's subject kind and one chain of hops it follows from it.
pub(crate) type Chain = (Kind, Vec<Hop>);

/// Where a value stands while a path is walked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Pos {
    Entity(Kind),
    Claim,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct At {
    hops: Vec<Hop>,
    pos: Pos,
}

/// The functions that read a message's evidence and linked features themselves.
const READS_MESSAGE: &[&str] = &["backed", "beyond_facts", "drift"];
/// The functions that pass entities through (`list`, `either`); others return plain values.
const PASS_THROUGH: &[&str] = &["list", "either"];

struct Walker<'f> {
    subject: Kind,
    vars: HashMap<String, Vec<At>>,
    items: Vec<Vec<At>>,
    chains: HashSet<Chain>,
    /// The functions written with `fn`, by name: a call reads what its body reads.
    functions: &'f HashMap<&'f str, &'f FnDecl>,
    /// The functions being walked, so that a call of one inside itself is not followed.
    calling: Vec<&'f str>,
}

fn step(at: &At, name: &str) -> At {
    let mut hops = at.hops.clone();
    let pos = match at.pos {
        Pos::Entity(k) => match k.field(name).map(|d| (d.name, d.ty)) {
            Some((n, FieldType::Ref(to) | FieldType::RefList(to))) => {
                hops.push(Hop {
                    from: k,
                    name: n,
                    to,
                });
                Pos::Entity(to)
            }
            Some((_, FieldType::Claims)) => Pos::Claim,
            Some(_) => Pos::Other,
            None if k.derived(name).is_some() => match k.derived(name) {
                // A derived link (`m.voices`, `c.messages`): the graph takes it to join
                // every entity of the one kind with every entity of the other.
                Some(d) => {
                    hops.push(Hop {
                        from: k,
                        name: d.name,
                        to: d.to,
                    });
                    Pos::Entity(d.to)
                }
                None => Pos::Other,
            },
            None => match k.backlink(name) {
                Some(b) => {
                    hops.push(Hop {
                        from: k,
                        name: b.name,
                        to: b.from,
                    });
                    Pos::Entity(b.from)
                }
                None => Pos::Other,
            },
        },
        Pos::Claim => {
            let hop = |name: &'static str, to: Kind| Hop {
                from: Kind::Message,
                name,
                to,
            };
            match name {
                "feature" => {
                    hops.push(hop("claims.feature", Kind::Feature));
                    Pos::Entity(Kind::Feature)
                }
                "evidence" => {
                    hops.push(hop("claims.evidence", Kind::Evidence));
                    Pos::Entity(Kind::Evidence)
                }
                "claim" => {
                    hops.push(hop("claims.claim", Kind::Claim));
                    Pos::Entity(Kind::Claim)
                }
                _ => Pos::Other,
            }
        }
        Pos::Other => Pos::Other,
    };
    At { hops, pos }
}

impl<'f> Walker<'f> {
    fn record(&mut self, ats: &[At]) {
        for a in ats {
            if !a.hops.is_empty() {
                self.chains.insert((self.subject, a.hops.clone()));
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::And(a, b) | Expr::Or(a, b) => {
                self.expr(a);
                self.expr(b);
            }
            Expr::Not(a) => self.expr(a),
            Expr::Presence { value, .. } => {
                self.operand(value);
            }
            Expr::Quantifier {
                var, over, body, ..
            } => {
                let values = self.operand(over);
                let old = self.vars.insert(var.name.clone(), values);
                self.expr(body);
                match old {
                    Some(o) => self.vars.insert(var.name.clone(), o),
                    None => self.vars.remove(&var.name),
                };
            }
            Expr::Compare { left, right, .. }
            | Expr::In { left, right, .. }
            | Expr::Has { left, right, .. }
            | Expr::Matches { left, right, .. } => {
                self.operand(left);
                self.operand(right);
            }
            Expr::Value(op) => {
                self.operand(op);
            }
        }
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Vec<At> {
        let mut out = Vec::new();
        let mut per_arg = Vec::with_capacity(args.len());
        for a in args {
            match a {
                Expr::Value(op) => {
                    let values = self.operand(op);
                    out.extend(values.iter().cloned());
                    per_arg.push(values);
                }
                other => {
                    self.expr(other);
                    per_arg.push(Vec::new());
                }
            }
        }
        if let Some(&function) = self.functions.get(name) {
            return self.function(function, per_arg);
        }
        if READS_MESSAGE.contains(&name) {
            let implicit: Vec<At> = out
                .iter()
                .filter(|a| a.pos == Pos::Entity(Kind::Message))
                .flat_map(|m| {
                    let claim = At {
                        hops: m.hops.clone(),
                        pos: Pos::Claim,
                    };
                    let voiced = step(m, "voices");
                    [
                        step(m, "evidence"),
                        step(m, "features"),
                        step(&step(m, "proposition"), "features"),
                        step(&claim, "evidence"),
                        step(&claim, "feature"),
                        step(&voiced, "evidence"),
                        step(&voiced, "features"),
                        voiced,
                    ]
                })
                .collect();
            self.record(&implicit);
        }
        if PASS_THROUGH.contains(&name) {
            out
        } else {
            Vec::new()
        }
    }

    /// What a function's body reads from its arguments (each bound to what its argument
    /// reaches), and what it returns.
    fn function(&mut self, function: &'f FnDecl, args: Vec<Vec<At>>) -> Vec<At> {
        let name = function.name.name.as_str();
        if self.calling.contains(&name) {
            return Vec::new();
        }
        self.calling.push(name);
        let mut vars: HashMap<String, Vec<At>> = function
            .params
            .iter()
            .zip(args)
            .map(|(p, a)| (p.name.name.clone(), a))
            .collect();
        std::mem::swap(&mut self.vars, &mut vars);
        let result = match &function.body {
            Expr::Value(op) => self.operand(op),
            other => {
                self.expr(other);
                Vec::new()
            }
        };
        std::mem::swap(&mut self.vars, &mut vars);
        self.calling.pop();
        result
    }

    fn operand(&mut self, op: &Operand) -> Vec<At> {
        match op {
            Operand::Literal(..) => Vec::new(),
            Operand::If {
                cond,
                then,
                otherwise,
                ..
            } => {
                self.expr(cond);
                let mut out = Vec::new();
                for branch in [then, otherwise] {
                    match branch.as_ref() {
                        Expr::Value(op) => out.extend(self.operand(op)),
                        other => self.expr(other),
                    }
                }
                out
            }
            Operand::Arith { left, right, .. } => {
                self.operand(left);
                self.operand(right);
                Vec::new()
            }
            Operand::Paren(e, _) => match e.as_ref() {
                Expr::Value(inner) => self.operand(inner),
                other => {
                    self.expr(other);
                    Vec::new()
                }
            },
            Operand::Call(c) => self.call(&c.name.name, &c.args),
            Operand::Path(p) => {
                let name = p.root_name.name.as_str();
                let item = self.items.last().cloned().unwrap_or_default();
                let mut current: Vec<At> = match &p.root {
                    PathRoot::Call(c) => self.call(&c.name.name, &c.args),
                    PathRoot::Item => item,
                    PathRoot::ItemField(f) => item.iter().map(|a| step(a, f)).collect(),
                    _ => match self.vars.get(name) {
                        Some(v) => v.clone(),
                        None if name == "it" => item,
                        // Inside `[ ]`, a bare name is a field of the item.
                        None => item.iter().map(|a| step(a, name)).collect(),
                    },
                };
                self.record(&current);
                for s in &p.steps {
                    match s {
                        Step::Field(f) => {
                            current = current.iter().map(|a| step(a, &f.name)).collect();
                            current.sort_by_key(|a| a.hops.len());
                            current.dedup();
                            self.record(&current);
                        }
                        Step::Filter(e) => {
                            self.items.push(current.clone());
                            self.expr(e);
                            self.items.pop();
                        }
                    }
                }
                current
            }
        }
    }

    fn template(&mut self, parts: &[TemplatePart]) {
        for p in parts {
            if let TemplatePart::Value(op) = p {
                self.operand(op);
            }
        }
    }
}

/// Every chain the rules of these files follow, by subject kind.
pub(crate) fn chains(files: &[RuleFile]) -> Vec<Chain> {
    let mut all: HashSet<Chain> = HashSet::new();
    let mut functions: HashMap<&str, &FnDecl> = HashMap::new();
    for f in files.iter().flat_map(|f| &f.functions) {
        functions.entry(f.name.name.as_str()).or_insert(f);
    }
    for file in files {
        for arm in file.rules.iter().flat_map(|r| &r.arms) {
            let Some(for_clause) = &arm.for_clause else {
                continue;
            };
            let Some(kind) = for_clause
                .kind
                .or_else(|| Kind::from_plural(&for_clause.kind_name.name))
            else {
                continue;
            };
            let subject = At {
                hops: Vec::new(),
                pos: Pos::Entity(kind),
            };
            let mut w = Walker {
                subject: kind,
                vars: HashMap::from([(for_clause.var.name.clone(), vec![subject.clone()])]),
                items: Vec::new(),
                chains: HashSet::new(),
                functions: &functions,
                calling: Vec::new(),
            };
            for e in &arm.wheres {
                w.expr(e);
            }
            let target = match arm.report.as_ref().and_then(|r| r.target.as_ref()) {
                Some(t) => w.operand(t),
                None => vec![subject],
            };
            w.vars.insert("match".to_owned(), target);
            if let Some(r) = &arm.report {
                w.template(&r.message.parts);
            }
            if let Some(h) = &arm.help {
                w.template(&h.parts);
            }
            all.extend(w.chains);
        }
    }
    let mut out: Vec<Chain> = all.into_iter().collect();
    out.sort_by(|a, b| {
        (a.0, a.1.len(), format!("{:?}", a.1)).cmp(&(b.0, b.1.len(), format!("{:?}", b.1)))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::BUILTIN_PACKS;
    use crate::source::FileId;

    fn builtin() -> Vec<Chain> {
        let files: Vec<RuleFile> = BUILTIN_PACKS
            .iter()
            .enumerate()
            .map(|(i, (_, text))| {
                crate::lang::syntax::parse(FileId(i as u32), text).expect("built-in pack parses")
            })
            .collect();
        chains(&files)
    }

    fn names(chain: &Chain) -> Vec<&'static str> {
        chain.1.iter().map(|h| h.name).collect()
    }

    #[test]
    fn built_in_rules_follow_short_precise_chains() {
        let all = builtin();
        let has =
            |subject: Kind, path: &[&str]| all.iter().any(|c| c.0 == subject && names(c) == path);
        assert!(has(Kind::Proposition, &["needs", "evidence"]), "{all:#?}");
        assert!(has(Kind::Segment, &["evidence"]));
        assert!(has(Kind::Message, &["claims.feature"]));
        assert!(has(Kind::Message, &["proposition", "features"]));
        // Nothing walks from a segment to everything that names it.
        assert!(
            !all.iter()
                .any(|c| c.0 == Kind::Segment && names(c) == ["propositions"])
        );
        assert!(all.iter().all(|c| c.1.len() <= 3), "{all:#?}");
    }
}
