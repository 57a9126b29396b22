//! Runs the rules in force over the model and turns what they report into located,
//! configured findings: severities from configuration, suppressions applied, hygiene
//! findings about the files added.

pub mod suppress;

use crate::finding::{Finding, Severity};
use crate::lang::ast::Literal;
use crate::lang::functions::{World, trim_span};
use crate::lang::time::Date;
use crate::lang::value::Value;
use crate::model::{EntityId, Model};
use crate::rules::hygiene::{self, NATIVE};
use crate::rules::{Report, Rule, RuleSet};
use crate::source::{FileId, Sources, Span};
use std::collections::HashMap;

/// How one rule is configured for a run.
#[derive(Debug, Clone, Default)]
pub struct RuleConfig {
    /// A severity replacing the declared one; `Some(None)` turns the rule off.
    pub severity: Option<Option<Severity>>,
    /// Option values replacing the declared defaults.
    pub options: HashMap<String, Literal>,
}

/// What decides which rules run and how.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// The date `today` stands for.
    pub today: Date,
    /// Only these rules or packs run, when not empty.
    pub select: Vec<String>,
    /// These rules or packs do not run.
    pub ignore: Vec<String>,
    /// Per-rule configuration, by rule id.
    pub rules: HashMap<String, RuleConfig>,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            today: crate::lang::time::today(),
            select: Vec::new(),
            ignore: Vec::new(),
            rules: HashMap::new(),
        }
    }
}

impl RunSettings {
    /// Whether a rule runs, and at which severity.
    pub fn severity_of(&self, rule: &Rule) -> Option<Severity> {
        let named = |list: &[String]| list.iter().any(|s| suppress::names_rule(s, &rule.id));
        if !self.select.is_empty() && !named(&self.select) {
            return None;
        }
        if named(&self.ignore) {
            return None;
        }
        match self.rules.get(&rule.id).and_then(|c| c.severity) {
            Some(s) => s,
            None => Some(rule.severity),
        }
    }
}

/// A finding with the entity it is about, before suppressions.
struct Pending {
    finding: Finding,
    entity: Option<EntityId>,
}

