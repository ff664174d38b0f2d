//! Agreements and treaties: the list (by status, kind, partner, domain and
//! year of signature) and the agreement page (parties and their acts,
//! lifecycle steps, positions, documents).

use super::*;
use crate::AppState;
use crate::page::{PageOut, newest, record_pair, serve};
use crate::site::{Entry, Site};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use paradiplo_core::records::{Agreement, AgreementKind, AgreementStatus, PartyRef, Procedure};

const STATUS: FilterKey = FilterKey {
    fr: "statut",
    en: "status",
};
const KIND: FilterKey = FilterKey {
    fr: "type",
    en: "kind",
};
const PARTNER: FilterKey = FilterKey {
    fr: "partenaire",
    en: "partner",
};
const DOMAIN: FilterKey = FilterKey {
    fr: "domaine",
    en: "domain",
};
const YEAR: FilterKey = FilterKey {
    fr: "annee",
    en: "year",
};
const STAGE: FilterKey = FilterKey {
    fr: "etape",
    en: "stage",
};

/// The step of its procedure an agreement stands at (its lifecycle stage),
/// as `views::current_step` computes it, with the procedure from the
/// published snapshot.
fn stage(site: &crate::site::Site, a: &paradiplo_core::records::Agreement) -> Option<String> {
    let procedure = site.procedures.get(a.procedure.as_ref()?.as_str())?;
    paradiplo_core::lifecycle::state_of(a, &procedure.rec)
        .and_then(|s| s.current)
        .map(|s| s.to_string())
}

fn has_partner(a: &paradiplo_core::records::Agreement, slug: &str) -> bool {
    a.parties
        .iter()
        .any(|p| matches!(&p.party, PartyRef::Partner(s) if s.as_str() == slug))
}

pub async fn list(lang: Lang, state: AppState, uri: Uri, headers: HeaderMap) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, query| {
        let msg = Msg(templates.messages(lang));
        let Options {
            statuses,
            kinds,
            partners,
            domains,
            years,
            stages,
        } = options(site, lang);
        let chosen = Chosen::read(
            query,
            lang,
            &[
                (STATUS, &statuses),
                (KIND, &kinds),
                (PARTNER, &partners),
                (DOMAIN, &domains),
                (YEAR, &years),
                (STAGE, &stages),
            ],
        );
        let items = chosen_agreements(site, &chosen, lang);
        let updated = newest(items.iter().map(|a| &a.updated_at));
        let (shown, pager) = paginate(items, &chosen, Section::Agreements, lang)?;
        let rows = shown
            .iter()
            .map(|a| Row {
                cells: vec![
                    Link::to(
                        a.rec.title.get(lang),
                        Section::Agreements.record(lang, a.rec.slug.as_str()),
                    ),
                    Link::text(a.rec.kind.label(lang)),
                    Link::text(a.rec.status.label(lang)),
                    Link::text(date(&a.rec.signed, lang).unwrap_or_default()),
                ],
            })
            .collect();
        let heading = msg.get("agreements_title");
        let view = ListView {
            heading: heading.clone(),
            lead: Some(msg.get("agreements_lead")),
            intro_html: None,
            filters: filters_view(
                &chosen,
                lang,
                vec![
                    (STATUS, msg.get("filter_status"), statuses),
                    (KIND, msg.get("filter_type"), kinds),
                    (PARTNER, msg.get("filter_partner"), partners),
                    (DOMAIN, msg.get("filter_domain"), domains),
                    (YEAR, msg.get("filter_year_signed"), years),
                    (STAGE, msg.get("filter_stage"), stages),
                ],
            ),
            action: Section::Agreements.path(lang),
            reset: Section::Agreements.path(lang),
            columns: vec![
                msg.get("col_title"),
                msg.get("col_kind"),
                msg.get("col_status"),
                msg.get("col_signed"),
            ],
            rows,
            pager,
            caption: heading.clone(),
        };
        Some(list_page(
            site,
            lang,
            Section::Agreements,
            &chosen,
            updated,
            view,
            || {
                let d = site.drawings(lang, msg.0);
                (d.agreements.iter())
                    .map(|c| network::chart_view(c, "graphique-ententes", &msg))
                    .collect()
            },
        ))
    })
    .await
}

/// The values offered by the list's filters, each only where some agreement has it.
struct Options {
    statuses: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    partners: Vec<(String, String)>,
    domains: Vec<(String, String)>,
    years: Vec<(String, String)>,
    stages: Vec<(String, String)>,
}

