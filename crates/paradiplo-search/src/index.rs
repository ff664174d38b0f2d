//! The index on disk: its schema, opening (or rebuilding) it, and keeping it
//! in step with the store's revision log.

use crate::analysis::{self, Analyzers, EN, FOLDED, FR};
use crate::cursor::Cursor;
use crate::doc::{self, IndexDoc, is_indexed};
use crate::facets::FacetCache;
use crate::places::Places;
use crate::synonyms::Synonyms;
use paradiplo_core::{AnyRecord, RecordKind, Registry, Text};
use paradiplo_store::{Store, StoreError, Visibility};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use tantivy::collector::DocSetCollector;
use tantivy::directory::error::LockError;
use tantivy::query::TermSetQuery;
use tantivy::schema::Value;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term, Warmer,
};

/// Bumped whenever the schema or the analyzers change: an index written
/// with another version is rebuilt on start.
pub const SCHEMA_VERSION: u32 = 4;

/// Revisions read per round trip while catching up.
const BATCH: i64 = 500;

/// How often an index with no missing ids compares its document count with
/// the store's published records (and rebuilds itself when they differ).
const RECONCILE_EVERY: std::time::Duration = std::time::Duration::from_secs(300);

/// How far an index is behind the store (for `/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexLag {
    /// Revisions in the store above the highest one applied.
    pub behind: i64,
    /// Revision ids below it not seen yet (transactions in flight, or
    /// rolled back).
    pub missing: i64,
    /// How long the oldest missing id has been waited for.
    pub oldest_missing: std::time::Duration,
    pub documents: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(
        "the search index {0} is in use by another paradiplo process (a running `paradiplo serve`?): \
         stop it first; a server rebuilds a missing or outdated index itself when it starts"
    )]
    Locked(PathBuf),
    #[error("search index: {0}")]
    Index(#[from] TantivyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("search index {path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// The fields of the schema.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub key: Field,
    pub kind: Field,
    pub slug: Field,
    pub title_fr: Field,
    pub title_en: Field,
    pub alias: Field,
    pub body_fr: Field,
    pub body_en: Field,
    /// Everything a word is looked up in, per language: the title three
    /// times, the text and the related records' names once (see `to_document`).
    pub words_fr: Field,
    pub words_en: Field,
    pub region: Field,
    pub domain: Field,
    pub status: Field,
    pub year: Field,
    pub parent: Field,
    /// Years of what the record itself dates, and every year it carries.
    pub years_main: Field,
    pub years: Field,
    /// Titles, short titles, acronyms and references, folded whole.
    pub exact: Field,
    /// Countries: `own:XX` (a partner's, an office's) and `rel:XX` (of the
    /// parties it involves).
    pub country: Field,
    /// Shown with a hit: the record whose page shows it (`kind/slug`), the
    /// counterparts in each language, the date.
    pub link: Field,
    pub partner_fr: Field,
    pub partner_en: Field,
    pub date: Field,
    /// The records whose names a document shows (`kind/slug`): how a
    /// catch-up finds what a renamed record changes.
    pub refs: Field,
}

fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// A field searched by word only (no phrases): frequencies, no positions.
fn words(tokenizer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs),
    )
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | FAST | STORED),
        slug: b.add_text_field("slug", STORED),
        title_fr: b.add_text_field("title_fr", text(FR, true)),
        title_en: b.add_text_field("title_en", text(EN, true)),
        alias: b.add_text_field("alias", text(FOLDED, true)),
        body_fr: b.add_text_field("body_fr", text(FR, true)),
        body_en: b.add_text_field("body_en", text(EN, true)),
        words_fr: b.add_text_field("words_fr", words(FR)),
        words_en: b.add_text_field("words_en", words(EN)),
        region: b.add_text_field("region", STRING | FAST),
        domain: b.add_text_field("domain", STRING | FAST),
        status: b.add_text_field("status", STRING | FAST),
        year: b.add_u64_field("year", INDEXED | FAST | STORED),
        parent: b.add_text_field("parent", STORED),
        years_main: b.add_u64_field("years_main", INDEXED),
        years: b.add_u64_field("years", INDEXED),
        exact: b.add_text_field("exact", STRING),
        country: b.add_text_field("country", STRING),
        link: b.add_text_field("link", STORED),
        partner_fr: b.add_text_field("partner_fr", STORED),
        partner_en: b.add_text_field("partner_en", STORED),
        date: b.add_text_field("date", STORED),
        refs: b.add_text_field("refs", STRING),
    };
    (b.build(), fields)
}

