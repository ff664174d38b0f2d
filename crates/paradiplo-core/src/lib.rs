//! The domain model of paradiplo.
//!
//! This crate knows nothing of HTTP, SQL or files: it defines the records of the
//! registry (partners, groupings, organizations, agreements, …), the value types
//! they are built from (bilingual text, slugs, ISO codes, partial dates), and the
//! rules that make a record or a whole registry valid.

pub mod asof;
pub mod clean_text;
pub mod collation;
pub mod country_names;
pub mod dates;
pub mod diff;
pub mod digest;
pub mod error;
pub mod lang;
pub mod lifecycle;
pub mod markup;
#[cfg(feature = "openapi")]
mod openapi;
pub mod quality;
pub mod records;
pub mod registry;
pub mod relations;
pub mod roles;
pub mod state;
pub mod typography;
pub mod values;
pub mod views;

pub use dates::{DatePoint, DayCertainty};
pub use error::{FieldError, Problem};
pub use lang::Lang;
pub use records::{AnyRecord, RecordKind};
pub use registry::{RecordError, Registry};
pub use roles::Role;
pub use state::RecordState;
pub use values::{CountryCode, GeoPoint, PartialDate, Slug, SubdivisionCode, Text};
