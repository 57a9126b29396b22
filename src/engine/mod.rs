//! Runs the rules in force over the model and turns what they report into located,
//! configured findings: severities from configuration, suppressions applied, hygiene
//! findings about the files added.

pub(crate) mod baseline;
pub(crate) mod suppress;

use crate::date::Date;
use crate::finding::{Finding, Severity};
use crate::lang::ast::Literal;
use crate::lang::functions::{World, trim_span};
use crate::lang::value::Value;
use crate::model::{EntityId, Model};
use crate::rules::hygiene::{self, NATIVE};
use crate::rules::{RULE_STACK_BYTES, Report, Rule, RuleSet};
use crate::source::{FileId, Sources, Span};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

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
            today: crate::date::today(),
            select: Vec::new(),
            ignore: Vec::new(),
            rules: HashMap::new(),
        }
    }
}

impl RunSettings {
    /// Whether a rule runs, and at which severity.
    pub(crate) fn severity_of(&self, rule: &Rule) -> Option<Severity> {
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
        active.iter().filter(|(r, _)| !r.kinds.is_empty()).collect();
    // Work is handed out as (rule, slice of entities), so two heavy rules over the same
    // kind do not leave a core idle.
    let configured: Vec<(Rule, Severity)> = language
        .iter()
        .filter(|(r, _)| !NATIVE.contains(&r.id.as_str()))
        .map(|(r, s)| (configured_rule(r, settings), *s))
        .collect();
    let mut work: Vec<(usize, usize, &[EntityId])> = Vec::new();
    for (i, (rule, _)) in configured.iter().enumerate() {
        for (arm, kind) in rule.kinds.iter().enumerate() {
            for chunk in model.of_kind(*kind).chunks(CHUNK) {
                work.push((i, arm, chunk));
            }
        }
    }
    let reported: Vec<AtomicUsize> = configured.iter().map(|_| AtomicUsize::new(0)).collect();
    // Evaluation recurses as deeply as a rule nests: its workers get the stack rule files are
    // prepared with.
    let results = crate::parallel::map_with_stack(&work, RULE_STACK_BYTES, |(i, arm, chunk)| {
        let mut out = Vec::new();
        if let (Some((rule, severity)), Some(count)) = (configured.get(*i), reported.get(*i)) {
            let stopped = rules.evaluate_on(rule, *arm, world, settings.today, chunk, |report| {
                if count.fetch_add(1, Ordering::Relaxed) >= MAX_FINDINGS_PER_RULE {
                    return;
                }
                let entity = Some(report.entity);
                out.push(Pending {
                    finding: locate(world, rule, *severity, report),
                    entity,
                });
            });
            if let Some(span) = stopped {
                out.push(Pending {
                    finding: stopped_rule(rule, span),
                    entity: None,
                });
            }
        }
        out
    });
    let mut over_cap = Vec::new();
    for ((rule, severity), count) in configured.iter().zip(&reported) {
        let count = count.load(Ordering::Relaxed);
        if count > MAX_FINDINGS_PER_RULE {
            let mut f = Finding::new(
                rule.id.clone(),
                *severity,
                format!(
                    "{} more findings of `{}` are not shown: one rule reports at most {MAX_FINDINGS_PER_RULE}",
                    count - MAX_FINDINGS_PER_RULE,
                    rule.id
                ),
            )
            .with_help("fix the ones shown first, or turn the rule off while the data is cleaned up");
            f.span = results
                .iter()
                .rev()
                .flat_map(|r| r.iter().rev())
                .find(|p| p.finding.rule == rule.id)
                .and_then(|p| p.finding.span);
            over_cap.push(Pending {
                finding: f,
                entity: None,
            });
        }
    }

    let severity = |id: &str| active.iter().find(|(r, _)| r.id == id).map(|(_, s)| *s);
    let mut native: Vec<(Finding, Option<EntityId>)> = Vec::new();
    if let Some(s) = severity(hygiene::DUPLICATE_ID) {
        native.extend(
            hygiene::duplicate_ids(model, sources)
                .into_iter()
                .map(|(f, e)| (Finding { severity: s, ..f }, Some(e))),
        );
    }
    if let Some(s) = severity(hygiene::DANGLING_REFERENCE) {
        native.extend(
            hygiene::dangling_references(model)
                .into_iter()
                .map(|(f, e)| (Finding { severity: s, ..f }, Some(e))),
        );
    }
    if let Some(s) = severity(hygiene::UNKNOWN_FIELD) {
        let read = rules.fields_read();
        native.extend(
            hygiene::unknown_fields(model, &read)
                .into_iter()
                .map(|(f, e)| (Finding { severity: s, ..f }, e)),
        );
    }

    // Findings are the largest thing a big run builds after the model: they are gathered
    // into one vector of the exact size, and the suppressed ones are taken out in place.
    let total = results.iter().map(Vec::len).sum::<usize>() + over_cap.len() + native.len();
    let mut findings = Vec::with_capacity(total);
    let mut entities = Vec::with_capacity(total);
    let rule_findings = results.into_iter().flatten().chain(over_cap);
    for p in rule_findings {
        findings.push(p.finding);
        entities.push(p.entity);
    }
    for (f, e) in native {
        findings.push(f);
        entities.push(e);
    }
    let mut applier = suppress::Applier::new(suppress::collect(model, sources, data_files));
    let mut entity = entities.into_iter();
    findings.retain(|f| !applier.silences(f, entity.next().flatten(), sources));
    if let Some(s) = severity(hygiene::SUPPRESSION) {
        let ids: Vec<String> = active.iter().map(|(r, _)| r.id.clone()).collect();
        let loaded: Vec<String> = rules.rules.iter().map(|r| r.id.clone()).collect();
        let known = suppress::RulesKnown {
            loaded: &loaded,
            in_force: &ids,
        };
        findings.extend(applier.findings(s, &known, model));
    }
    sort_findings(&mut findings, sources);
    findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span && a.message == b.message);
    findings
}