/// What the index remembers of the store, in its commit payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Payload {
    schema: u32,
    /// Every revision up to this id is applied.
    revision: i64,
    /// The first revision of the database ("id@timestamp"): another database
    /// behind the same data folder means a rebuild.
    origin: String,
    /// Published records no public page shows yet (an intervention whose
    /// organization is not published), with the records they refer to:
    /// publishing one of those brings them in. Usually empty.
    #[serde(default)]
    parked: BTreeMap<String, Vec<String>>,
}

/// What the last catch-up cost, in records (not time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CatchUpCount {
    /// Revisions applied.
    pub revisions: usize,
    /// Records read from the store (each once): the records written, the
    /// records that show their names, and the records those refer to.
    pub records_read: usize,
    /// Documents deleted and written again (or only deleted).
    pub documents: usize,
}

/// Why an index was rebuilt when opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// The index was there and in step (it then caught up).
    Existing,
    /// No index in the folder.
    Missing,
    /// Unreadable files.
    Corrupt,
    /// Written by another schema version, or for another database.
    Stale,
}

/// Names the search shows for facet values that are records (domains), and
/// the synonyms found in the data.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    pub domains: HashMap<String, Text>,
    pub synonyms: Synonyms,
    /// Places and their adjectives (« Europe », « européenne »).
    pub places: Places,
}

/// The full-text index of published records.
///
/// One process holds it (tantivy's writer lock): the server while it runs,
/// or `paradiplo reindex`. Searches run concurrently without locks; writes
/// go through [`SearchIndex::catch_up`] and [`SearchIndex::rebuild`].
pub struct SearchIndex {
    path: Option<PathBuf>,
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    writer: Mutex<IndexWriter>,
    pub(crate) fields: Fields,
    cursor: tokio::sync::Mutex<Cursor>,
    /// When the document count was last compared with the store.
    reconciled: Mutex<Instant>,
    pub(crate) labels: RwLock<Labels>,
    pub(crate) analyzers: Analyzers,
    /// Facet values decoded per segment; the reader holds it only weakly.
    pub(crate) facet_cache: Arc<FacetCache>,
    /// See [`Payload::parked`]; changed with the cursor held.
    parked: Mutex<BTreeMap<String, Vec<String>>>,
    last_catch_up: Mutex<CatchUpCount>,
}

/// Writer memory of a server: the registry is small, commits are frequent.
const SERVER_WRITER_HEAP: usize = 30_000_000;

fn lock_error(e: TantivyError, path: &Path) -> SearchError {
    match e {
        TantivyError::LockFailure(LockError::LockBusy, _) => {
            SearchError::Locked(path.to_path_buf())
        }
        e => SearchError::Index(e),
    }
}

impl SearchIndex {
    fn assemble(
        mut index: Index,
        path: Option<PathBuf>,
        threads: usize,
        heap: usize,
    ) -> Result<SearchIndex, SearchError> {
        analysis::register(&index);
        // Queries collect their segments in parallel, one thread per core:
        // a broad query's facet counts visit every match.
        index.set_default_multithread_executor()?;
        let (_, fields) = schema();
        let writer = match &path {
            Some(p) => index
                .writer_with_num_threads(threads, heap)
                .map_err(|e| lock_error(e, p))?,
            None => index.writer_with_num_threads(threads, heap)?,
        };
        let facet_cache = Arc::new(FacetCache::default());
        let warmer: Arc<dyn Warmer> = facet_cache.clone();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()?;
        let (settled, parked) = read_payload(&index)
            .map(|p| (p.revision, p.parked))
            .unwrap_or_default();
        let analyzers = Analyzers::default();
        Ok(SearchIndex {
            path,
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            cursor: tokio::sync::Mutex::new(Cursor::at(settled)),
            reconciled: Mutex::new(Instant::now()),
            labels: RwLock::new(Labels::default()),
            analyzers,
            facet_cache,
            parked: Mutex::new(parked),
            last_catch_up: Mutex::new(CatchUpCount::default()),
        })
    }

