//! The `align.yaml` configuration: read with spans, validated field by field, every mistake
//! a located error.

use crate::date::{Date, parse_date};
use crate::engine::RuleConfig;
use crate::finding::{Finding, Severity};
use crate::lang::ast::Literal;
use crate::model::node::{Node, NodeValue, YamlLimits, parse_documents};
use crate::model::schema::did_you_mean;
use crate::source::{FileId, Span};
use std::collections::HashMap;

/// Rule id of findings about the configuration file.
pub(crate) const LOAD_CONFIG: &str = "load/config";

/// The settings `align.yaml` may hold (`align schema config` describes each).
pub const KEYS: &[&str] = &[
    "include",
    "exclude",
    "rules_dirs",
    "packs",
    "rules",
    "today",
    "limits",
    "pages",
];

/// The configuration, with where each rule setting is written (to report unknown ids).
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    /// Files to check (globs).
    pub(crate) include: Option<Vec<String>>,
    /// Files and folders to skip (globs).
    pub(crate) exclude: Vec<String>,
    /// Folders of the team's own `.align` files, relative to the config file, with where
    /// each is written.
    pub(crate) rules_dirs: Vec<(String, Span)>,
    /// Built-in packs in force (all when absent).
    pub(crate) packs: Option<Vec<(String, Span)>>,
    /// Per-rule settings, with the span of the rule id.
    pub(crate) rules: Vec<(String, Span, RuleConfig)>,
    /// The date `today` stands for.
    pub(crate) today: Option<Date>,
    /// `limits: {max_file_mb: ..., max_entities: ...}`: caps on what one run reads.
    pub(crate) limits: ConfigLimits,
    /// `pages:`: Markdown, MDX and HTML files read as pages, and the fields they share.
    pub(crate) pages: Vec<super::pages::PageEntry>,
}

/// The `limits` setting: raises or lowers what one run reads (the defaults are in
/// `project::ReadLimits`).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ConfigLimits {
    /// The largest file read, in megabytes.
    pub(crate) max_file_mb: Option<u64>,
    /// The most entities read in one run.
    pub(crate) max_entities: Option<usize>,
}

/// Reads a configuration file's text, keeping every setting that is right even when others
/// are wrong (so that the rest can still be checked), with every problem as a `load/config`
/// finding.
pub(crate) fn parse_all(file: FileId, text: &str) -> (Config, Vec<Finding>) {
    let mut errors = Vec::new();
    let err = |span: Span, msg: String| Finding::new(LOAD_CONFIG, Severity::Error, msg).at(span);
    let docs = match parse_documents(file, text, &YamlLimits::default()) {
        Ok(d) => d,
        Err(e) => {
            let at = e.offset.unwrap_or(0);
            return (
                Config::default(),
                vec![err(
                    Span::new(file, at, at),
                    format!("the configuration is not valid YAML: {}", e.message),
                )],
            );
        }
    };
    let mut config = Config::default();
    let Some(doc) = docs.into_iter().next() else {
        return (config, errors);
    };
    let entries = match doc.value {
        NodeValue::Map(entries) => entries,
        NodeValue::Null => return (config, errors),
        other => {
            return (
                config,
                vec![err(
                    doc.span,
                    format!(
                        "the configuration should be a mapping of settings, but it is {}",
                        other.describe()
                    ),
                )],
            );
        }
    };
    for (key, value) in &entries {
        let Some(name) = key.as_text() else {
            errors.push(err(key.span, "setting names should be text".to_owned()));
            continue;
        };
        match name {
            "include" => {
                config.include = strings(value, name, &mut errors)
                    .map(|v| globs(v, name, &mut errors))
            }
            "exclude" => {
                config.exclude = strings(value, name, &mut errors)
                    .map(|v| globs(v, name, &mut errors))
                    .unwrap_or_default()
            }
            "rules_dirs" => {
                config.rules_dirs = strings(value, name, &mut errors).unwrap_or_default()
            }
            "packs" => config.packs = strings(value, name, &mut errors),
            "today" => match value.as_text().and_then(parse_date) {
                Some(d) => config.today = Some(d),
                None => errors.push(
                    err(
                        value.span,
                        "`today` should be a date like 2026-11-26".to_owned(),
                    )
                    .with_help(
                        "write the date as YYYY-MM-DD, or leave `today` out to use the date of each run",
                    ),
                ),
            },
            "rules" => rules(value, &mut config, &mut errors),
            "limits" => limits(value, &mut config.limits, &mut errors),
            "pages" => config.pages = super::pages::parse(value, &mut errors),
            other => {
                let mut f = err(
                    key.span,
                    format!("`{other}` is not a setting of align.yaml"),
                );
                f = match did_you_mean(other, KEYS.iter().copied()) {
                    Some(s) => f.with_help(format!("did you mean `{s}`?")),
                    None => f.with_help(format!("the settings are: {}", KEYS.join(", "))),
                };
                errors.push(f);
            }
        }
    }
    (config, errors)
}

