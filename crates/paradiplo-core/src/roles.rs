//! Staff roles. Each role includes the rights of the roles before it:
//! reader < editor < publisher < admin.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees drafts and history.
    Reader,
    /// Creates and edits drafts.
    Editor,
    /// Publishes, archives and restores.
    Publisher,
    /// Manages accounts and API tokens.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Reader, Role::Editor, Role::Publisher, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Publisher => "publisher",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Role::Reader, Lang::Fr) => "Lecture",
            (Role::Reader, Lang::En) => "Reader",
            (Role::Editor, Lang::Fr) => "Rédaction",
            (Role::Editor, Lang::En) => "Editor",
            (Role::Publisher, Lang::Fr) => "Publication",
            (Role::Publisher, Lang::En) => "Publisher",
            (Role::Admin, Lang::Fr) => "Administration",
            (Role::Admin, Lang::En) => "Administrator",
        }
    }

    pub fn can_read_drafts(self) -> bool {
        self >= Role::Reader
    }

    pub fn can_edit(self) -> bool {
        self >= Role::Editor
    }

    pub fn can_publish(self) -> bool {
        self >= Role::Publisher
    }

    pub fn can_manage_accounts(self) -> bool {
        self >= Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_nest() {
        assert!(Role::Admin.can_publish() && Role::Admin.can_edit());
        assert!(Role::Publisher.can_edit() && !Role::Publisher.can_manage_accounts());
        assert!(Role::Editor.can_edit() && !Role::Editor.can_publish());
        assert!(Role::Reader.can_read_drafts() && !Role::Reader.can_edit());
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
