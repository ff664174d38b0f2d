//! An Atom feed (RFC 4287) of the published changes, from the revision log:
//! each entry is a version that published a record still public today. An
//! entry's summary is the publication's PUBLIC change note, or nothing: the
//! internal note of a revision never leaves the staff workspace.

use crate::format::xml_text;
use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use paradiplo_core::{Lang, RecordKind};
use paradiplo_store::{Revision, RevisionAction};
use std::collections::HashMap;

/// Public change notes by the version they published: (kind, slug, version).
pub type PublicNotes = HashMap<(RecordKind, String, i64), paradiplo_core::Text>;

/// Plain text for the feed, without the characters XML forbids.
fn plain(s: &str) -> Text {
    Text::plain(xml_text(s).into_owned())
}

fn time(raw: &str) -> FixedDateTime {
    FixedDateTime::parse_from_rfc3339(raw).unwrap_or_default()
}

fn action_label(action: RevisionAction, lang: Lang) -> &'static str {
    match (action, lang) {
        (RevisionAction::Create, Lang::Fr) => "ajout",
        (RevisionAction::Create, Lang::En) => "added",
        (RevisionAction::Update, Lang::Fr) => "mise à jour",
        (RevisionAction::Update, Lang::En) => "updated",
        (RevisionAction::Archive, Lang::Fr) => "archivage",
        (RevisionAction::Archive, Lang::En) => "archived",
        (RevisionAction::Restore, Lang::Fr) => "restauration",
        (RevisionAction::Restore, Lang::En) => "restored",
    }
}

/// Where a record is read: its portal page, or the API.
fn record_path(kind: RecordKind, slug: &str, lang: Lang) -> String {
    crate::paths::record_page(kind, lang, slug)
        .unwrap_or_else(|| format!("/api/v1/{}/{slug}", kind.plural()))
}

/// The feed; `base` is the site's absolute address, `title` and `author` in `lang`.
pub fn render(
    revisions: &[Revision],
    notes: &PublicNotes,
    lang: Lang,
    base: &str,
    title: &str,
    author: &str,
) -> String {
    let self_url = format!("{base}/donnees-ouvertes/changes.{}.atom", lang.code());
    let entries: Vec<Entry> = revisions
        .iter()
        .map(|r| {
            let url = format!("{base}{}", record_path(r.kind, &r.slug, lang));
            Entry {
                title: plain(&format!(
                    "{} — {} ({})",
                    r.record.title().get(lang),
                    r.kind.label(lang),
                    action_label(r.action, lang)
                )),
                id: format!(
                    "{base}/api/v1/{}/{}#v{}",
                    r.kind.plural(),
                    r.slug,
                    r.version
                ),
                updated: time(&r.at),
                links: vec![Link {
                    href: url,
                    rel: "alternate".into(),
                    ..Default::default()
                }],
                summary: notes
                    .get(&(r.kind, r.slug.clone(), r.version))
                    .map(|note| note.get(lang))
                    .filter(|note| !note.trim().is_empty())
                    .map(plain),
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        title: plain(title),
        id: self_url.clone(),
        updated: revisions.first().map(|r| time(&r.at)).unwrap_or_default(),
        authors: vec![Person {
            name: xml_text(author).into_owned(),
            ..Default::default()
        }],
        links: vec![
            Link {
                href: self_url,
                rel: "self".into(),
                ..Default::default()
            },
            Link {
                href: format!("{base}{}", crate::paths::Section::Home.path(lang)),
                rel: "alternate".into(),
                ..Default::default()
            },
        ],
        lang: Some(lang.code().to_string()),
        entries,
        ..Default::default()
    };
    feed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use paradiplo_core::{AnyRecord, RecordState};

    /// A text stored before records refused control characters (records
    /// read back from storage are not validated again).
    #[test]
    fn a_control_character_from_older_data_cannot_break_the_feed() {
        let record = AnyRecord::from_json(
            RecordKind::Domain,
            serde_json::json!({"slug": "culture", "name": {"fr": "Cul\u{1}ture <&>", "en": "Culture"}}),
        )
        .unwrap();
        let revision = Revision {
            id: 1,
            kind: RecordKind::Domain,
            slug: "culture".into(),
            version: 2,
            action: RevisionAction::Update,
            state: RecordState::Published,
            record,
            author: "staff@x.org".into(),
            at: "2030-01-01T10:00:00.000000Z".into(),
            note: "internal only".into(),
        };
        let mut notes = PublicNotes::new();
        notes.insert(
            (RecordKind::Domain, "culture".into(), 2),
            paradiplo_core::Text::new("Nom\u{0} corrigé", "Name fixed"),
        );
        let xml = render(
            &[revision],
            &notes,
            Lang::Fr,
            "https://x.org",
            "T\u{1b}",
            "A",
        );
        assert!(!xml.chars().any(|c| c.is_control() && c != '\n'), "{xml:?}");
        let feed = Feed::read_from(xml.as_bytes()).expect("well-formed");
        let entry = &feed.entries[0];
        assert!(
            entry.title.value.starts_with("Culture <&> — "),
            "{}",
            entry.title.value
        );
        assert_eq!(entry.summary.as_ref().unwrap().value, "Nom corrigé");
        assert!(!xml.contains("internal only"));
    }
}
