use serde::{Deserialize, Serialize};

/// Where a record stands in publication. Nothing is ever deleted: a record
/// that should disappear from the portal is archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RecordState {
    /// Visible to staff only.
    Draft,
    /// Visible to everyone.
    #[default]
    Published,
    /// Kept with its history, hidden from the portal and from exports of current data.
    Archived,
}

impl RecordState {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Draft => "draft",
            RecordState::Published => "published",
            RecordState::Archived => "archived",
        }
    }

    pub fn parse(raw: &str) -> Option<RecordState> {
        match raw {
            "draft" => Some(RecordState::Draft),
            "published" => Some(RecordState::Published),
            "archived" => Some(RecordState::Archived),
            _ => None,
        }
    }
}
