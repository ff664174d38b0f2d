//! Full-text search over the published records of the registry.
//!
//! A tantivy index on disk (one per instance) holds partners, groupings,
//! organizations, agreements, events, interventions and editorial pages in
//! French and English. It is rebuilt from the store when missing or
//! outdated, and follows the store's revision log
//! ([`SearchIndex::catch_up`]): only published records are in it.

mod analysis;
mod countries;
mod country_data;
mod cursor;
mod doc;
mod facets;
mod index;
pub mod judged;
mod places;
mod query;
mod render;
mod synonyms;
mod word;

pub use cursor::GAP_WAIT;
pub use doc::{HUB_PAGE, INDEXED_KINDS, IndexDoc, from_record, is_indexed};
pub use index::{CatchUpCount, IndexLag, Opened, SCHEMA_VERSION, SearchError, SearchIndex};
pub use query::{FacetCount, Facets, Filters, Hit, SearchRequest, SearchResults, escape_html};
