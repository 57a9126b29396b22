//! Suppressions: an entity's `ignore` list and trailing `# align-ignore: RULE -- reason`
//! comments, and the findings about suppressions themselves.

use crate::finding::{Finding, Severity};
use crate::model::schema::did_you_mean;
use crate::model::{EntityId, Model, NodeValue};
use crate::rules::hygiene::SUPPRESSION;
use crate::source::{FileId, Sources, Span};
use std::collections::HashMap;

/// One suppression, wherever it was written.
#[derive(Debug, Clone)]
pub(crate) struct Suppression {
    /// The rule ids or pack names it names.
    pub(crate) rules: Vec<String>,
    /// Why, if said.
    pub(crate) reason: Option<String>,
    /// Where it is written.
    pub(crate) span: Span,
    /// What it covers.
    pub(crate) scope: Scope,
    /// Whether it silenced anything in this run.
    pub(crate) used: bool,
}

/// What a suppression covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scope {
    /// Every finding about this entity.
    Entity(EntityId),
    /// Every finding starting on this line (1-based) of this file.
    Line(FileId, usize),
}

/// The marker of a suppression comment.
pub(crate) const COMMENT_MARKER: &str = "align-ignore:";

/// Collects every suppression of the model and of the YAML files' comments.
pub(crate) fn collect(model: &Model, sources: &Sources, data_files: &[FileId]) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (id, e) in model.entities() {
        let Some(node) = e.get("ignore") else {
            continue;
        };
        let NodeValue::List(items) = &node.value else {
            continue;
        };
        for item in items {
            let (rule, reason) = match &item.value {
                NodeValue::Text(r) => (Some(r.to_string()), None),
                NodeValue::Map(_) => (
                    item.get("rule")
                        .and_then(|n| n.as_text())
                        .map(str::to_owned),
                    item.get("reason")
                        .and_then(|n| n.as_text())
                        .map(str::to_owned),
                ),
                _ => (None, None),
            };
            let Some(rule) = rule else { continue };
            out.push(Suppression {
                rules: vec![rule],
                reason: reason.filter(|r| !r.trim().is_empty()),
                span: item.span,
                scope: Scope::Entity(id),
                used: false,
            });
        }
    }
    for (_, e) in model.entities() {
        let Some(page) = &e.page else { continue };
        for c in &page.comments {
            if c.kind != crate::page::CommentKind::Ignore {
                continue;
            }
            out.push(Suppression {
                rules: c.rules.clone(),
                reason: c.reason.clone(),
                span: c.span,
                scope: Scope::Line(c.span.file, c.line),
                used: false,
            });
        }
    }
    for &file in data_files {
        let Some(f) = sources.get(file) else { continue };
        // A page's body speaks through its `<!-- align-ignore: -->` comments, read above;
        // only its YAML front matter can hold `# align-ignore:` comments.
        let scanned = if sources.is_page(file) {
            match crate::page::front::find(&f.text) {
                Some(b) if b.format == crate::page::front::FrontFormat::Yaml => {
                    b.body_start.unwrap_or(0)
                }
                _ => 0,
            }
        } else {
            f.text.len()
        };
        // Most files have no suppression comment: one fast search rules them out.
        if !f.text.contains(COMMENT_MARKER) {
            continue;
        }
        let mut offset = 0usize;
        for (n, line) in f.text.get(..scanned).unwrap_or("").split('\n').enumerate() {
            if let Some(s) = comment_in(line) {
                let start = offset + s.at;
                out.push(Suppression {
                    rules: s.rules,
                    reason: s.reason,
                    span: Span::new(file, start, offset + line.trim_end_matches('\r').len()),
                    scope: Scope::Line(file, n + 1),
                    used: false,
                });
            }
            offset += line.len() + 1;
        }
    }
    out
}

/// Applies suppressions to findings: each finding looks up the suppressions of its entity
/// and of its line, and those that silence something are marked used. `align check` applies
/// every suppression in one pass; the language server applies a file's line suppressions
/// each time its findings are shown. Both go through here.
#[derive(Debug, Default)]
pub(crate) struct Applier {
    sups: Vec<Suppression>,
    by_scope: HashMap<Scope, Vec<usize>>,
}

impl Applier {
    /// An applier of these suppressions.
    pub(crate) fn new(sups: Vec<Suppression>) -> Applier {
        let mut by_scope: HashMap<Scope, Vec<usize>> = HashMap::new();
        for (i, s) in sups.iter().enumerate() {
            by_scope.entry(s.scope).or_default().push(i);
        }
        Applier { sups, by_scope }
    }

    /// Whether `finding` (about `entity`, when it is about one) is silenced; the suppressions
    /// that silence it are marked used.
    pub(crate) fn silences(
        &mut self,
        finding: &Finding,
        entity: Option<EntityId>,
        sources: &Sources,
    ) -> bool {
        if self.by_scope.is_empty() {
            return false;
        }
        let line = finding.span.and_then(|s| {
            sources
                .get(s.file)
                .map(|f| Scope::Line(s.file, f.line_col(s.start as usize).line))
        });
        let mut hit = false;
        for scope in [entity.map(Scope::Entity), line].iter().flatten() {
            for &i in self.by_scope.get(scope).map(Vec::as_slice).unwrap_or(&[]) {
                let Some(s) = self.sups.get_mut(i) else {
                    continue;
                };
                if s.rules.iter().any(|r| names_rule(r, &finding.rule)) {
                    s.used = true;
                    hit = true;
                }
            }
        }
        hit
    }