/// The patterns of `include` or `exclude` that are valid globs; each other one is a located
/// error, and left out.
fn globs(patterns: Vec<(String, Span)>, name: &str, errors: &mut Vec<Finding>) -> Vec<String> {
    let mut out = Vec::new();
    for (pattern, span) in patterns {
        match super::discover::check_glob(&pattern) {
            Ok(()) => out.push(pattern),
            Err(why) => errors.push(
                Finding::new(
                    LOAD_CONFIG,
                    Severity::Error,
                    format!("`{pattern}` in `{name}` is not a pattern align can read: {why}"),
                )
                .at(span)
                .with_help(
                    "patterns use `*` (any name in one folder), `**` (any folders), `?` (one \
                     character) and `[ab]` (one of these characters)",
                ),
            ),
        }
    }
    out
}

fn strings(value: &Node, name: &str, errors: &mut Vec<Finding>) -> Option<Vec<(String, Span)>> {
    let items: Vec<&Node> = match &value.value {
        NodeValue::List(items) => items.iter().collect(),
        NodeValue::Text(_) => vec![value],
        NodeValue::Null => Vec::new(),
        other => {
            errors.push(
                Finding::new(
                    LOAD_CONFIG,
                    Severity::Error,
                    format!(
                        "`{name}` should be a list of texts, but it is {}",
                        other.describe()
                    ),
                )
                .at(value.span),
            );
            return None;
        }
    };
    let mut out = Vec::new();
    for i in items {
        match i.as_text() {
            Some(s) => out.push((s.to_owned(), i.span)),
            None => errors.push(
                Finding::new(
                    LOAD_CONFIG,
                    Severity::Error,
                    format!(
                        "each item of `{name}` should be text, but this is {}",
                        i.value.describe()
                    ),
                )
                .at(i.span),
            ),
        }
    }
    Some(out)
}

fn rules(value: &Node, config: &mut Config, errors: &mut Vec<Finding>) {
    let err = |span: Span, msg: String| Finding::new(LOAD_CONFIG, Severity::Error, msg).at(span);
    let NodeValue::Map(entries) = &value.value else {
        if !value.is_null() {
            errors.push(err(value.span, "`rules` should map rule ids to settings, like `hygiene/stale-evidence: { severity: error }`".to_owned()));
        }
        return;
    };
    for (key, setting) in entries {
        let Some(id) = key.as_text() else {
            errors.push(err(key.span, "rule ids should be text".to_owned()));
            continue;
        };
        let mut rc = RuleConfig::default();
        match &setting.value {
            // A bare severity: `pack/rule: off`.
            NodeValue::Text(s) => match parse_severity(s) {
                Some(sev) => rc.severity = Some(sev),
                None => errors.push(bad_severity(setting, s)),
            },
            NodeValue::Map(fields) => {
                for (k, v) in fields {
                    match k.as_text() {
                        Some("severity") => match v.as_text().and_then(parse_severity) {
                            Some(sev) => rc.severity = Some(sev),
                            None => errors.push(bad_severity(v, v.as_text().unwrap_or(""))),
                        },
                        Some("options") => match &v.value {
                            NodeValue::Map(opts) => {
                                for (ok, ov) in opts {
                                    let (Some(oname), Some(lit)) = (ok.as_text(), literal(ov))
                                    else {
                                        errors.push(err(ov.span, "an option value should be a number, text, true/false or a date".to_owned()));
                                        continue;
                                    };
                                    rc.options.insert(oname.to_owned(), lit);
                                }
                            }
                            _ => errors.push(err(
                                v.span,
                                "`options` should map option names to values".to_owned(),
                            )),
                        },
                        Some(other) => {
                            let mut f = err(k.span, format!("`{other}` is not a rule setting"));
                            if let Some(s) = did_you_mean(other, ["severity", "options"]) {
                                f = f.with_help(format!("did you mean `{s}`?"));
                            } else {
                                f = f.with_help("a rule takes `severity` and `options`");
                            }
                            errors.push(f);
                        }
                        None => {
                            errors.push(err(k.span, "rule setting names should be text".to_owned()))
                        }
                    }
                }
            }
            other => errors.push(err(
                setting.span,
                format!(
                    "the settings of `{id}` should be a mapping or a severity, but they are {}",
                    other.describe()
                ),
            )),
        }
        config.rules.push((id.to_owned(), key.span, rc));
    }
}

