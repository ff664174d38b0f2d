//! Popolo JSON (popoloproject.com): the home state, its partners, the
//! groupings and the international organizations as Popolo organizations,
//! and as memberships who belongs to which grouping and how the home state
//! takes part in each organization. Popolo is monolingual: `name` is
//! French, the English name is an `other_names` entry noted `en`.

use paradiplo_core::records::Participation;
use paradiplo_core::values::WebUrl;
use paradiplo_core::{AnyRecord, Lang, Text};
use paradiplo_store::StoredRecord;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

fn id(kind: &str, slug: &str) -> String {
    format!("{kind}:{slug}")
}

fn other_names(name: &Text, acronym: Option<&Text>) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(en) = name.en.as_deref().filter(|en| *en != name.fr) {
        out.push(json!({"name": en, "note": "en"}));
    }
    if let Some(a) = acronym {
        out.push(json!({"name": a.fr, "note": "acronym"}));
        if let Some(en) = a.en.as_deref().filter(|en| *en != a.fr) {
            out.push(json!({"name": en, "note": "acronym en"}));
        }
    }
    out
}

fn links(sources: &[WebUrl]) -> Vec<Value> {
    sources.iter().map(|u| json!({"url": u.as_str()})).collect()
}

fn organization(fields: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    for (k, v) in fields {
        let empty = v.is_null() || v.as_array().is_some_and(Vec::is_empty);
        if !empty {
            m.insert(k.to_string(), v);
        }
    }
    Value::Object(m)
}

fn website_links(website: Option<&WebUrl>) -> Vec<Value> {
    website
        .iter()
        .map(|u| json!({"url": u.as_str(), "note": "website"}))
        .collect()
}

/// The Popolo document of the published registry.
pub fn render(records: &[StoredRecord]) -> Value {
    let home_slug = records.iter().find_map(|s| match &s.record {
        AnyRecord::Home(h) => Some(h.slug.to_string()),
        _ => None,
    });
    let organizations: Vec<Value> = records.iter().filter_map(popolo_organization).collect();
    let ids: BTreeSet<String> = organizations
        .iter()
        .filter_map(|org| org.get("id").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let memberships = memberships(records, home_slug.as_deref(), &ids);
    json!({"organizations": organizations, "memberships": memberships})
}

/// The Popolo organization of a home state, partner, grouping or
/// international organization; `None` for the other kinds.
fn popolo_organization(stored: &StoredRecord) -> Option<Value> {
    let org = match &stored.record {
        AnyRecord::Home(h) => organization(vec![
            ("id", json!(id("home", h.slug.as_str()))),
            ("name", json!(h.name.fr)),
            ("other_names", json!(other_names(&h.name, None))),
            ("classification", json!("federated_state")),
            (
                "identifiers",
                json!([{"identifier": h.subdivision.as_str(), "scheme": "ISO 3166-2"}]),
            ),
        ]),
        AnyRecord::Partner(p) => organization(vec![
            ("id", json!(id("partner", p.slug.as_str()))),
            ("name", json!(p.name.fr)),
            (
                "other_names",
                json!(other_names(&p.name, p.short_name.as_ref())),
            ),
            ("classification", json!(p.kind.as_str())),
            (
                "identifiers",
                json!(
                    p.subdivision
                        .iter()
                        .map(|s| json!({"identifier": s.as_str(), "scheme": "ISO 3166-2"}))
                        .collect::<Vec<_>>()
                ),
            ),
            ("sources", json!(links(&p.sources))),
        ]),
        AnyRecord::Grouping(g) => organization(vec![
            ("id", json!(id("grouping", g.slug.as_str()))),
            ("name", json!(g.name.fr)),
            (
                "other_names",
                json!(other_names(&g.name, g.acronym.as_ref())),
            ),
            ("classification", json!("grouping")),
            ("founding_date", json!(g.founded.map(|d| d.to_string()))),
            ("links", json!(website_links(g.website.as_ref()))),
            ("sources", json!(links(&g.sources))),
        ]),
        AnyRecord::Organization(o) => organization(vec![
            ("id", json!(id("organization", o.slug.as_str()))),
            ("name", json!(o.name.fr)),
            (
                "other_names",
                json!(other_names(&o.name, o.acronym.as_ref())),
            ),
            ("classification", json!(o.kind.as_str())),
            (
                "parent_id",
                json!(o.parent.as_ref().map(|p| id("organization", p.as_str()))),
            ),
            ("founding_date", json!(o.founded.map(|d| d.to_string()))),
            ("links", json!(website_links(o.website.as_ref()))),
            ("sources", json!(links(&o.sources))),
        ]),
        _ => return None,
    };
    Some(org)
}

/// Who belongs to which grouping (members published only), and how the
/// home state takes part in each organization.
fn memberships(
    records: &[StoredRecord],
    home_slug: Option<&str>,
    ids: &BTreeSet<String>,
) -> Vec<Value> {
    let member_id = |slug: &str| {
        if home_slug == Some(slug) {
            id("home", slug)
        } else {
            id("partner", slug)
        }
    };
    let mut memberships = Vec::new();
    for stored in records {
        match &stored.record {
            AnyRecord::Grouping(g) => {
                for m in &g.members {
                    let member = member_id(m.member.as_str());
                    if !ids.contains(&member) {
                        continue; // a member not published: left out
                    }
                    memberships.push(organization(vec![
                        (
                            "id",
                            json!(format!("{}/{}", id("grouping", g.slug.as_str()), member)),
                        ),
                        ("member", json!({"@type": "Organization", "id": member})),
                        ("organization_id", json!(id("grouping", g.slug.as_str()))),
                        ("role", json!(m.role.as_ref().map(|r| r.fr.clone()))),
                        ("start_date", json!(m.since.map(|d| d.to_string()))),
                        ("end_date", json!(m.until.map(|d| d.to_string()))),
                    ]));
                }
            }
            AnyRecord::Organization(o) if o.participation != Participation::None => {
                let Some(home) = home_slug else { continue };
                let member = id("home", home);
                memberships.push(organization(vec![
                    (
                        "id",
                        json!(format!(
                            "{}/{}",
                            id("organization", o.slug.as_str()),
                            member
                        )),
                    ),
                    ("member", json!({"@type": "Organization", "id": member})),
                    (
                        "organization_id",
                        json!(id("organization", o.slug.as_str())),
                    ),
                    ("label", json!(o.participation.as_str())),
                    ("role", json!(o.participation.label(Lang::Fr))),
                ]));
            }
            _ => {}
        }
    }
    memberships
}
