//! The go-to-market model: YAML files read into entities, validated, and indexed.

pub mod docs;
pub mod entity;
pub mod index;
pub mod json_schema;
pub mod load;
pub mod node;
pub mod page;
pub mod refs;
pub mod scalar_text;
pub mod schema;
pub mod voicing;

pub use entity::{Entity, EntityId, Field};
pub use index::Model;
pub use node::{Node, NodeValue};
pub use schema::Kind;