/// The severities a rule can be set to.
const SEVERITIES: &[&str] = &["error", "warning", "info", "off"];

fn bad_severity(node: &Node, written: &str) -> Finding {
    let f = Finding::new(
        LOAD_CONFIG,
        Severity::Error,
        if written.is_empty() {
            format!(
                "a severity should be one of error, warning, info or off, but this is {}",
                node.value.describe()
            )
        } else {
            format!("`{written}` is not a severity")
        },
    )
    .at(node.span);
    match did_you_mean(written, SEVERITIES.iter().copied()) {
        Some(s) => f.with_help(format!("did you mean `{s}`?")),
        None => f.with_help("use error, warning, info, or off to turn the rule off"),
    }
}

fn limits(value: &Node, limits: &mut ConfigLimits, errors: &mut Vec<Finding>) {
    let err = |span: Span, msg: String| Finding::new(LOAD_CONFIG, Severity::Error, msg).at(span);
    let NodeValue::Map(entries) = &value.value else {
        if !value.is_null() {
            errors.push(err(
                value.span,
                "`limits` should be a mapping, like `limits: { max_file_mb: 100 }`".to_owned(),
            ));
        }
        return;
    };
    for (key, v) in entries {
        let whole = match &v.value {
            NodeValue::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= 1e12 => Some(*n as u64),
            _ => None,
        };
        match key.as_text() {
            Some(name @ ("max_file_mb" | "max_entities")) => match whole {
                Some(n) if name == "max_file_mb" => limits.max_file_mb = Some(n),
                Some(n) => limits.max_entities = Some(usize::try_from(n).unwrap_or(usize::MAX)),
                None => errors.push(err(
                    v.span,
                    format!("`{name}` should be a whole number above zero"),
                )),
            },
            Some(other) => {
                let f = err(key.span, format!("`{other}` is not a limit"));
                errors.push(match did_you_mean(other, ["max_file_mb", "max_entities"]) {
                    Some(s) => f.with_help(format!("did you mean `{s}`?")),
                    None => f.with_help("the limits are `max_file_mb` and `max_entities`"),
                });
            }
            None => errors.push(err(key.span, "limit names should be text".to_owned())),
        }
    }
}

fn parse_severity(s: &str) -> Option<Option<Severity>> {
    match s {
        "off" => Some(None),
        other => other.parse::<Severity>().ok().map(Some),
    }
}

fn literal(node: &Node) -> Option<Literal> {
    Some(match &node.value {
        NodeValue::Number(n) => Literal::Number(*n),
        NodeValue::Bool(b) => Literal::Bool(*b),
        NodeValue::Text(s) => match parse_date(s) {
            Some(d) => Literal::Date(d.0),
            None => Literal::Text(s.to_string()),
        },
        _ => return None,
    })
}

/// Configuration for each rule id, as the engine wants it.
pub(crate) fn rule_configs(config: &Config) -> HashMap<String, RuleConfig> {
    config
        .rules
        .iter()
        .map(|(id, _, rc)| (id.clone(), rc.clone()))
        .collect()
}