    /// An empty index in memory (tests).
    pub fn in_ram() -> Result<SearchIndex, SearchError> {
        let (schema, _) = schema();
        SearchIndex::assemble(Index::create_in_ram(schema), None, 1, SERVER_WRITER_HEAP)
    }

    /// Creates an empty index in `dir` (which must not hold one), with a
    /// writer of `threads` threads and `heap` bytes: for bulk loads.
    pub fn create(dir: &Path, threads: usize, heap: usize) -> Result<SearchIndex, SearchError> {
        std::fs::create_dir_all(dir).map_err(|error| SearchError::Io {
            path: dir.to_path_buf(),
            error,
        })?;
        let (schema, _) = schema();
        let index = Index::create_in_dir(dir, schema)?;
        SearchIndex::assemble(index, Some(dir.to_path_buf()), threads, heap)
    }

    /// Opens the index in `dir` as it is, or creates an empty one. Fails with
    /// [`SearchError::Locked`] when another process holds it.
    fn open_dir(dir: &Path) -> Result<(SearchIndex, Opened), SearchError> {
        let io = |error| SearchError::Io {
            path: dir.to_path_buf(),
            error,
        };
        if !dir.join("meta.json").exists() {
            std::fs::create_dir_all(dir).map_err(io)?;
            let (schema, _) = schema();
            let index = Index::create_in_dir(dir, schema)?;
            let ix = SearchIndex::assemble(index, Some(dir.to_path_buf()), 1, SERVER_WRITER_HEAP)?;
            return Ok((ix, Opened::Missing));
        }
        let opened = Index::open_in_dir(dir)
            .map_err(SearchError::Index)
            .and_then(|index| {
                if index.schema() != schema().0 {
                    return Err(SearchError::Index(TantivyError::SchemaError(
                        "schema changed".into(),
                    )));
                }
                SearchIndex::assemble(index, Some(dir.to_path_buf()), 1, SERVER_WRITER_HEAP)
            });
        match opened {
            Ok(ix) => Ok((ix, Opened::Existing)),
            Err(SearchError::Locked(p)) => Err(SearchError::Locked(p)),
            Err(e) => {
                tracing::warn!(error = %e, dir = %dir.display(), "search index unreadable: rebuilding it");
                // Never wipe an index another process is writing.
                let probe = tantivy::directory::MmapDirectory::open(dir)
                    .map_err(|e| SearchError::Index(e.into()))?;
                let lock = tantivy::directory::Directory::acquire_lock(
                    &probe,
                    &tantivy::directory::INDEX_WRITER_LOCK,
                )
                .map_err(|_| SearchError::Locked(dir.to_path_buf()))?;
                drop(lock);
                drop(probe);
                std::fs::remove_dir_all(dir).map_err(io)?;
                let (ix, _) = SearchIndex::open_dir(dir)?;
                Ok((ix, Opened::Corrupt))
            }
        }
    }

