//! The references an entity writes, read through the schema: every field whose type names
//! another kind, and the reference fields of the items of a list field that declares its
//! own (a message's `claims`). The index, the map and the language server all read
//! references here, so a reference field added to the schema is followed everywhere.

use super::entity::Entity;
use super::index::ids_in;
use super::node::{Node, NodeValue};
use super::schema::{FieldDef, FieldType, Kind};
use crate::source::Span;

/// The field a reference is written in: a field of the entity (`supports`), or a field of
/// an item of one of its lists (`claims.feature`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Via {
    /// The list field holding the item, for a reference inside an item.
    pub(crate) list: Option<&'static str>,
    /// The reference field.
    pub(crate) field: &'static str,
}

impl Via {
    /// Whether this is the field `path` names: `supports`, or `claims.feature`.
    pub(crate) fn names(self, path: &str) -> bool {
        match self.list {
            None => self.field == path,
            Some(list) => {
                path.strip_prefix(list)
                    .and_then(|rest| rest.strip_prefix('.'))
                    == Some(self.field)
            }
        }
    }

    /// Whether the reference is written in a field of the entity itself (only those have
    /// back-links).
    pub(crate) fn is_top(self) -> bool {
        self.list.is_none()
    }
}

/// One reference an entity writes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Written<'e> {
    /// Where it is written.
    pub(crate) via: Via,
    /// For a reference inside a list's item, the item's position in the list.
    pub(crate) item: Option<usize>,
    /// The kind of entity it names.
    pub(crate) kind: Kind,
    /// The id it names.
    pub(crate) id: &'e str,
    /// Where the id is written.
    pub(crate) span: Span,
}

impl Written<'_> {
    /// The field as findings name it: `supports`, or `claims[2].feature`.
    pub(crate) fn path(&self) -> String {
        match (self.via.list, self.item) {
            (Some(list), Some(n)) => format!("{list}[{n}].{}", self.via.field),
            _ => self.via.field.to_owned(),
        }
    }
}

/// Calls `f` with every reference `e` writes, in source order.
pub(crate) fn each_written<'e>(e: &'e Entity, mut f: impl FnMut(Written<'e>)) {
    for field in &e.fields {
        let Some(def) = e.kind.field(&field.name) else {
            continue;
        };
        in_field(def, &field.value, None, &mut f);
    }
}

/// Every reference `e` writes, in source order.
pub(crate) fn written(e: &Entity) -> Vec<Written<'_>> {
    let mut out = Vec::new();
    each_written(e, |w| out.push(w));
    out
}

fn in_field<'e>(
    def: &'static FieldDef,
    value: &'e Node,
    within: Option<(&'static str, usize)>,
    f: &mut impl FnMut(Written<'e>),
) {
    let via = |field| Via {
        list: within.map(|(list, _)| list),
        field,
    };
    match def.ty {
        FieldType::Ref(kind) | FieldType::RefList(kind) => {
            for (id, span) in ids_in(value) {
                f(Written {
                    via: via(def.name),
                    item: within.map(|(_, n)| n),
                    kind,
                    id,
                    span,
                });
            }
        }
        ty => {
            let item_fields = ty.item_fields();
            if item_fields.is_empty() || within.is_some() {
                return;
            }
            let NodeValue::List(items) = &value.value else {
                return;
            };
            for (n, item) in items.iter().enumerate() {
                for sub in item_fields {
                    if let Some(v) = item.get(sub.name) {
                        in_field(sub, v, Some((def.name, n)), f);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::load_file;
    use crate::model::node::YamlLimits;
    use crate::source::FileId;

    #[test]
    fn fields_and_claims_are_read_through_the_schema() {
        let loaded = load_file(
            FileId(0),
            &"messages:\n  - id: m\n    text: T\n    proposition: p\n    features: [f1, f2]\n    claims:\n      - {text: a, feature: f3, evidence: [e1]}\n      - {text: b, evidence: e2}\n".into(),
            &YamlLimits::default(),
        );
        let e = loaded.entities.first().expect("a message");
        let found: Vec<(String, Kind, &str, bool)> = written(e)
            .iter()
            .map(|w| (w.path(), w.kind, w.id, w.via.is_top()))
            .collect();
        assert_eq!(
            found,
            [
                ("proposition".to_owned(), Kind::Proposition, "p", true),
                ("features".to_owned(), Kind::Feature, "f1", true),
                ("features".to_owned(), Kind::Feature, "f2", true),
                ("claims[0].evidence".to_owned(), Kind::Evidence, "e1", false),
                ("claims[0].feature".to_owned(), Kind::Feature, "f3", false),
                ("claims[1].evidence".to_owned(), Kind::Evidence, "e2", false),
            ]
        );
        let claim = written(e)[3].via;
        assert!(claim.names("claims.evidence") && !claim.names("evidence"));
    }
}
