//! An Atom feed (RFC 4287) of the published changes, from the revision log:
//! each entry is a version that published a record still public today.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Person, Text};
use paradiplo_core::{Lang, RecordKind};
use paradiplo_store::{Revision, RevisionAction};

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
pub fn render(revisions: &[Revision], lang: Lang, base: &str, title: &str, author: &str) -> String {
    let self_url = format!("{base}/donnees-ouvertes/changes.{}.atom", lang.code());
    let entries: Vec<Entry> = revisions
        .iter()
        .map(|r| {
            let url = format!("{base}{}", record_path(r.kind, &r.slug, lang));
            Entry {
                title: Text::plain(format!(
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
                summary: (!r.note.trim().is_empty()).then(|| Text::plain(r.note.clone())),
                ..Default::default()
            }
        })
        .collect();
    let feed = Feed {
        title: Text::plain(title),
        id: self_url.clone(),
        updated: revisions.first().map(|r| time(&r.at)).unwrap_or_default(),
        authors: vec![Person {
            name: author.to_string(),
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