/// Sorts findings by file, position and rule, the order every format shows them in.
pub(crate) fn sort_findings(findings: &mut [Finding], sources: &Sources) {
    // Each file's place in path order, so that sorting compares numbers, not paths.
    let mut by_path: Vec<FileId> = sources.iter().map(|(id, _)| id).collect();
    by_path.sort_by(|a, b| sources.path(*a).cmp(sources.path(*b)));
    let mut rank = vec![0usize; by_path.len()];
    for (place, id) in by_path.iter().enumerate() {
        if let Some(r) = rank.get_mut(id.0 as usize) {
            *r = place;
        }
    }
    let rank_of = |id: FileId| rank.get(id.0 as usize).copied().unwrap_or(usize::MAX);
    findings.sort_by(|a, b| {
        let key = |f: &Finding| f.span.map(|s| (rank_of(s.file), s.start, s.end));
        key(a)
            .cmp(&key(b))
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// The finding for a rule stopped because its evaluation would take too long.
fn stopped_rule(rule: &Rule, span: Span) -> Finding {
    Finding::new(
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
    )
}

/// The most findings one rule reports in a run: past this, the rest are counted, not kept, so
/// that a file of a million matching words cannot fill memory with findings.
pub const MAX_FINDINGS_PER_RULE: usize = 100_000;

/// Entities per unit of work handed to a core.
const CHUNK: usize = 512;

/// The rule with its options as configured for this run.
fn configured_rule(rule: &Rule, settings: &RunSettings) -> Rule {
    let mut r = rule.clone();
    if let Some(c) = settings.rules.get(&rule.id) {
        r.options.extend(c.options.clone());
    }
    r
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
            if let Some(ws) = m.wording_span {
                labels.push((ws, format!("approved wording of `{}`", m.library_claim)));
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