fn options(site: &Site, lang: Lang) -> Options {
    let statuses = vocab_options(
        AgreementStatus::ALL,
        |k| k.as_str(),
        |k| k.label(lang),
        |k| site.agreements.iter().any(|a| a.rec.status == k),
    );
    let kinds = vocab_options(
        AgreementKind::ALL,
        |k| k.as_str(),
        |k| k.label(lang),
        |k| site.agreements.iter().any(|a| a.rec.kind == k),
    );
    let mut partners: Vec<(String, String)> = site
        .partners
        .iter()
        .filter(|p| {
            site.agreements
                .iter()
                .any(|a| has_partner(&a.rec, p.rec.slug.as_str()))
        })
        .map(|p| (p.rec.slug.to_string(), p.rec.name.get(lang).to_string()))
        .collect();
    partners.sort_by_key(|(_, l)| sort_key(l));
    let domains = domain_options(site, lang, |d| {
        site.agreements
            .iter()
            .any(|a| a.rec.domains.iter().any(|x| x.as_str() == d))
    });
    let mut years: Vec<i32> = site
        .agreements
        .iter()
        .filter_map(|a| a.rec.signed.as_ref().map(|d| d.year()))
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let years: Vec<(String, String)> = years
        .iter()
        .map(|y| (y.to_string(), y.to_string()))
        .collect();
    // Stages in the order of their procedures' steps, once each.
    let at: Vec<String> = site
        .agreements
        .iter()
        .filter_map(|a| stage(site, &a.rec))
        .collect();
    let mut stages: Vec<(String, String)> = Vec::new();
    for p in site.procedures.iter() {
        for s in &p.rec.steps {
            let key = s.key.to_string();
            if at.contains(&key) && !stages.iter().any(|(k, _)| k == &key) {
                stages.push((key, s.name.get(lang).to_string()));
            }
        }
    }
    Options {
        statuses,
        kinds,
        partners,
        domains,
        years,
        stages,
    }
}

/// The agreements the filters keep, newest signatures first.
fn chosen_agreements<'s>(site: &'s Site, chosen: &Chosen, lang: Lang) -> Vec<&'s Entry<Agreement>> {
    let mut items: Vec<&Entry<Agreement>> = site
        .agreements
        .iter()
        .filter(|a| {
            chosen
                .get(STATUS)
                .is_none_or(|s| a.rec.status.as_str() == s)
        })
        .filter(|a| chosen.get(KIND).is_none_or(|s| a.rec.kind.as_str() == s))
        .filter(|a| {
            chosen
                .get(STAGE)
                .is_none_or(|s| stage(site, &a.rec).as_deref() == Some(s))
        })
        .filter(|a| chosen.get(PARTNER).is_none_or(|s| has_partner(&a.rec, s)))
        .filter(|a| {
            chosen
                .get(DOMAIN)
                .is_none_or(|d| a.rec.domains.iter().any(|x| x.as_str() == d))
        })
        .filter(|a| {
            chosen.get(YEAR).is_none_or(|y| {
                a.rec
                    .signed
                    .as_ref()
                    .is_some_and(|d| d.year().to_string() == y)
            })
        })
        .collect();
    // Newest signatures first; unsigned ones (in negotiation) last.
    items.sort_by(|a, b| {
        b.rec
            .signed
            .cmp(&a.rec.signed)
            .then_with(|| sort_key(a.rec.title.get(lang)).cmp(&sort_key(b.rec.title.get(lang))))
    });
    items
}

/// The agreements this one names (amends, replaces…), with the relation.
fn related_links(site: &Site, a: &Agreement, lang: Lang) -> Vec<Link> {
    a.related
        .iter()
        .filter_map(|r| site.agreements.get(r.agreement.as_str()).map(|x| (r, x)))
        .map(|(r, x)| {
            Link::to(
                x.rec.title.get(lang),
                Section::Agreements.record(lang, x.rec.slug.as_str()),
            )
            .note(Some(r.relation.label(lang).to_string()))
        })
        .collect()
}

pub async fn show(
    lang: Lang,
    state: AppState,
    slug: String,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let templates = state.templates.clone();
    serve(&state, lang, &uri, &headers, move |site, _| {
        let msg = Msg(templates.messages(lang));
        let e = site.agreements.get(&slug)?;
        let a = &e.rec;
        let mut shown = vec![&e.updated_at];
        let parties = parties(site, a, lang, &msg);
        let procedure = a
            .procedure
            .as_ref()
            .and_then(|p| site.procedures.get(p.as_str()));
        if let Some(p) = procedure {
            shown.push(&p.updated_at);
        }
        let steps = timeline(site, procedure.map(|p| &p.rec), a, lang, &msg);
        let positions: Vec<Link> = site
            .positions
            .iter()
            .filter(|p| p.rec.agreement.as_ref().is_some_and(|s| s.as_str() == slug))
            .map(|p| {
                shown.push(&p.updated_at);
                Link::text(p.rec.title.get(lang)).note(Some(format!(
                    "{} — {}",
                    p.rec.status.label(lang),
                    p.rec.summary.get(lang)
                )))
            })
            .collect();
        let related = related_links(site, a, lang);
        let mut doc_slugs: Vec<&paradiplo_core::Slug> = a.documents.iter().collect();
        for s in &a.steps {
            doc_slugs.extend(s.documents.iter());
        }
        doc_slugs.dedup();
        for d in &doc_slugs {
            if let Some(d) = site.documents.get(d.as_str()) {
                shown.push(&d.updated_at);
            }
        }
        let title = a.title.get(lang).to_string();
        let view = RecordView {
            kind_label: a.kind.label(lang).to_string(),
            heading: title.clone(),
            subtitle: a.short_title.as_ref().map(|s| s.get(lang).to_string()),
            summary: a.summary.get(lang).to_string(),
            facts: facts(site, a, lang, &msg),
            blocks: [
                block(msg.get("block_parties"), parties),
                block(
                    procedure
                        .map(|p| format!("{} — {}", msg.get("block_steps"), p.rec.name.get(lang)))
                        .unwrap_or_else(|| msg.get("block_steps")),
                    steps,
                ),
                block(msg.get("block_positions"), positions),
                block(msg.get("block_related"), related),
            ]
            .into_iter()
            .flatten()
            .collect(),
            milestones: vec![],
            documents: doc_links(site, &doc_slugs, lang),
            sources: sources(&a.sources),
            website: None,
        };
        let (url, alt) = record_pair(Section::Agreements, lang, &slug);
        let jsonld = jsonld(a, &title, lang);
        Some(PageOut {
            template: "record.html",
            title,
            section: Section::Agreements,
            crumbs: list_crumbs(site, lang, Section::Agreements, msg.get("agreements_title")),
            url,
            alternate: alt,
            updated: newest(shown),
            jsonld: Some(jsonld),
            as_of: None,
            title_detail: Vec::new(),
            title_page: None,
            ctx: minijinja::context! { record => crate::templates::to_value(view) },
        })
    })
    .await
}

