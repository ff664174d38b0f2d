//! The published registry as the portal reads it: one in-memory snapshot of
//! every public record, reloaded when the store's change token moves.

use crate::public::network::Drawings;
use paradiplo_core::records::*;
use paradiplo_core::{AnyRecord, Lang, Registry};
use paradiplo_store::{Store, StoreError, Visibility};
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// A record with the time of its last change.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub rec: T,
    pub updated_at: String,
}

/// The published records of one kind, by slug order, with a slug index.
#[derive(Debug, Clone)]
pub struct Coll<T> {
    items: Vec<Entry<T>>,
    by_slug: HashMap<String, usize>,
}

impl<T> Default for Coll<T> {
    fn default() -> Self {
        Coll {
            items: Vec::new(),
            by_slug: HashMap::new(),
        }
    }
}

impl<T> Coll<T> {
    fn push(&mut self, slug: &str, rec: T, updated_at: String) {
        self.by_slug.insert(slug.to_string(), self.items.len());
        self.items.push(Entry { rec, updated_at });
    }
    pub fn get(&self, slug: &str) -> Option<&Entry<T>> {
        self.by_slug.get(slug).map(|i| &self.items[*i])
    }
    pub fn iter(&self) -> impl Iterator<Item = &Entry<T>> {
        self.items.iter()
    }
    pub fn len(&self) -> usize {
        self.items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Every published record.
#[derive(Debug, Default)]
pub struct Site {
    pub token: i64,
    pub home: Option<Entry<Home>>,
    pub domains: Coll<Domain>,
    pub procedures: Coll<Procedure>,
    pub partners: Coll<Partner>,
    pub representations: Coll<Representation>,
    pub groupings: Coll<Grouping>,
    pub organizations: Coll<Organization>,
    pub agreements: Coll<Agreement>,
    pub positions: Coll<Position>,
    pub events: Coll<Event>,
    pub interventions: Coll<Intervention>,
    pub documents: Coll<Document>,
    pub pages: Coll<Page>,
    /// The same published records as one registry, for the drawings.
    pub registry: Registry,
    /// The drawings of this snapshot, per language, drawn on first use.
    drawings: [OnceLock<Arc<Drawings>>; 2],
    /// The public summaries of activities (issue 9): all the public may know
    /// of confidential activities, shown on their partners' pages.
    pub public_activities: Vec<paradiplo_core::views::PublicActivity>,
}

impl Site {
    pub async fn load(store: &Store, token: i64) -> Result<Site, StoreError> {
        // The public "last updated": moved only by substantive changes
        // (see ARCHITECTURE.md, "Drafts and publishing").
        let records = store
            .all(Visibility::Public)
            .await?
            .into_iter()
            .map(|s| (s.record, s.public_changed_at));
        let mut site = Site::from_records(token, records);
        site.public_activities = store.public_activities().await?;
        Ok(site)
    }

    fn from_records(token: i64, records: impl Iterator<Item = (AnyRecord, String)>) -> Site {
        let mut site = Site {
            token,
            ..Site::default()
        };
        for (record, at) in records {
            let slug = record.slug().to_string();
            site.registry.push(record.clone());
            match record {
                AnyRecord::Home(r) => {
                    site.home = Some(Entry {
                        rec: r,
                        updated_at: at,
                    })
                }
                AnyRecord::Domain(r) => site.domains.push(&slug, r, at),
                AnyRecord::Procedure(r) => site.procedures.push(&slug, r, at),
                AnyRecord::Partner(r) => site.partners.push(&slug, r, at),
                AnyRecord::Representation(r) => site.representations.push(&slug, r, at),
                AnyRecord::Grouping(r) => site.groupings.push(&slug, r, at),
                AnyRecord::Organization(r) => site.organizations.push(&slug, r, at),
                AnyRecord::Agreement(r) => site.agreements.push(&slug, r, at),
                AnyRecord::Position(r) => site.positions.push(&slug, r, at),
                AnyRecord::Event(r) => site.events.push(&slug, r, at),
                AnyRecord::Intervention(r) => site.interventions.push(&slug, r, at),
                AnyRecord::Document(r) => site.documents.push(&slug, r, at),
                AnyRecord::Page(r) => site.pages.push(&slug, r, at),
                // Confidential kinds: the store never returns them to public readers.
                AnyRecord::Person(_) | AnyRecord::Activity(_) | AnyRecord::FollowUp(_) => {}
            }
        }
        site
    }

    /// Every record of the snapshot, with its public "last updated".
    fn records(&self) -> Vec<(AnyRecord, String)> {
        fn add<T: Clone>(
            out: &mut Vec<(AnyRecord, String)>,
            c: &Coll<T>,
            wrap: fn(T) -> AnyRecord,
        ) {
            out.extend(
                c.iter()
                    .map(|e| (wrap(e.rec.clone()), e.updated_at.clone())),
            );
        }
        let mut out = Vec::new();
        if let Some(h) = &self.home {
            out.push((AnyRecord::Home(h.rec.clone()), h.updated_at.clone()));
        }
        add(&mut out, &self.domains, AnyRecord::Domain);
        add(&mut out, &self.procedures, AnyRecord::Procedure);
        add(&mut out, &self.partners, AnyRecord::Partner);
        add(&mut out, &self.representations, AnyRecord::Representation);
        add(&mut out, &self.groupings, AnyRecord::Grouping);
        add(&mut out, &self.organizations, AnyRecord::Organization);
        add(&mut out, &self.agreements, AnyRecord::Agreement);
        add(&mut out, &self.positions, AnyRecord::Position);
        add(&mut out, &self.events, AnyRecord::Event);
        add(&mut out, &self.interventions, AnyRecord::Intervention);
        add(&mut out, &self.documents, AnyRecord::Document);
        add(&mut out, &self.pages, AnyRecord::Page);
        out
    }

    /// The published network as it stood on `day` (`paradiplo_core::asof`),
    /// each record keeping its public "last updated". Public summaries of
    /// activities are kept for activities begun by then.
    pub fn as_of(&self, day: time::Date) -> Site {
        let records = self.records();
        let updated: HashMap<(RecordKind, String), String> = records
            .iter()
            .map(|(r, at)| ((r.kind(), r.slug().to_string()), at.clone()))
            .collect();
        let mut reg = Registry::new();
        for (r, _) in records {
            reg.push(r);
        }
        let then = paradiplo_core::asof::as_of(&reg, day);
        let kept = then.iter().map(|r| {
            let at = updated
                .get(&(r.kind(), r.slug().to_string()))
                .cloned()
                .unwrap_or_default();
            (milestones_until(r.clone(), day), at)
        });
        let mut site = Site::from_records(self.token, kept);
        site.public_activities = self
            .public_activities
            .iter()
            .filter(|a| a.start.earliest() <= day)
            .cloned()
            .collect();
        site
    }

    /// The map, charts and graph of this snapshot in `lang`, drawn once
    /// per snapshot and language (the messages are the portal's catalogue).
    pub fn drawings(&self, lang: Lang, msg: &BTreeMap<String, String>) -> Arc<Drawings> {
        let slot = match lang {
            Lang::Fr => &self.drawings[0],
            Lang::En => &self.drawings[1],
        };
        slot.get_or_init(|| Arc::new(Drawings::draw(&self.registry, lang, msg)))
            .clone()
    }

    /// The home state's name ("Québec"), or the portal's own word for it.
    pub fn home_name(&self, lang: Lang) -> String {
        self.home
            .as_ref()
            .map(|h| h.rec.name.get(lang).to_string())
            .unwrap_or_default()
    }
}

/// A record's milestones up to `day`: a page as of 2015 tells no later history.
fn milestones_until(mut record: AnyRecord, day: time::Date) -> AnyRecord {
    let milestones = match &mut record {
        AnyRecord::Partner(r) => Some(&mut r.milestones),
        AnyRecord::Representation(r) => Some(&mut r.milestones),
        AnyRecord::Grouping(r) => Some(&mut r.milestones),
        AnyRecord::Organization(r) => Some(&mut r.milestones),
        _ => None,
    };
    if let Some(ms) = milestones {
        ms.retain(|m| m.date.earliest() <= day);
    }
    record
}

/// The current snapshot, shared by every request.
pub struct SiteCache {
    current: RwLock<Option<Arc<Site>>>,
    loading: tokio::sync::Mutex<()>,
    /// How long a snapshot is served without asking the store whether it
    /// changed (zero: ask on every request).
    freshness: Duration,
    epoch: Instant,
    /// When the store was last asked, in nanoseconds since `epoch` (+1, so
    /// that zero means never).
    checked: AtomicU64,
    /// Where the installed snapshot's home record is given to the templates.
    home: crate::templates::HomeCell,
}

impl Default for SiteCache {
    fn default() -> Self {
        SiteCache::new(Duration::ZERO)
    }
}

impl SiteCache {
    pub fn new(freshness: Duration) -> SiteCache {
        SiteCache {
            current: RwLock::new(None),
            loading: tokio::sync::Mutex::new(()),
            freshness,
            epoch: Instant::now(),
            checked: AtomicU64::new(0),
            home: Default::default(),
        }
    }

    /// The same cache, giving each installed snapshot's home record to
    /// `home` (the templates' contact block).
    pub fn with_home(mut self, home: crate::templates::HomeCell) -> SiteCache {
        self.home = home;
        self
    }

    /// The snapshot for the store's current change token (one cheap query,
    /// at most once per `freshness`), reloading every public record when
    /// the token has moved.
    pub async fn get(&self, store: &Store) -> Result<Arc<Site>, StoreError> {
        let now = self.epoch.elapsed().as_nanos() as u64 + 1;
        if !self.freshness.is_zero() {
            let checked = self.checked.load(Ordering::Relaxed);
            if checked != 0
                && now.saturating_sub(checked) < self.freshness.as_nanos() as u64
                && let Some(s) = self.current.read().expect("site lock").clone()
            {
                return Ok(s);
            }
        }
        self.reload(store, now).await
    }

    /// The snapshot for the store's change token now, reloaded if it moved.
    async fn reload(&self, store: &Store, now: u64) -> Result<Arc<Site>, StoreError> {
        let token = store.change_token().await?;
        self.checked.store(now, Ordering::Relaxed);
        if let Some(s) = self.fresh(token) {
            return Ok(s);
        }
        // One reload at a time; the others wait and take its result.
        let _guard = self.loading.lock().await;
        if let Some(s) = self.fresh(token) {
            return Ok(s);
        }
        let site = Arc::new(Site::load(store, token).await?);
        self.keep_newest(site.clone());
        Ok(site)
    }

    /// Reloads the snapshot now if the store changed, whatever `freshness`
    /// says: a write calls it before answering, so that the next request on
    /// this instance sees what was just published (documents included).
    pub async fn refresh(&self, store: &Store) -> Result<Arc<Site>, StoreError> {
        self.reload(store, self.epoch.elapsed().as_nanos() as u64 + 1)
            .await
    }

    /// Installs `site` unless a newer snapshot is there already: a reader
    /// that took its token before a write must not put back the old data
    /// after the write's own refresh.
    fn keep_newest(&self, site: Arc<Site>) {
        let mut current = self.current.write().expect("site lock");
        if current.as_ref().is_none_or(|c| c.token <= site.token) {
            *self.home.write().expect("home lock") =
                site.home.as_ref().map(|h| Arc::new(h.rec.clone()));
            *current = Some(site);
        }
    }

    fn fresh(&self, token: i64) -> Option<Arc<Site>> {
        self.current
            .read()
            .expect("site lock")
            .as_ref()
            .filter(|s| s.token == token)
            .cloned()
    }
}
