//! Entities as loaded: a kind, an id and every field with its span.

use super::node::Node;
use super::schema::Kind;
use super::text::Text;
use crate::source::{FileId, Span};

/// Identifies an entity in the [`super::Model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityId(pub(super) u32);

/// One field of an entity, as written.
///
/// A large project holds millions of fields, so a field is kept small: its key as a range of
/// the file's text, and the key's place without the file (the entity's).
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The key as written.
    pub(crate) name: Text,
    /// The value (fields whose value had the wrong type are not kept).
    pub(crate) value: Node,
    /// Where the key is written in the entity's file: its first byte and one past its last.
    name_at: [u32; 2],
}

impl Field {
    /// A field whose key `name` is written at `name_span`.
    pub(crate) fn new(name: Text, name_span: Span, value: Node) -> Field {
        Field {
            name,
            value,
            name_at: [name_span.start, name_span.end],
        }
    }

    /// Where the key is written, `file` being the entity's.
    pub(crate) fn name_span(&self, file: FileId) -> Span {
        let [start, end] = self.name_at;
        Span { file, start, end }
    }
}

/// A segment, need, evidence item, feature, proposition or message.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Its kind.
    pub kind: Kind,
    /// Its id.
    pub id: Text,
    /// Where the id's value is written.
    pub(crate) id_span: Span,
    /// The whole entity mapping.
    pub(crate) span: Span,
    /// The file it is in.
    pub(crate) file: FileId,
    /// Every field in source order, known and unknown, `id` included.
    pub(crate) fields: Box<[Field]>,
    /// For a message read from a page file: what else the page holds.
    pub(crate) page: Option<Box<super::page::PageFacts>>,
}

impl Entity {
    /// The field called `name`.
    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == *name)
    }

    /// The value of the field called `name`.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.field(name).map(|f| &f.value)
    }

    /// The text of a text field.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Node::as_text)
    }
}