/// Each party with its acts ("Signature : 2005-10-20 · Ratification : …").
fn parties(site: &Site, a: &Agreement, lang: Lang, msg: &Msg) -> Vec<Link> {
    a.parties
        .iter()
        .map(|p| {
            let acts: Vec<String> = p
                .acts
                .iter()
                .map(|act| {
                    format!(
                        "{}{}{}",
                        act.act.label(lang),
                        lang.colon(),
                        act.date.display(lang)
                    )
                })
                .collect();
            party_link(site, &p.party, lang, msg).note(Some(acts.join(" · ")))
        })
        .collect()
}

/// The timeline: the procedure's steps and the parties' acts, by date.
fn timeline(
    site: &Site,
    procedure: Option<&Procedure>,
    a: &Agreement,
    lang: Lang,
    msg: &Msg,
) -> Vec<Link> {
    paradiplo_core::views::timeline_in(procedure, a)
        .into_iter()
        .map(|entry| {
            use paradiplo_core::views::TimelineWhat;
            let name = match &entry.what {
                TimelineWhat::Step(s) => s.name.get(lang).to_string(),
                TimelineWhat::UnknownStep(key) => key.to_string(),
                TimelineWhat::Act { party, act } => format!(
                    "{} — {}",
                    act.label(lang),
                    party_link(site, party, lang, msg).label
                ),
                TimelineWhat::Signed => msg.get("col_signed"),
                TimelineWhat::InForce => msg.get("fact_in_force"),
                TimelineWhat::Ended => msg.get("fact_ended"),
            };
            let actor = a
                .steps
                .iter()
                .find(|s| {
                    matches!(&entry.what, TimelineWhat::Step(ps) if ps.key == s.step)
                        && s.date == entry.date
                })
                .and_then(|s| s.actor.as_ref());
            let note = [
                Some(
                    entry
                        .date
                        .map(|d| d.display(lang))
                        .unwrap_or_else(|| msg.get("date_not_established")),
                ),
                actor.map(|x| x.get(lang).to_string()),
                entry.note.map(|x| x.get(lang).to_string()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" — ");
            Link::text(name).note(Some(note))
        })
        .collect()
}

/// The agreement's facts: reference, status, dates, domains.
fn facts(site: &Site, a: &Agreement, lang: Lang, msg: &Msg) -> Vec<Fact> {
    [
        fact(msg.get("fact_reference"), a.reference.clone()),
        fact(
            msg.get("col_status"),
            Some(a.status.label(lang).to_string()),
        ),
        fact(
            msg.get("fact_international_status"),
            a.international_status.map(|s| s.label(lang).to_string()),
        ),
        fact(
            msg.get("fact_important"),
            a.important.then(|| msg.get("yes")),
        ),
        fact(msg.get("col_signed"), date(&a.signed, lang)),
        fact(
            msg.get("fact_signed_at"),
            a.signed_at.as_ref().map(|s| s.get(lang).to_string()),
        ),
        fact(msg.get("fact_in_force"), date(&a.in_force, lang)),
        fact(msg.get("fact_ended"), date(&a.ended, lang)),
        fact_links(
            msg.get("fact_domains"),
            domain_links(site, &a.domains, lang),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The page's schema.org description.
fn jsonld(a: &Agreement, title: &str, lang: Lang) -> serde_json::Value {
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": title,
        "alternateName": a.short_title.as_ref().map(|s| s.get(lang)),
        "description": a.summary.get(lang),
        "legislationIdentifier": a.reference,
        "legislationDate": a.signed.as_ref().map(|d| d.to_string()),
        "legislationType": a.kind.label(lang),
        "legislationLegalForce": a.status.label(lang),
        "inLanguage": lang.code(),
    })
}