    /// The findings about the suppressions applied (`hygiene/suppression`) at `severity`:
    /// missing reasons, and suppressions that silenced nothing.
    pub(crate) fn findings(
        &self,
        severity: Severity,
        rules: &RulesKnown<'_>,
        model: &Model,
    ) -> Vec<Finding> {
        findings(&self.sups, rules, model)
            .into_iter()
            .map(|f| Finding { severity, ..f })
            .collect()
    }
}

struct Comment {
    at: usize,
    rules: Vec<String>,
    reason: Option<String>,
}

/// Finds a suppression comment on a line: a `#` that starts a comment (at the line start or
/// after whitespace), followed by `align-ignore:`.
fn comment_in(line: &str) -> Option<Comment> {
    let mut search = 0;
    while let Some(rel) = line.get(search..)?.find('#') {
        let at = search + rel;
        let starts_comment = at == 0 || line[..at].ends_with([' ', '\t']);
        let rest = line.get(at + 1..)?.trim_start();
        if starts_comment {
            if let Some(body) = rest.strip_prefix(COMMENT_MARKER) {
                let body = body.trim_end_matches('\r');
                let (rules, reason) = match body.split_once("--") {
                    Some((r, why)) => (r, Some(why.trim().to_owned()).filter(|w| !w.is_empty())),
                    None => (body, None),
                };
                let rules = rules
                    .split(',')
                    .map(|r| r.trim().to_owned())
                    .filter(|r| !r.is_empty())
                    .collect();
                return Some(Comment { at, rules, reason });
            }
        }
        search = at + 1;
    }
    None
}

/// Whether a suppression naming `name` covers rule `rule` (a rule id or its whole pack).
pub(crate) fn names_rule(name: &str, rule: &str) -> bool {
    name == rule || rule.split('/').next() == Some(name)
}

/// The rules a run knows, for judging a suppression that silenced nothing.
pub(crate) struct RulesKnown<'a> {
    /// Every rule loaded (built-in and the team's), in force or not.
    pub(crate) loaded: &'a [String],
    /// The rules that ran (not turned off, selected by `--select`, not `--ignore`d).
    pub(crate) in_force: &'a [String],
}

/// The findings about suppressions: missing reasons, and suppressions that silenced nothing.
/// A suppression naming a real rule that did not run this time (turned off, or left out by
/// `--select`/`--ignore`) is not reported: it may well be needed when that rule runs.
pub(crate) fn findings(
    sups: &[Suppression],
    known: &RulesKnown<'_>,
    model: &Model,
) -> Vec<Finding> {
    let rules_in_force = known.in_force;
    let mut out = Vec::new();
    for s in sups {
        let about = match s.scope {
            Scope::Entity(e) => {
                let e = model.entity(e);
                Some((e.kind.singular(), e.id.clone()))
            }
            Scope::Line(..) => None,
        };
        let mut push = |f: Finding| {
            out.push(match &about {
                Some((k, id)) => f.about(k, id.clone()).in_field("ignore"),
                None => f,
            })
        };
        if s.rules.is_empty() {
            push(
                Finding::new(
                    SUPPRESSION,
                    Severity::Warning,
                    "this suppression names no rule",
                )
                .at(s.span)
                .with_help("write `# align-ignore: pack/rule -- reason`"),
            );
            continue;
        }
        if s.reason.is_none() {
            push(
                Finding::new(SUPPRESSION, Severity::Warning, format!("suppression of `{}` gives no reason", s.rules.join(", ")))
                    .at(s.span)
                    .with_help(match s.scope {
                        Scope::Entity(_) => "add `reason: \"...\"` saying why the finding does not apply (who approved it, and when)",
                        Scope::Line(..) => "add ` -- reason` after the rule id, saying why the finding does not apply",
                    }),
            );
        }
        if !s.used {
            let unknown: Vec<&String> = s
                .rules
                .iter()
                .filter(|r| !known.loaded.iter().any(|id| names_rule(r, id)))
                .collect();
            let not_run = s
                .rules
                .iter()
                .any(|r| !rules_in_force.iter().any(|id| names_rule(r, id)));
            if unknown.is_empty() && not_run {
                continue;
            }
            let f = match unknown.first() {
                None => Finding::new(
                    SUPPRESSION,
                    Severity::Warning,
                    format!("suppression of `{}` suppresses nothing", s.rules.join(", ")),
                )
                .with_help(
                    "remove it: the problem it silenced is gone (or it names the wrong rule)",
                ),
                Some(name) => {
                    let f = Finding::new(
                        SUPPRESSION,
                        Severity::Warning,
                        format!(
                            "suppression names `{}`, which is not a rule of align or of this project",
                            unknown
                                .iter()
                                .map(|r| r.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    let mut names: Vec<&str> = known.loaded.iter().map(String::as_str).collect();
                    names.extend(
                        known
                            .loaded
                            .iter()
                            .filter_map(|id| id.split_once('/').map(|(p, _)| p)),
                    );
                    match did_you_mean(name, names) {
                        Some(m) => f.with_help(format!("did you mean `{m}`?")),
                        None => f.with_help("name a rule id (`pack/rule`) or a pack; `align rules` lists the rules in force"),
                    }
                }
            };
            push(f.at(s.span));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_trailing_comments() {
        let c =
            comment_in("  text: \"x # y\" # align-ignore: a/b, c -- legal ok").expect("comment");
        assert_eq!(c.rules, ["a/b", "c"]);
        assert_eq!(c.reason.as_deref(), Some("legal ok"));
        assert!(comment_in("text: \"#align-ignore: a\"").is_none());
        assert!(comment_in("x: 1 # align-ignore: a/b").is_some_and(|c| c.reason.is_none()));
    }
}