/// Runs every rule in force and returns the findings, sorted by file and position.
pub fn run(
    model: &Model,
    sources: &Sources,
    rules: &RuleSet,
    data_files: &[FileId],
    settings: &RunSettings,
) -> Vec<Finding> {
    let world = World { model, sources };
    let active: Vec<(&Rule, Severity)> = rules
        .rules
        .iter()
        .filter_map(|r| settings.severity_of(r).map(|s| (r, s)))
        .collect();

    let language: Vec<&(&Rule, Severity)> =
        active.iter().filter(|(r, _)| r.kind.is_some()).collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(language.len().max(1));
    let mut pending: Vec<Pending> = Vec::new();
    let chunks: Vec<Vec<Pending>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let language = &language;
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for (i, (rule, severity)) in language.iter().enumerate() {
                        if i % threads != t {
                            continue;
                        }
                        run_rule(rules, rule, *severity, world, settings, &mut out);
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for c in chunks {
        pending.extend(c);
    }

    let severity = |id: &str| active.iter().find(|(r, _)| r.id == id).map(|(_, s)| *s);
    if let Some(s) = severity(hygiene::DUPLICATE_ID) {
        for (f, e) in hygiene::duplicate_ids(model, sources) {
            pending.push(Pending {
                finding: Finding { severity: s, ..f },
                entity: Some(e),
            });
        }
    }
    if let Some(s) = severity(hygiene::DANGLING_REFERENCE) {
        for (f, e) in hygiene::dangling_references(model) {
            pending.push(Pending {
                finding: Finding { severity: s, ..f },
                entity: Some(e),
            });
        }
    }
    if let Some(s) = severity(hygiene::UNKNOWN_FIELD) {
        let read = rules.fields_read();
        for (f, e) in hygiene::unknown_fields(model, &read) {
            pending.push(Pending {
                finding: Finding { severity: s, ..f },
                entity: e,
            });
        }
    }

    let mut sups = suppress::collect(model, sources, data_files);
    let mut findings = Vec::with_capacity(pending.len());
    for p in pending {
        if is_suppressed(&p, sources, &mut sups) {
            continue;
        }
        findings.push(p.finding);
    }
    if let Some(s) = severity(hygiene::SUPPRESSION) {
        let ids: Vec<String> = active.iter().map(|(r, _)| r.id.clone()).collect();
        for f in suppress::findings(&sups, &ids, model) {
            findings.push(Finding { severity: s, ..f });
        }
    }
    sort_findings(&mut findings, sources);
    findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    findings
}

/// Sorts findings by file, position and rule, the order every format shows them in.
pub fn sort_findings(findings: &mut [Finding], sources: &Sources) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| {
            (
                f.span.map(|s| sources.path(s.file).to_path_buf()),
                f.span.map(|s| (s.start, s.end)),
                f.rule.clone(),
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}

fn is_suppressed(p: &Pending, sources: &Sources, sups: &mut [suppress::Suppression]) -> bool {
    let line = p.finding.span.and_then(|s| {
        sources
            .get(s.file)
            .map(|f| (s.file, f.line_col(s.start as usize).line))
    });
    let mut hit = false;
    for s in sups.iter_mut() {
        if !s
            .rules
            .iter()
            .any(|r| suppress::names_rule(r, &p.finding.rule))
        {
            continue;
        }
        let covers = match s.scope {
            suppress::Scope::Entity(e) => p.entity == Some(e),
            suppress::Scope::Line(file, n) => line == Some((file, n)),
        };
        if covers {
            s.used = true;
            hit = true;
        }
    }
    hit
}

/// The most findings one rule reports in a run: past this, the rest are counted, not kept, so
/// that a file of a million matching words cannot fill memory with findings.
pub const MAX_FINDINGS_PER_RULE: usize = 5_000;

fn run_rule<'m>(
    rules: &RuleSet,
    rule: &Rule,
    severity: Severity,
    world: World<'m>,
    settings: &RunSettings,
    out: &mut Vec<Pending>,
) {
    let configured;
    let rule = match settings.rules.get(&rule.id) {
        Some(c) if !c.options.is_empty() => {
            let mut r = rule.clone();
            r.options.extend(c.options.clone());
            configured = r;
            &configured
        }
        _ => rule,
    };
    if NATIVE.contains(&rule.id.as_str()) {
        return;
    }
    let mut reported = 0usize;
    let stopped = rules.evaluate(rule, world, settings.today, |report| {
        reported += 1;
        if reported > MAX_FINDINGS_PER_RULE {
            return;
        }
        let entity = Some(report.entity);
        out.push(Pending {
            finding: locate(world, rule, severity, report),
            entity,
        });
    });
    if reported > MAX_FINDINGS_PER_RULE {
        let mut f = Finding::new(
            rule.id.clone(),
            severity,
            format!(
                "{} more findings of `{}` are not shown: one rule reports at most {MAX_FINDINGS_PER_RULE}",
                reported - MAX_FINDINGS_PER_RULE,
                rule.id
            ),
        )
        .with_help("fix the ones shown first, or turn the rule off while the data is cleaned up");
        f.span = out.last().and_then(|p| p.finding.span);
        out.push(Pending {
            finding: f,
            entity: None,
        });
    }
    if let Some(span) = stopped {
        out.push(Pending {
            finding: Finding::new(
                crate::rules::LOAD_RULES,
                Severity::Error,
                format!(
                    "rule `{}` was stopped: on this data it would take too long to finish, so its findings are incomplete",
                    rule.id
                ),
            )
            .at(span)
            .with_help(
                "avoid nesting `all`/`any` over lists that follow links of links; filter the list first (`p.needs[priority == \"high\"]`)",
            ),
            entity: None,
        });
    }
}

/// Turns what a rule reported into a finding at the most specific span.
fn locate<'m>(world: World<'m>, rule: &Rule, severity: Severity, report: Report<'m>) -> Finding {
    let model = world.model;
    let entity = model.entity(report.entity);
    let fallback = entity.id_span;
    let mut labels: Vec<(Span, String)> = Vec::new();
    let field_span = report
        .field
        .as_deref()
        .and_then(|name| entity.get(name))
        .map(|n| trim_span(world.sources, n.span));
    let span = match &report.target {
        _ if report.whole_field => field_span.unwrap_or(fallback),
        Value::Text(_, Some(node)) => trim_span(world.sources, node.span),
        Value::Entity(e, via) => {
            let target = model.entity(*e);
            if *e != report.entity {
                let status = target
                    .text("status")
                    .map(|s| format!(" (status: {s})"))
                    .unwrap_or_default();
                labels.push((
                    target.id_span,
                    format!("{} `{}`{status}", target.kind.singular(), target.id),
                ));
            }
            via.unwrap_or(if *e == report.entity {
                fallback
            } else {
                target.id_span
            })
        }
        Value::Mention(m) => {
            if let (Some(fs), Some(limit)) = (m.fact_span, m.limit) {
                labels.push((
                    fs,
                    format!(
                        "`{}` is {}",
                        m.fact,
                        crate::lang::value::format_number(limit)
                    ),
                ));
            }
            m.span.unwrap_or(fallback)
        }
        Value::Node(n, _) => trim_span(world.sources, n.span),
        // Dates, numbers and missing values: the field the report names, else the entity.
        _ => field_span.unwrap_or(fallback),
    };
    let mut f = Finding::new(rule.id.clone(), severity, report.message)
        .at(span)
        .about(entity.kind.singular(), entity.id.clone());
    if let Some(field) = report.field {
        f = f.in_field(field);
    }
    if let Some(h) = report.help.filter(|h| !h.is_empty()) {
        f = f.with_help(h);
    }
    for (s, m) in labels {
        f = f.label(s, m);
    }
    f
}