    /// Opens the index in `dir`, rebuilds it from `store` if it is missing,
    /// unreadable, of another schema version or of another database, then
    /// applies the revisions written since. What `serve` does on start.
    pub async fn open(
        dir: &Path,
        store: &Store,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(SearchIndex, Opened), SearchError> {
        let (ix, mut opened) = SearchIndex::open_dir(dir)?;
        if opened == Opened::Existing {
            let payload = read_payload(&ix.index);
            let fresh = match payload {
                None => false,
                Some(p) => {
                    p.schema == SCHEMA_VERSION
                        && p.origin == origin(store).await?
                        && p.revision <= store.last_revision_id().await?
                }
            };
            if !fresh {
                opened = Opened::Stale;
                // Another schema cannot be rewritten in place: start afresh.
                drop(ix);
                std::fs::remove_dir_all(dir).map_err(|error| SearchError::Io {
                    path: dir.to_path_buf(),
                    error,
                })?;
                let (ix, _) = SearchIndex::open_dir(dir)?;
                ix.rebuild(store, progress).await?;
                return Ok((ix, opened));
            }
            ix.catch_up(store).await?;
            ix.load_labels(store).await?;
            return Ok((ix, opened));
        }
        ix.rebuild(store, progress).await?;
        Ok((ix, opened))
    }

    /// Opens the index in `dir` as it is (creating an empty one if there is
    /// none), without looking at any store: for the benchmark.
    pub fn open_local(dir: &Path) -> Result<SearchIndex, SearchError> {
        SearchIndex::open_dir(dir).map(|(ix, _)| ix)
    }

    /// Rebuilds the index in `dir` from `store`, whatever state it is in:
    /// `paradiplo reindex`. Fails with [`SearchError::Locked`], touching
    /// nothing, while a server holds the index.
    pub async fn reindex(
        dir: &Path,
        store: &Store,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, SearchError> {
        let (ix, _) = SearchIndex::open_dir(dir)?;
        ix.rebuild(store, progress).await
    }

    /// The folder of the index (None in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Number of documents searchable now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The revision id up to which the index is known to be in step.
    pub async fn revision(&self) -> i64 {
        self.cursor.lock().await.settled()
    }

    fn to_document(&self, d: &IndexDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.key, key(&d.kind, &d.slug));
        doc.add_text(f.kind, &d.kind);
        doc.add_text(f.slug, &d.slug);
        doc.add_text(f.title_fr, &d.title_fr);
        doc.add_text(f.title_en, &d.title_en);
        for a in &d.aliases {
            doc.add_text(f.alias, a);
        }
        doc.add_text(f.body_fr, &d.body_fr);
        doc.add_text(f.body_en, &d.body_en);
        // BM25F (Robertson, Zaragoza & Taylor 2004): one field per language
        // where a title word counts three times and the length is the
        // weighted length, rather than a sum of per-field scores. A word is
        // then one posting list, which tantivy intersects and prunes fast.
        for (field, title, body, related) in [
            (f.words_fr, &d.title_fr, &d.body_fr, &d.related_fr),
            (f.words_en, &d.title_en, &d.body_en, &d.related_en),
        ] {
            for text in [title, title, title, body, related] {
                doc.add_text(field, text);
            }
        }
        for r in &d.regions {
            doc.add_text(f.region, r);
        }
        for dm in &d.domains {
            doc.add_text(f.domain, dm);
        }
        if let Some(s) = &d.status {
            doc.add_text(f.status, s);
        }
        if let Some(y) = d.year.and_then(|y| u64::try_from(y).ok()) {
            doc.add_u64(f.year, y);
        }
        if let Some(p) = &d.parent {
            doc.add_text(f.parent, p);
        }
        self.add_shown(&mut doc, d);
        doc
    }

    /// What a query matches whole (years, exact names, countries) and what a
    /// hit shows beside its title.
    fn add_shown(&self, doc: &mut TantivyDocument, d: &IndexDoc) {
        let f = &self.fields;
        for (field, years) in [(f.years_main, &d.years_main), (f.years, &d.years)] {
            for y in years.iter().filter_map(|y| u64::try_from(*y).ok()) {
                doc.add_u64(field, y);
            }
        }
        let mut an = self.analyzers.clone();
        for name in &d.exact {
            let whole = exact_form(&mut an, name);
            if !whole.is_empty() {
                doc.add_text(f.exact, whole);
            }
        }
        for c in &d.countries_own {
            doc.add_text(f.country, format!("own:{c}"));
        }
        for c in &d.countries_involved {
            doc.add_text(f.country, format!("rel:{c}"));
        }
        if !d.link_kind.is_empty() {
            doc.add_text(f.link, key(&d.link_kind, &d.link_slug));
        }
        doc.add_text(f.partner_fr, &d.partner_fr);
        doc.add_text(f.partner_en, &d.partner_en);
        if let Some(date) = &d.date {
            doc.add_text(f.date, date);
        }
        for r in &d.refs {
            doc.add_text(f.refs, r);
        }
    }

    /// Adds documents without looking at the store, then commits once and
    /// waits for merges: the benchmark's bulk load.
    pub fn bulk_load(&self, docs: impl Iterator<Item = IndexDoc>) -> Result<u64, SearchError> {
        let mut writer = self.writer.lock().expect("writer lock");
        let mut n = 0;
        for d in docs {
            writer.add_document(self.to_document(&d))?;
            n += 1;
        }
        writer.commit()?;
        self.reader.reload()?;
        Ok(n)
    }

    /// Replaces the whole index with the records of `registry` (all of
    /// them: pass the published ones), without a store: the judged query
    /// set's evaluation. The cursor does not move.
    pub fn index_registry(&self, registry: &Registry) -> Result<u64, SearchError> {
        let mut writer = self.writer.lock().expect("writer lock");
        writer.delete_all_documents()?;
        let mut n = 0;
        for r in registry.iter() {
            if let Some(d) = doc::from_record(r, registry) {
                writer.add_document(self.to_document(&d))?;
                n += 1;
            }
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        self.refresh_labels(registry);
        Ok(n)
    }

    /// Waits until background merges are done (the benchmark measures a
    /// settled index). Consumes the index's writer.
    pub fn wait_merges(self) -> Result<(), SearchError> {
        let writer = self.writer.into_inner().expect("writer lock");
        writer.wait_merging_threads()?;
        Ok(())
    }

    fn refresh_labels(&self, registry: &Registry) {
        let mut labels = self.labels.write().expect("labels lock");
        labels.domains = registry
            .of_kind(RecordKind::Domain)
            .iter()
            .map(|d| (d.slug().to_string(), d.title().clone()))
            .collect();
        labels.synonyms = Synonyms::from_registry(registry, &mut self.analyzers.clone());
        labels.places = Places::from_registry(registry, &mut self.analyzers.clone());
    }

    /// Replaces the whole index with the published records of `store`.
    /// `progress(done, total)` is called as records are indexed.
    pub async fn rebuild(
        &self,
        store: &Store,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<u64, SearchError> {
        self.rebuild_with(store, progress).await
    }

    /// [`SearchIndex::rebuild`] with a progress function of any type (a
    /// plain closure keeps the caller's future `Send`, as `catch_up` must be).
    async fn rebuild_with<F: FnMut(u64, u64) + ?Sized>(
        &self,
        store: &Store,
        progress: &mut F,
    ) -> Result<u64, SearchError> {
        let mut cursor = self.cursor.lock().await;
        // Read the log position first: anything written after it is applied
        // again by the next catch-up, which is harmless.
        let last = store.last_revision_id().await?;
        let origin = origin(store).await?;
        let registry = store.registry(Visibility::Public).await?;
        let records: Vec<&AnyRecord> = registry.iter().filter(|r| is_indexed(r.kind())).collect();
        let total = records.len() as u64;
        // Revisions just below `last` may still be in flight on PostgreSQL:
        // read them again on the next catch-up.
        let recent_from = (last - 100).max(0);
        let recent: Vec<i64> = store
            .revisions_since(recent_from, 200)
            .await?
            .iter()
            .map(|r| r.id)
            .filter(|id| *id <= last)
            .collect();
        let mut next = Cursor::at(recent_from);
        next.observe(&recent, Instant::now());
        let mut parked = BTreeMap::new();
        {
            let mut writer = self.writer.lock().expect("writer lock");
            let result = (|| -> Result<(), SearchError> {
                writer.delete_all_documents()?;
                for (i, r) in records.iter().enumerate() {
                    match doc::from_record(r, &registry) {
                        Some(d) => {
                            writer.add_document(self.to_document(&d))?;
                        }
                        None => {
                            let k = key(r.kind().as_str(), r.slug().as_str());
                            parked.insert(k, doc::reference_keys(r));
                        }
                    }
                    progress(i as u64 + 1, total);
                }
                let mut commit = writer.prepare_commit()?;
                commit.set_payload(&payload(next.settled(), &origin, &parked));
                commit.commit()?;
                Ok(())
            })();
            if let Err(e) = result {
                let _ = writer.rollback();
                return Err(e);
            }
        }
        progress(total, total);
        self.reader.reload()?;
        self.refresh_labels(&registry);
        *self.parked.lock().expect("parked lock") = parked;
        *cursor = next;
        Ok(total)
    }

    /// Applies the revisions written since the last call: each record they
    /// touch (and each record that shows a touched record's name) is indexed
    /// again from its current published state, or leaves the index if it is
    /// no longer published. Returns the number of revisions applied.
    ///
    /// Write paths call this after their transaction commits and before they
    /// answer, so that a change is searchable when the writer is told it is
    /// saved; a background task calls it every second for writes made by
    /// other instances.
    ///
    /// Ids skipped over (transactions committing late, however late) are
    /// read again by range on every call until they show up; when a range
    /// is given up, or every few minutes, the document count is compared
    /// with the store and the index rebuilt if they differ.
    pub async fn catch_up(&self, store: &Store) -> Result<usize, SearchError> {
        let (applied, reconcile) = self.apply_log(store).await?;
        if reconcile {
            self.reconcile(store).await?;
        }
        Ok(applied)
    }

    /// Reads the revisions after the cursor and in its gaps into `next`;
    /// returns how many were new and the records they touch.
    async fn read_log(
        store: &Store,
        next: &mut Cursor,
    ) -> Result<(usize, BTreeSet<(RecordKind, String)>), SearchError> {
        let mut touched: BTreeSet<(RecordKind, String)> = BTreeSet::new();
        let mut applied = 0;
        let mut ranges: Vec<(i64, Option<i64>)> = next
            .gaps()
            .into_iter()
            .map(|(from, to)| (from - 1, Some(to)))
            .collect();
        ranges.push((next.read_after(), None));
        for (mut after, upto) in ranges {
            loop {
                let batch = match upto {
                    Some(upto) => store.revisions_between(after, upto, BATCH).await?,
                    None => store.revisions_since(after, BATCH).await?,
                };
                let ids: Vec<i64> = batch.iter().map(|r| r.id).collect();
                let fresh: BTreeSet<i64> = next.observe(&ids, Instant::now()).into_iter().collect();
                applied += fresh.len();
                for r in batch.iter().filter(|r| fresh.contains(&r.id)) {
                    touched.insert((r.kind, r.slug.clone()));
                }
                match ids.last() {
                    Some(last) if ids.len() as i64 == BATCH => after = *last,
                    _ => break,
                }
            }
        }
        Ok((applied, touched))
    }

    /// Whether the document count should be compared with the store now:
    /// a range of ids was given up, or it is time, with nothing in flight.
    fn reconcile_due(&self, next: &mut Cursor) -> bool {
        let expired = next.take_expired() > 0;
        let mut last = self.reconciled.lock().expect("reconcile clock");
        let due = next.gaps().is_empty() && last.elapsed() >= RECONCILE_EVERY;
        if expired || due {
            *last = Instant::now();
        }
        expired || due
    }

    /// Compares the index's document count with the published records of
    /// the store; rebuilds the index when they differ. Ids still missing
    /// stay watched across the rebuild.
    ///
    /// It reads counts, not records: the published records of the indexed
    /// kinds, less those no public page shows yet (parked).
    pub async fn reconcile(&self, store: &Store) -> Result<bool, SearchError> {
        let counts = store.counts(Visibility::Public).await?;
        let published: i64 = (counts.iter())
            .filter(|(k, _)| is_indexed(**k))
            .map(|(_, n)| *n)
            .sum();
        let parked = self.parked.lock().expect("parked lock").len() as u64;
        let expected = u64::try_from(published).unwrap_or(0).saturating_sub(parked);
        self.reader.reload()?;
        let documents = self.num_docs();
        if documents == expected {
            return Ok(false);
        }
        tracing::warn!(
            documents,
            expected,
            "search index differs from the store; rebuilding it"
        );
        let gaps = self.cursor.lock().await.gaps();
        self.rebuild_with(store, &mut |_, _| {}).await?;
        self.cursor.lock().await.watch(&gaps, Instant::now());
        Ok(true)
    }

    /// How far this index is behind the store.
    pub async fn lag(&self, store: &Store) -> Result<IndexLag, SearchError> {
        let last = store.last_revision_id().await?;
        let cursor = self.cursor.lock().await;
        let (missing, oldest_missing) = cursor.lag(Instant::now());
        Ok(IndexLag {
            behind: (last - cursor.read_after()).max(0),
            missing,
            oldest_missing,
            documents: self.num_docs(),
        })
    }

    /// What the last [`SearchIndex::catch_up`] cost, in records.
    pub fn last_catch_up(&self) -> CatchUpCount {
        *self.last_catch_up.lock().expect("catch-up count lock")
    }

    /// Applies the new revisions at the cost of what they touch: the
    /// records written, the records whose documents show their names (found
    /// in the index by `refs`), and the records those refer to, each read
    /// from the store by kind and slug. Never reads the whole registry.
    async fn apply_log(&self, store: &Store) -> Result<(usize, bool), SearchError> {
        let mut cursor = self.cursor.lock().await;
        let mut next = cursor.clone();
        let (applied, touched) = Self::read_log(store, &mut next).await?;
        let reconcile = self.reconcile_due(&mut next);
        if touched.is_empty() {
            *cursor = next;
            *self.last_catch_up.lock().expect("catch-up count lock") = CatchUpCount::default();
            return Ok((0, reconcile));
        }
        let origin = origin(store).await?;
        let mut keys = touched.clone();
        keys.extend(self.showing(&touched)?);
        let mut loader = Loader::new(store);
        let registry = loader.around(&keys).await?;
        let mut parked = self.parked.lock().expect("parked lock").clone();
        let mut docs = Vec::with_capacity(keys.len());
        for (kind, slug) in &keys {
            let k = key(kind.as_str(), slug);
            parked.remove(&k);
            let record = registry.get(*kind, slug);
            let d = record.and_then(|r| doc::from_record(r, &registry));
            if let Some(r) = record
                && d.is_none()
                && is_indexed(*kind)
            {
                parked.insert(k.clone(), doc::reference_keys(r));
            }
            docs.push((k, d));
        }
        self.commit_docs(&docs, &payload(next.settled(), &origin, &parked))?;
        self.reader.reload()?;
        self.update_labels(&touched, &registry);
        *self.parked.lock().expect("parked lock") = parked;
        *cursor = next;
        let count = CatchUpCount {
            revisions: applied,
            records_read: loader.reads,
            documents: docs.len(),
        };
        *self.last_catch_up.lock().expect("catch-up count lock") = count;
        tracing::debug!(?count, "search index caught up");
        Ok((applied, reconcile))
    }

    /// The records whose documents show the name of a record of `touched`
    /// (their `refs`), parked ones included.
    fn showing(
        &self,
        touched: &BTreeSet<(RecordKind, String)>,
    ) -> Result<BTreeSet<(RecordKind, String)>, SearchError> {
        let names: BTreeSet<String> = (touched.iter()).map(|(k, s)| key(k.as_str(), s)).collect();
        let searcher = self.reader.searcher();
        let query =
            TermSetQuery::new((names.iter()).map(|n| Term::from_field_text(self.fields.refs, n)));
        let mut out = BTreeSet::new();
        for addr in searcher.search(&query, &DocSetCollector)? {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str());
            if let (Some(kind), Some(slug)) = (
                text(self.fields.kind).and_then(RecordKind::parse),
                text(self.fields.slug),
            ) {
                out.insert((kind, slug.to_string()));
            }
        }
        let parked = self.parked.lock().expect("parked lock");
        for (k, refs) in parked.iter() {
            if refs.iter().any(|r| names.contains(r))
                && let Some(id) = parse_key(k)
            {
                out.insert(id);
            }
        }
        Ok(out)
    }

    /// Deletes the document of each key and adds its new one, if any, in
    /// one commit carrying `payload`.
    fn commit_docs(
        &self,
        docs: &[(String, Option<IndexDoc>)],
        payload: &str,
    ) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().expect("writer lock");
        let result = (|| -> Result<(), SearchError> {
            for (k, d) in docs {
                writer.delete_term(Term::from_field_text(self.fields.key, k));
                if let Some(d) = d {
                    writer.add_document(self.to_document(d))?;
                }
            }
            let mut commit = writer.prepare_commit()?;
            commit.set_payload(payload);
            commit.commit()?;
            Ok(())
        })();
        if let Err(e) = result {
            let _ = writer.rollback();
            return Err(e);
        }
        Ok(())
    }

    /// Updates the domain names, synonyms and places that records of
    /// `touched` carry, from `registry` (which holds each of them that is
    /// still published).
    fn update_labels(&self, touched: &BTreeSet<(RecordKind, String)>, registry: &Registry) {
        let mut labels = self.labels.write().expect("labels lock");
        let mut an = self.analyzers.clone();
        for (kind, slug) in touched {
            let record = registry.get(*kind, slug);
            match kind {
                RecordKind::Domain => match record {
                    Some(r) => {
                        labels.domains.insert(slug.clone(), r.title().clone());
                    }
                    None => {
                        labels.domains.remove(slug);
                    }
                },
                RecordKind::Home => labels.places = Places::from_registry(registry, &mut an),
                k if Synonyms::concerns(*k) => labels.synonyms.set(*k, slug, record, &mut an),
                _ => {}
            }
        }
    }

    /// Loads names and synonyms from `store` without touching the index
    /// (after opening an index that needed no rebuild).
    pub async fn load_labels(&self, store: &Store) -> Result<(), SearchError> {
        let registry = store.registry(Visibility::Public).await?;
        self.refresh_labels(&registry);
        Ok(())
    }

    /// The name of a domain, for facet labels.
    pub fn domain_label(&self, slug: &str, lang: paradiplo_core::Lang) -> Option<String> {
        self.labels
            .read()
            .expect("labels lock")
            .domains
            .get(slug)
            .map(|t| t.get(lang).to_string())
    }
}

/// A name or query folded whole: lower case, no accents, words joined by a
/// space (« Accord-cadre Québec/Wallonie » → « accord cadre quebec wallonie »).
pub(crate) fn exact_form(an: &mut Analyzers, text: &str) -> String {
    let toks: Vec<String> = an.folded(text).into_iter().map(|t| t.text).collect();
    toks.join(" ")
}

fn key(kind: &str, slug: &str) -> String {
    format!("{kind}/{slug}")
}

/// The kind and slug of a `kind/slug` key.
fn parse_key(k: &str) -> Option<(RecordKind, String)> {
    let (kind, slug) = k.split_once('/')?;
    Some((RecordKind::parse(kind)?, slug.to_string()))
}

/// Above this many records to write again, a catch-up reads the published
/// registry in one query rather than record by record (a bulk import).
const ONE_BY_ONE_UP_TO: usize = 2_000;

/// Reads records from the store one at a time, each once, and counts them.
struct Loader<'a> {
    store: &'a Store,
    seen: HashMap<(RecordKind, String), Option<AnyRecord>>,
    reads: usize,
}

