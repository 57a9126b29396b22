//! JSON Schemas (draft 2020-12) for the data files and for `align.yaml`, generated from the
//! model's own schema ([`Kind::fields`], [`super::docs`]) and the configuration's keys, so
//! that editors without align's server (yaml-language-server) complete and validate the
//! same fields align reads, and the two never drift.
//!
//! The schemas are deliberately no stricter than align: a field of your own is allowed (a
//! rule may read it), and a file holding none of align's kinds is valid.

use super::docs::{field_doc, kind_doc};
use super::schema::{FieldType, Kind};
use serde_json::{Value, json};

/// The `$id` of the data schema.
pub(crate) const DATA_ID: &str = "urn:align:schema:data";
/// The `$id` of the configuration schema.
pub(crate) const CONFIG_ID: &str = "urn:align:schema:config";

/// The schema of a data file: top-level keys naming kinds, each a list of entities.
pub(crate) fn data_schema() -> Value {
    let mut properties = serde_json::Map::new();
    for kind in Kind::ALL {
        properties.insert(
            kind.plural().to_owned(),
            json!({
                "description": kind_doc(kind),
                "type": ["array", "null"],
                "items": entity_schema(kind),
            }),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": DATA_ID,
        "title": "align data file",
        "description": "Go-to-market knowledge checked by align: segments, needs, evidence, features, propositions, messages and the claims library.",
        "type": "object",
        "properties": properties,
    })
}

fn entity_schema(kind: Kind) -> Value {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for f in kind.fields() {
        let mut schema = field_type_schema(f.ty);
        if let (Some(obj), Some(doc)) = (schema.as_object_mut(), field_doc(kind, f.name)) {
            obj.insert("description".to_owned(), json!(doc));
        }
        properties.insert(f.name.to_owned(), schema);
        if f.required {
            required.push(f.name);
        }
    }
    json!({
        "description": kind_doc(kind),
        "type": "object",
        "properties": properties,
        "required": required,
    })
}

/// An id, or a list of ids (align reads a single id as a list of one).
fn ids(what: String) -> Value {
    json!({
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string", "description": what}},
        ]
    })
}

fn field_type_schema(ty: FieldType) -> Value {
    match ty {
        // A number or true/false where text is expected is read as its text, as align does.
        FieldType::Id => json!({"type": ["string", "number"]}),
        FieldType::Text => json!({"type": ["string", "number", "boolean"]}),
        FieldType::Number => json!({"type": "number"}),
        FieldType::Date => json!({
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "format": "date",
        }),
        FieldType::Choice(words) => json!({"enum": words}),
        FieldType::Ref(kind) => json!({
            "type": "string",

            "markdownDescription": format!("The id of {}.", kind.one()),
        }),
        FieldType::RefList(kind) => ids(format!("The id of {}.", kind.one())),
        FieldType::Words => json!({
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        }),
        FieldType::Facts => json!({
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    {"type": "number"},
                    {
                        "type": "object",
                        "properties": {
                            "value": {"type": "number", "description": "The measured figure."},
                            "better": {"enum": ["higher", "lower"], "description": "Which way a claim overpromises: for `lower`, promising less than the figure (faster, cheaper) is the bigger promise."},
                            "unit": {"type": "string", "description": "The unit, such as hours, ms or pct."},
                        },
                        "required": ["value"],
                    },
                ]
            },
        }),
        FieldType::Claims => json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string", "description": "The claim's wording."},
                    "claim": {"type": "string", "description": "The id of the library claim it voices."},
                    "evidence": ids("The id of an evidence item.".to_owned()),
                    "feature": {"type": "string", "description": "The feature the claim is about."},
                },
            },
        }),
        FieldType::Approvals => json!({
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "role": {"enum": crate::model::schema::APPROVAL_ROLES, "description": "Who signed off: product, legal, marketing, sales or compliance."},
                    "by": {"type": "string", "description": "The person who signed off."},
                    "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "When, YYYY-MM-DD."},
                },
                "required": ["role", "by", "date"],
            },
        }),
        // A bare rule id is read too (and reported for giving no reason).
        FieldType::Ignore => json!({
            "type": "array",
            "items": {
                "type": ["object", "string"],
                "properties": {
                    "rule": {"type": "string", "description": "A rule id (`overpromise/unsubstantiated-claim`) or a pack (`overpromise`)."},
                    "reason": {"type": "string", "description": "Why the finding does not apply: who approved it, and when."},
                },
                "required": ["rule"],
            },
        }),
    }
}

