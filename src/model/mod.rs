//! The go-to-market model: YAML files read into entities, validated, and indexed.

mod core_schema;
pub(crate) mod docs;
pub(crate) mod entity;
pub(crate) mod index;
pub(crate) mod json_schema;
pub mod load;
pub mod node;
pub(crate) mod page;
pub(crate) mod refs;
pub mod scalar_text;
pub mod schema;
pub mod text;
pub(crate) mod voicing;
mod yaml;

pub(crate) use entity::{Entity, EntityId};
pub use index::Model;
pub(crate) use node::{Node, NodeValue};
pub use schema::Kind;