impl<'a> Loader<'a> {
    fn new(store: &'a Store) -> Self {
        Loader {
            store,
            seen: HashMap::new(),
            reads: 0,
        }
    }

    async fn load(&mut self, kind: RecordKind, slug: &str) -> Result<(), SearchError> {
        let id = (kind, slug.to_string());
        if self.seen.contains_key(&id) {
            return Ok(());
        }
        self.reads += 1;
        let stored = self.store.get(kind, slug, Visibility::Public).await?;
        self.seen.insert(id, stored.map(|s| s.record));
        Ok(())
    }

    /// A registry of the published records among `keys` and of every
    /// record they refer to: all that their documents need
    /// ([`doc::references`] lists every record `from_record` looks up).
    async fn around(
        &mut self,
        keys: &BTreeSet<(RecordKind, String)>,
    ) -> Result<Registry, SearchError> {
        if keys.len() > ONE_BY_ONE_UP_TO {
            // An import: one read of everything beats thousands of round trips.
            let registry = self.store.registry(Visibility::Public).await?;
            self.reads = registry.len();
            return Ok(registry);
        }
        for (kind, slug) in keys {
            self.load(*kind, slug).await?;
        }
        let mut targets = BTreeSet::new();
        for (kind, slug) in keys {
            if let Some(Some(r)) = self.seen.get(&(*kind, slug.clone())) {
                targets.extend(doc::references(r));
            }
        }
        for (kind, slug) in &targets {
            self.load(*kind, slug).await?;
        }
        let mut registry = Registry::new();
        for record in self.seen.values().flatten() {
            registry.push(record.clone());
        }
        Ok(registry)
    }
}

fn payload(revision: i64, origin: &str, parked: &BTreeMap<String, Vec<String>>) -> String {
    serde_json::to_string(&Payload {
        schema: SCHEMA_VERSION,
        revision,
        origin: origin.to_string(),
        parked: parked.clone(),
    })
    .expect("payload serializes")
}

fn read_payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// Identifies the database: its first revision.
async fn origin(store: &Store) -> Result<String, StoreError> {
    Ok(store
        .revisions_since(0, 1)
        .await?
        .first()
        .map(|r| format!("{}@{}", r.id, r.at))
        .unwrap_or_default())
}
