//! OpenAPI schemas of the value types that serialize as strings or need a
//! shape the derive cannot see (feature `openapi`, used by the JSON API).
//! The record structs derive theirs; these keep the patterns next to the
//! parsers they describe.

use crate::records::PartyRef;
use crate::values::{CountryCode, PartialDate, Slug, SubdivisionCode, Text, WebUrl};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

fn string(description: &str, pattern: Option<&str>, max: Option<usize>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern(pattern)
        .max_length(max)
        .into()
}

macro_rules! string_schema {
    ($ty:ty, $description:expr, $pattern:expr, $max:expr) => {
        impl PartialSchema for $ty {
            fn schema() -> RefOr<Schema> {
                string($description, $pattern, $max)
            }
        }
        impl ToSchema for $ty {}
    };
}

string_schema!(
    Slug,
    "Identifier used in URLs and references: lowercase ASCII letters, digits and single hyphens.",
    Some("^[a-z0-9]+(-[a-z0-9]+)*$"),
    Some(Slug::MAX_LEN)
);
string_schema!(
    CountryCode,
    "ISO 3166-1 alpha-2 country code.",
    Some("^[A-Z]{2}$"),
    None
);
string_schema!(
    SubdivisionCode,
    "ISO 3166-2 subdivision code.",
    Some("^[A-Z]{2}-[A-Z0-9]{1,3}$"),
    None
);
string_schema!(
    PartialDate,
    "A date as the sources give it (EDTF level 1): YYYY, YYYY-MM or YYYY-MM-DD; followed by ~ (approximate) or ? (uncertain); a range D/D; ../D (no later than); D/.. (no earlier than).",
    Some("^(\\.\\./)?[0-9]{4}(-[0-9]{2}){0,2}([~?]|/\\.\\.|/[0-9]{4}(-[0-9]{2}){0,2})?$"),
    None
);
string_schema!(
    PartyRef,
    "A party: `home`, `partner:SLUG`, `organization:SLUG`, `grouping:SLUG` or `country:CC`.",
    Some("^(home|(partner|organization|grouping):[a-z0-9]+(-[a-z0-9]+)*|country:[A-Z]{2})$"),
    None
);

impl PartialSchema for WebUrl {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("A web address (http or https)."))
            .pattern(Some("^https?://"))
            .into()
    }
}
impl ToSchema for WebUrl {}

impl PartialSchema for Text {
    fn schema() -> RefOr<Schema> {
        let both = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "Both languages: French is required, English may be pending (absent).",
            ))
            .property("fr", ObjectBuilder::new().schema_type(Type::String))
            .property("en", ObjectBuilder::new().schema_type(Type::String))
            .required("fr")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        let one = ObjectBuilder::new().schema_type(Type::String).description(Some(
            "One language, when the reader asked for one (`lang`); English falls back to French.",
        ));
        OneOfBuilder::new()
            .description(Some("A text in French and English."))
            .item(both)
            .item(one)
            .into()
    }
}
impl ToSchema for Text {}
