//! Staff roles. Each role includes the rights of the roles before it:
//! reader < editor < publisher < admin.

use crate::lang::Lang;
use crate::state::RecordState;
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

/// What a write does, as the role rules see it. Every door (API, staff
/// workspace, import) names its write with one of these, so the same act
/// needs the same role whatever the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteAct {
    /// Writes a record's version in `to`, over a record now in `current`
    /// (None: a new record).
    Record {
        to: RecordState,
        current: Option<RecordState>,
    },
    /// Saves, submits or discards a pending draft.
    Draft,
    /// Publishes or schedules a draft, archives, restores, reviews a forced publication.
    Publish,
}

/// Why the role rules refuse a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleRefusal {
    /// The role is below `needed`.
    Below { needed: Role },
    /// An editor rewrites a record that is not a draft: the store keeps one
    /// current version, so rewriting a published record as a draft would
    /// withdraw it from the public.
    NotADraft,
}

impl Role {
    /// Whether this role may do `act`; the refusal says why not.
    pub fn may(self, act: WriteAct) -> Result<(), RoleRefusal> {
        let needed = match act {
            WriteAct::Draft => Role::Editor,
            WriteAct::Publish => Role::Publisher,
            WriteAct::Record { to, .. } => match to {
                RecordState::Draft => Role::Editor,
                RecordState::Published | RecordState::Archived => Role::Publisher,
            },
        };
        if self < needed {
            return Err(RoleRefusal::Below { needed });
        }
        match act {
            WriteAct::Record {
                current: Some(current),
                ..
            } if !self.can_publish() && current != RecordState::Draft => {
                Err(RoleRefusal::NotADraft)
            }
            _ => Ok(()),
        }
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

    #[test]
    fn write_acts_need_their_role() {
        let new_draft = WriteAct::Record {
            to: RecordState::Draft,
            current: None,
        };
        let publish = WriteAct::Record {
            to: RecordState::Published,
            current: Some(RecordState::Draft),
        };
        let over_published = WriteAct::Record {
            to: RecordState::Draft,
            current: Some(RecordState::Published),
        };
        assert_eq!(Role::Editor.may(new_draft), Ok(()));
        assert_eq!(
            Role::Reader.may(new_draft),
            Err(RoleRefusal::Below {
                needed: Role::Editor
            })
        );
        assert_eq!(
            Role::Editor.may(publish),
            Err(RoleRefusal::Below {
                needed: Role::Publisher
            })
        );
        assert_eq!(Role::Publisher.may(publish), Ok(()));
        assert_eq!(
            Role::Editor.may(over_published),
            Err(RoleRefusal::NotADraft)
        );
        assert_eq!(Role::Publisher.may(over_published), Ok(()));
        assert_eq!(Role::Editor.may(WriteAct::Draft), Ok(()));
        assert!(Role::Editor.may(WriteAct::Publish).is_err());
        assert_eq!(Role::Admin.may(WriteAct::Publish), Ok(()));
    }
}