/// The schema of `align.yaml`. `rules` lists the built-in rule ids (with their summaries)
/// for completion; a team's own rule ids are allowed too. `packs` and severities are enums.
/// `page_own` names the message fields a `pages:` entry cannot set.
pub(crate) fn config_schema(
    rules: &[(String, String)],
    packs: &[String],
    page_own: &[&str],
) -> Value {
    let mut entry = serde_json::Map::new();
    entry.insert(
        "include".to_owned(),
        json!({
            "description": "The pages of this entry: globs relative to align.yaml, such as `site/content/pricing/**`.",
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        }),
    );
    for f in Kind::Message
        .fields()
        .iter()
        .filter(|f| !page_own.contains(&f.name))
    {
        let mut schema = field_type_schema(f.ty);
        if let (Some(obj), Some(doc)) = (schema.as_object_mut(), field_doc(Kind::Message, f.name)) {
            obj.insert("description".to_owned(), json!(doc));
        }
        entry.insert(f.name.to_owned(), schema);
    }
    let severity = json!({"enum": ["error", "warning", "info", "off"]});
    let setting = json!({
        "anyOf": [
            severity,
            {
                "type": "object",
                "properties": {
                    "severity": severity,
                    "options": {
                        "type": "object",
                        "description": "Options of the rule (`align explain RULE` lists them).",
                        "additionalProperties": {"type": ["number", "string", "boolean"]},
                    },
                },
                "additionalProperties": false,
            },
        ]
    });
    let mut rule_properties = serde_json::Map::new();
    for (id, summary) in rules {
        let mut s = setting.clone();
        if let Some(o) = s.as_object_mut() {
            o.insert("description".to_owned(), json!(summary));
        }
        rule_properties.insert(id.clone(), s);
    }
    let globs = |what: &str| {
        json!({
            "description": what,
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        })
    };
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": CONFIG_ID,
        "title": "align.yaml",
        "description": "align's configuration: which files to check, which rules, and how.",
        "type": ["object", "null"],
        "properties": {
            "include": globs("Files to check, as globs relative to align.yaml (default: every YAML file)."),
            "exclude": globs("Files and folders to skip, as globs relative to align.yaml."),
            "rules_dirs": globs("Folders (or files) of the team's own `.align` rules, relative to align.yaml."),
            "packs": {
                "description": "The built-in packs in force (default: all).",
                "type": "array",
                "items": {"enum": packs},
            },
            "rules": {
                "description": "Per-rule settings: a severity (`off` turns the rule off) or `{severity, options}`.",
                "type": "object",
                "properties": rule_properties,
                "additionalProperties": setting,
            },
            "today": {
                "description": "The date `today` stands for, YYYY-MM-DD, for reproducible runs.",
                "type": "string",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            },
            "pages": {
                "description": "Markdown, MDX and HTML files to read as pages (messages), with the message fields they share; a page's own front matter or meta tags win.",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": entry,
                    "required": ["include"],
                    "additionalProperties": false,
                },
            },
            "limits": {
                "description": "Caps on what one run reads.",
                "type": "object",
                "properties": {
                    "max_file_mb": {"type": "integer", "minimum": 1, "description": "The largest file read, in megabytes."},
                    "max_entities": {"type": "integer", "minimum": 1, "description": "The most entities read in one run."},
                },
                "additionalProperties": false,
            },
        },
        "additionalProperties": false,
    })
}
