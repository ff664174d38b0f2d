//! The typed, documented endpoints of each collection. One macro call per
//! collection declares its filters and dates; the handlers, OpenAPI
//! annotations and schemas follow from it, so documentation and routes
//! cannot drift apart.

use super::auth::Caller;
use super::params::{
    ApiQuery, JsonBody, SlugPath, Sort, StateFilter, as_of_date, if_match_draft_revision,
    if_match_version, year_bounds,
};
use super::problem::{ApiError, ApiLang, Problem};
use super::records::{
    self, Collection, Common, DraftLinks, DraftNoteItem, DraftSource, DraftStage, DraftView, Links,
    envelope,
};
use super::write;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use paradiplo_core::records::*;
use paradiplo_core::{AnyRecord, Lang, PartialDate, RecordKind, RecordState, Slug};
use paradiplo_store::StoredRecord;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The state a write leaves the record in.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WriteState {
    /// Staff only (editors and above).
    Draft,
    /// On the portal and in the public API (publishers and above).
    Published,
}

/// The body of an archive request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveRequest {
    /// Why: recorded in the revision log.
    #[schema(min_length = 1, max_length = 1000)]
    pub note: String,
}

/// The body of a restore request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreRequest {
    /// Why: recorded in the revision log.
    #[schema(min_length = 1, max_length = 1000)]
    pub note: String,
    /// The version to make current again; by default the current one (which
    /// un-archives an archived record).
    #[schema(minimum = 1)]
    pub version: Option<i64>,
    /// What the public is told of the change (French required, English
    /// optional): needed when the restored version differs in substance
    /// from a published one, as for any publication.
    pub public_note: Option<paradiplo_core::Text>,
}

/// Parameters of a single-record read.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// One language (`fr` or `en`) instead of both: every bilingual text
    /// becomes a string, English falling back to French.
    pub lang: Option<Lang>,
    /// The record as it stood that day (`YYYY-MM-DD`): its memberships,
    /// offices and agreement steps of that day; 404 if it did not exist, or
    /// was not in force, then.
    #[param(format = Date)]
    pub date: Option<String>,
}

fn note_errors(lang: Lang, errors: Vec<paradiplo_core::FieldError>) -> ApiError {
    ApiError::validation(lang, errors)
}

macro_rules! collection {
    (
        variant: $variant:ident,
        plural: $plural:tt,
        list_path: $list_path:tt,
        item_path: $item_path:tt,
        archive_path: $archive_path:tt,
        restore_path: $restore_path:tt,
        draft_path: $draft_path:tt,
        portal: $portal:expr,
        query: $query:ident { $( $(#[$fmeta:meta])* $field:ident : $fty:ty ),* $(,)? },
        check: $check:expr,
        keep: $keep:expr,
        date: $date:expr,
        types: ($item:ident, $list:ident, $write:ident, $draft:ident),
        handlers: ($list_fn:ident, $get_fn:ident, $create_fn:ident, $update_fn:ident, $archive_fn:ident, $restore_fn:ident, $draft_fn:ident) $(,)?
    ) => {
        /// A record with its registry metadata.
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $item {
            pub slug: String,
            pub state: RecordState,
            /// Increases with every write; send it back in `If-Match` to update.
            pub version: i64,
            pub created_at: String,
            pub updated_at: String,
            pub links: Links,
            pub record: $variant,
        }

        /// A page of records.
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $list {
            /// Records matching the filters, on every page.
            pub total: u64,
            pub page: u32,
            pub per_page: u32,
            pub pages: u64,
            pub items: Vec<$item>,
        }

        /// A record's draft: its working copy (the pending next version,
        /// which a publisher reviews and publishes) or, when it has none,
        /// the record itself as it stands.
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $draft {
            pub slug: String,
            pub source: DraftSource,
            /// Where a working copy stands in its review; null for the record itself.
            pub status: Option<DraftStage>,
            /// The state of the record in the registry, which a working copy
            /// leaves as it is; null for a new record that only has a working copy.
            pub record_state: Option<RecordState>,
            /// The record's version this draft stands on (null: not in the registry yet).
            pub version: Option<i64>,
            /// Counts the working copy's saves; null for the record itself.
            /// The `ETag` (`"3-r2"`) names version and revision for `If-Match`.
            pub revision: Option<i64>,
            pub updated_at: String,
            pub updated_by: String,
            /// The change note of each save of the working copy.
            pub notes: Vec<DraftNoteItem>,
            pub links: DraftLinks,
            pub record: $variant,
        }

        /// A record to create or update, with its state and a change note.
        #[derive(Debug, Deserialize, ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $write {
            pub record: $variant,
            /// The state to leave the record in. On creation, `draft` when
            /// absent; on update, the record keeps its current state when
            /// absent (changing state is explicit). `published` needs the
            /// publisher role.
            pub state: Option<WriteState>,
            /// Why: recorded in the revision log.
            #[schema(min_length = 1, max_length = 1000)]
            pub note: String,
        }

        /// Filters, pagination, sorting and language of the list.
        #[derive(Debug, Deserialize, IntoParams)]
        #[into_params(parameter_in = Query)]
        pub struct $query {
            /// Page number, from 1.
            #[param(minimum = 1, maximum = 1000000)]
            pub page: Option<u32>,
            /// Records per page, 1 to 100 (20 by default).
            #[param(minimum = 1, maximum = 100)]
            pub per_page: Option<u32>,
            /// Order: `slug` (default), `name`, `date` or `updated`; `-` before reverses it.
            pub sort: Option<Sort>,
            /// One language (`fr` or `en`) instead of both.
            pub lang: Option<Lang>,
            /// `published` (default); `draft` and `archived` need an API token.
            pub state: Option<StateFilter>,
            /// The network as it stood that day (`YYYY-MM-DD`): records that
            /// did not exist yet, or were no longer in force, are left out;
            /// memberships, offices and agreement steps are those of that day.
            #[param(format = Date)]
            pub date: Option<String>,
            $( $(#[$fmeta])* pub $field: $fty, )*
        }

        impl $query {
            fn common(&self, lang: Lang) -> Result<Common, ApiError> {
                Ok(Common {
                    page: self.page,
                    per_page: self.per_page,
                    sort: self.sort,
                    lang: self.lang,
                    state: self.state,
                    date: as_of_date(lang, self.date.as_deref())?,
                })
            }
        }

        fn collection() -> Collection {
            Collection {
                kind: RecordKind::$variant,
                portal: $portal,
            }
        }

        fn to_item(stored: StoredRecord) -> Option<$item> {
            let env = envelope(collection(), &stored);
            match stored.record {
                AnyRecord::$variant(record) => Some($item {
                    slug: env.slug,
                    state: env.state,
                    version: env.version,
                    created_at: env.created_at,
                    updated_at: env.updated_at,
                    links: env.links,
                    record,
                }),
                _ => None,
            }
        }

        fn to_draft(view: DraftView) -> Option<$draft> {
            let env = view.env;
            match view.record {
                AnyRecord::$variant(record) => Some($draft {
                    slug: env.slug,
                    source: env.source,
                    status: env.status,
                    record_state: env.record_state,
                    version: env.version,
                    revision: env.revision,
                    updated_at: env.updated_at,
                    updated_by: env.updated_by,
                    notes: env.notes,
                    links: env.links,
                    record,
                }),
                _ => None,
            }
        }

        fn typed(record: &AnyRecord) -> Option<&$variant> {
            match record {
                AnyRecord::$variant(r) => Some(r),
                _ => None,
            }
        }

        /// List the published records of the collection.
        #[utoipa::path(
            get,
            path = $list_path,
            tag = $plural,
            params($query),
            security((), ("api_token" = [])),
            responses(
                (status = 200, description = "A page of records.", body = $list,
                    headers(("ETag" = String, description = "Validator for If-None-Match."))),
                (status = 304, description = "Not modified: the If-None-Match validator still holds."),
                (status = 400, description = "A query parameter is not valid.", body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "Drafts and archived records need a valid API token.", body = Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $list_fn(
            State(state): State<AppState>,
            ApiLang(lang): ApiLang,
            caller: Caller,
            headers: HeaderMap,
            ApiQuery(query): ApiQuery<$query>,
        ) -> Response {
            let check: fn(&$query, Lang) -> Result<(), ApiError> = $check;
            if let Err(e) = check(&query, lang) {
                return e.into_response();
            }
            let common = match query.common(lang) {
                Ok(c) => c,
                Err(e) => return e.into_response(),
            };
            let keep: fn(&$variant, &$query) -> bool = $keep;
            let date: fn(&$variant) -> Option<PartialDate> = $date;
            records::list(
                &state,
                &caller,
                lang,
                &headers,
                collection(),
                common,
                |r| typed(r).is_some_and(|r| keep(r, &query)),
                |r| typed(r).and_then(date),
                to_item,
            )
            .await
            .unwrap_or_else(IntoResponse::into_response)
        }

        /// Read one record by its slug.
        #[utoipa::path(
            get,
            path = $item_path,
            tag = $plural,
            params(("slug" = String, Path, description = "The record's slug."), ReadQuery),
            security((), ("api_token" = [])),
            responses(
                (status = 200, description = "The record.", body = $item,
                    headers(("ETag" = String, description = "The record's version, for If-Match and If-None-Match."))),
                (status = 304, description = "Not modified."),
                (status = 400, description = "A query parameter is not valid.", body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "The API token is not valid.", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No published record has this slug (with `date`: or it did not exist, or was not in force, that day).", body = Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $get_fn(
            State(state): State<AppState>,
            ApiLang(lang): ApiLang,
            caller: Caller,
            headers: HeaderMap,
            SlugPath(slug): SlugPath,
            ApiQuery(query): ApiQuery<ReadQuery>,
        ) -> Response {
            let day = match as_of_date(lang, query.date.as_deref()) {
                Ok(d) => d,
                Err(e) => return e.into_response(),
            };
            records::get(
                &state,
                &caller,
                lang,
                &headers,
                collection(),
                slug.as_str(),
                query.lang,
                day,
                to_item,
            )
            .await
            .unwrap_or_else(IntoResponse::into_response)
        }

        /// Read a record's draft (any API token; never public): its working
        /// copy when it has one (saved from the staff form or by an editor's
        /// `PUT`), else the record itself as it stands.
        #[utoipa::path(
            get,
            path = $draft_path,
            tag = $plural,
            params(("slug" = String, Path, description = "The record's slug.")),
            security(("api_token" = [])),
            responses(
                (status = 200, description = "The draft.", body = $draft,
                    headers(("ETag" = String, description = "`\"3-r2\"` for a working copy (version and revision), `\"3\"` for the record itself: send it back in If-Match."))),
                (status = 304, description = "Not modified."),
                (status = 401, description = "No valid API token: drafts are never public.", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No record and no working copy have this slug.", body = Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $draft_fn(
            State(state): State<AppState>,
            ApiLang(lang): ApiLang,
            caller: Caller,
            headers: HeaderMap,
            SlugPath(slug): SlugPath,
        ) -> Response {
            records::get_draft(&state, &caller, lang, &headers, collection(), slug.as_str(), to_draft)
                .await
                .unwrap_or_else(IntoResponse::into_response)
        }

        /// Create a record (editors: drafts; publishers: also published).
        #[utoipa::path(
            post,
            path = $list_path,
            tag = $plural,
            request_body(content = $write, content_type = "application/json"),
            security(("api_token" = [])),
            responses(
                (status = 201, description = "Created.", body = $item,
                    headers(("ETag" = String), ("Location" = String)),
                    links(
                        ("record" = (operation_id = stringify!($get_fn), parameters(("slug" = "$response.body#/slug")), description = "The record just created.")),
                        ("draft" = (operation_id = stringify!($draft_fn), parameters(("slug" = "$response.body#/slug")), description = "Its draft: the record itself until a working copy is saved.")),
                    )),
                (status = 400, description = "The body is not a JSON object.", body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "No valid API token.", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = "The token's role does not allow this write.", body = Problem, content_type = "application/problem+json"),
                (status = 409, description = "A record with this slug exists.", body = Problem, content_type = "application/problem+json"),
                (status = 415, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "The record is not valid; `errors` lists the fields.", body = Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $create_fn(
            State(state): State<AppState>,
            ApiLang(lang): ApiLang,
            caller: Caller,
            JsonBody(body): JsonBody,
        ) -> Response {
            async {
                let author = records::author(&caller, lang)?;
                let req = records::read_write_request(RecordKind::$variant, body)
                    .map_err(|e| note_errors(lang, e))?;
                let stored = write::create(&state.store, &author, req.record, req.state, &req.note)
                    .await
                    .map_err(|e| records::write_error(lang, author.role, e))?;
                state.after_write().await;
                records::written(collection(), StatusCode::CREATED, stored, to_item, lang)
            }
            .await
            .unwrap_or_else(IntoResponse::into_response)
        }

        /// Update a record from the version named in `If-Match`.
        ///
        /// Without `state` in the body, the record keeps its state: changing
        /// it is explicit. An editor's change to a published or archived
        /// record is saved as its working copy, as from the staff form (202):
        /// the record stays as it is until a publisher publishes the copy.
        #[utoipa::path(
            put,
            path = $item_path,
            tag = $plural,
            params(
                ("slug" = String, Path, description = "The record's slug."),
                ("If-Match" = Option<String>, Header, description = "The version the change starts from, as its ETag: `\"3\"`; an editor changing a record that has a working copy names its revision too, as the draft's ETag: `\"3-r2\"`."),
            ),
            request_body(content = $write, content_type = "application/json"),
            security(("api_token" = [])),
            responses(
                (status = 200, description = "Updated.", body = $item, headers(("ETag" = String))),
                (status = 202, description = "Saved as the record's working copy (an editor's change to a published or archived record): the record is unchanged until a publisher publishes the copy.", body = $draft,
                    headers(("ETag" = String, description = "The working copy's version and revision (`\"3-r2\"`), for If-Match."), ("Location" = String, description = "The working copy: `GET …/{slug}/draft`.")),
                    links(("draft" = (operation_id = stringify!($draft_fn), parameters(("slug" = "$request.path.slug")), description = "The working copy just saved.")))),
                (status = 400, description = "The body is not a JSON object.", body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "No valid API token.", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = "The token's role does not allow this write.", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No record has this slug.", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "The record (or its working copy) has changed since that version: nothing was written.", body = Problem, content_type = "application/problem+json"),
                (status = 415, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "The record is not valid; `errors` lists the fields.", body = Problem, content_type = "application/problem+json"),
                (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $update_fn(
            State(state): State<AppState>,
            ApiLang(lang): ApiLang,
            caller: Caller,
            headers: HeaderMap,
            SlugPath(slug): SlugPath,
            JsonBody(body): JsonBody,
        ) -> Response {
            async {
                let author = records::author(&caller, lang)?;
                // The body first: a request that breaks the schema gets 422,
                // whatever its If-Match says.
                let req = records::read_write_request(RecordKind::$variant, body)
                    .map_err(|e| note_errors(lang, e))?;
                records::same_slug(&req.record, slug.as_str()).map_err(|e| note_errors(lang, e))?;
                let expected = write::Expected {
                    version: if_match_version(&headers, lang)?,
                    draft_revision: if_match_draft_revision(&headers),
                };
                let now = crate::admin::auth::ts((state.admin.clock)());
                let written = write::update(
                    &state.store, &author, req.record, req.state, expected, &req.note, &now,
                )
                .await
                .map_err(|e| records::write_error(lang, author.role, e))?;
                match written {
                    write::Written::Record(stored) => {
                        state.after_write().await;
                        records::written(collection(), StatusCode::OK, *stored, to_item, lang)
                    }
                    write::Written::WorkingCopy(draft, record_state) => {
                        records::accepted(collection(), *draft, record_state, to_draft, lang)
                    }
                }
            }
            .await
            .unwrap_or_else(IntoResponse::into_response)
        }

        /// Archive a record (publishers): it leaves the portal, keeps its history.
        #[utoipa::path(
            post,
            path = $archive_path,
            tag = $plural,
            params(
                ("slug" = String, Path, description = "The record's slug."),
                ("If-Match" = Option<String>, Header, description = "The current version, as its ETag."),
            ),
            request_body(content = ArchiveRequest, content_type = "application/json"),
            security(("api_token" = [])),
            responses(
                (status = 200, description = "Archived.", body = $item, headers(("ETag" = String))),
                (status = 400, description = "The body is not a JSON object.", body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "No valid API token.", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = "Archiving needs the publisher role.", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No record has this slug.", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "The record has changed since that version.", body = Problem, content_type = "application/problem+json"),
                (status = 415, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "The note is missing or too long.", body = Problem, content_type = "application/problem+json"),
                (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $archive_fn(
            State(state): State<AppState>,
            ApiLang(lang): ApiLang,
            caller: Caller,
            headers: HeaderMap,
            SlugPath(slug): SlugPath,
            JsonBody(body): JsonBody,
        ) -> Response {
            async {
                let author = records::author(&caller, lang)?;
                let req = records::read_note_request(body, false).map_err(|e| note_errors(lang, e))?;
                let expected = if_match_version(&headers, lang)?;
                let stored = write::archive(&state.store, &author, RecordKind::$variant, slug.as_str(), expected, &req.note)
                    .await
                    .map_err(|e| records::write_error(lang, author.role, e))?;
                state.after_write().await;
                records::written(collection(), StatusCode::OK, stored, to_item, lang)
            }
            .await
            .unwrap_or_else(IntoResponse::into_response)
        }

        /// Restore a version of a record (publishers); un-archives by default.
        #[utoipa::path(
            post,
            path = $restore_path,
            tag = $plural,
            params(
                ("slug" = String, Path, description = "The record's slug."),
                ("If-Match" = Option<String>, Header, description = "The current version, as its ETag."),
            ),
            request_body(content = RestoreRequest, content_type = "application/json"),
            security(("api_token" = [])),
            responses(
                (status = 200, description = "Restored as a new version.", body = $item, headers(("ETag" = String))),
                (status = 400, description = "The body is not a JSON object.", body = Problem, content_type = "application/problem+json"),
                (status = 401, description = "No valid API token.", body = Problem, content_type = "application/problem+json"),
                (status = 403, description = "Restoring needs the publisher role.", body = Problem, content_type = "application/problem+json"),
                (status = 404, description = "No such record or version.", body = Problem, content_type = "application/problem+json"),
                (status = 412, description = "The record has changed since that version.", body = Problem, content_type = "application/problem+json"),
                (status = 415, description = "The body is not JSON.", body = Problem, content_type = "application/problem+json"),
                (status = 422, description = "The note is missing, or the restored version is no longer valid.", body = Problem, content_type = "application/problem+json"),
                (status = 428, description = "If-Match is missing.", body = Problem, content_type = "application/problem+json"),
            )
        )]
        pub async fn $restore_fn(
            State(state): State<AppState>,
            ApiLang(lang): ApiLang,
            caller: Caller,
            headers: HeaderMap,
            SlugPath(slug): SlugPath,
            JsonBody(body): JsonBody,
        ) -> Response {
            async {
                let author = records::author(&caller, lang)?;
                let req = records::read_note_request(body, true).map_err(|e| note_errors(lang, e))?;
                let expected = if_match_version(&headers, lang)?;
                let stored = write::restore(&state.store, &author, RecordKind::$variant, slug.as_str(), req.version, expected, &req.note, req.public_note)
                    .await
                    .map_err(|e| records::write_error(lang, author.role, e))?;
                state.after_write().await;
                records::written(collection(), StatusCode::OK, stored, to_item, lang)
            }
            .await
            .unwrap_or_else(IntoResponse::into_response)
        }
    };
}

fn no_check<Q>(_: &Q, _: Lang) -> Result<(), ApiError> {
    Ok(())
}

fn has(list: &[Slug], wanted: &Option<Slug>) -> bool {
    wanted.as_ref().is_none_or(|w| list.contains(w))
}

pub mod partners {
    use super::*;
    collection! {
        variant: Partner,
        plural: "partners",
        list_path: "/api/v1/partners",
        item_path: "/api/v1/partners/{slug}",
        archive_path: "/api/v1/partners/{slug}/archive",
        restore_path: "/api/v1/partners/{slug}/restore",
        draft_path: "/api/v1/partners/{slug}/draft",
        portal: Some(crate::paths::Section::Partners.paths()),
        query: PartnerQuery {
            /// Only partners of this world region.
            world_region: Option<WorldRegion>,
            /// Only partners cooperating in this domain (a domain's slug).
            domain: Option<Slug>,
            /// Only partners of this kind.
            kind: Option<PartnerKind>,
        },
        check: no_check,
        keep: |r, q| q.world_region.is_none_or(|w| r.world_region == w)
            && q.kind.is_none_or(|k| r.kind == k)
            && has(&r.domains, &q.domain),
        date: |r| r.since,
        types: (PartnerItem, PartnerList, PartnerWrite, PartnerDraft),
        handlers: (list_partners, get_partner, create_partner, update_partner, archive_partner, restore_partner, get_partner_draft),
    }
}

pub mod groupings {
    use super::*;
    collection! {
        variant: Grouping,
        plural: "groupings",
        list_path: "/api/v1/groupings",
        item_path: "/api/v1/groupings/{slug}",
        archive_path: "/api/v1/groupings/{slug}/archive",
        restore_path: "/api/v1/groupings/{slug}/restore",
        draft_path: "/api/v1/groupings/{slug}/draft",
        portal: Some(crate::paths::Section::Groupings.paths()),
        query: GroupingQuery {
            /// Only groupings working in this domain.
            domain: Option<Slug>,
            /// Only groupings with this member (a partner's or the home state's slug).
            member: Option<Slug>,
        },
        check: no_check,
        keep: |r, q| has(&r.domains, &q.domain)
            && q.member.as_ref().is_none_or(|m| r.members.iter().any(|x| &x.member == m)),
        date: |r| r.founded,
        types: (GroupingItem, GroupingList, GroupingWrite, GroupingDraft),
        handlers: (list_groupings, get_grouping, create_grouping, update_grouping, archive_grouping, restore_grouping, get_grouping_draft),
    }
}

pub mod organizations {
    use super::*;
    collection! {
        variant: Organization,
        plural: "organizations",
        list_path: "/api/v1/organizations",
        item_path: "/api/v1/organizations/{slug}",
        archive_path: "/api/v1/organizations/{slug}/archive",
        restore_path: "/api/v1/organizations/{slug}/restore",
        draft_path: "/api/v1/organizations/{slug}/draft",
        portal: Some(crate::paths::Section::Organizations.paths()),
        query: OrganizationQuery {
            /// Only organizations of this kind.
            kind: Option<OrganizationKind>,
            /// Only organizations working in this domain.
            domain: Option<Slug>,
            /// Only organizations with this presence in the home state.
            presence: Option<Presence>,
            /// Only organizations in this city of the home state (French or English name, any case).
            #[param(max_length = 300)]
            city: Option<String>,
            /// Only organizations with this mode of participation.
            participation: Option<Participation>,
        },
        check: |q, lang| match &q.city {
            Some(c) if c.chars().count() > 300 => Err(ApiError::new(
                super::super::problem::ProblemKind::BadRequest,
                lang,
                "api_detail_bad_query",
                &[("error", "city: at most 300 characters")],
            )),
            _ => Ok(()),
        },
        keep: |r, q| q.kind.is_none_or(|k| r.kind == k)
            && q.presence.is_none_or(|p| r.presence == p)
            && q.participation.is_none_or(|p| r.participation == p)
            && has(&r.domains, &q.domain)
            && q.city.as_ref().is_none_or(|c| {
                let c = c.trim().to_lowercase();
                r.city.as_ref().is_some_and(|city| {
                    city.fr.to_lowercase() == c
                        || city.en.as_ref().is_some_and(|en| en.to_lowercase() == c)
                })
            }),
        date: |r| r.founded,
        types: (OrganizationItem, OrganizationList, OrganizationWrite, OrganizationDraft),
        handlers: (list_organizations, get_organization, create_organization, update_organization, archive_organization, restore_organization, get_organization_draft),
    }
}

pub mod agreements {
    use super::*;
    collection! {
        variant: Agreement,
        plural: "agreements",
        list_path: "/api/v1/agreements",
        item_path: "/api/v1/agreements/{slug}",
        archive_path: "/api/v1/agreements/{slug}/archive",
        restore_path: "/api/v1/agreements/{slug}/restore",
        draft_path: "/api/v1/agreements/{slug}/draft",
        portal: Some(crate::paths::Section::Agreements.paths()),
        query: AgreementQuery {
            /// Only agreements with this status for the home state.
            status: Option<AgreementStatus>,
            /// Only agreements of this kind.
            kind: Option<AgreementKind>,
            /// Only agreements to which this partner (a slug) is a party.
            partner: Option<Slug>,
            /// Only agreements in this domain.
            domain: Option<Slug>,
            /// Only agreements signed this year.
            #[param(minimum = 1000, maximum = 9999)]
            year: Option<i32>,
        },
        check: |q, lang| year_bounds(lang, q.year),
        keep: |r, q| q.status.is_none_or(|s| r.status == s)
            && q.kind.is_none_or(|k| r.kind == k)
            && has(&r.domains, &q.domain)
            && q.year.is_none_or(|y| r.signed.is_some_and(|d| d.year() == y))
            && q.partner.as_ref().is_none_or(|p| {
                r.parties.iter().any(|x| x.party == PartyRef::Partner(p.clone()))
            }),
        date: |r| r.signed,
        types: (AgreementItem, AgreementList, AgreementWrite, AgreementDraft),
        handlers: (list_agreements, get_agreement, create_agreement, update_agreement, archive_agreement, restore_agreement, get_agreement_draft),
    }
}

pub mod events {
    use super::*;
    collection! {
        variant: Event,
        plural: "events",
        list_path: "/api/v1/events",
        item_path: "/api/v1/events/{slug}",
        archive_path: "/api/v1/events/{slug}/archive",
        restore_path: "/api/v1/events/{slug}/restore",
        draft_path: "/api/v1/events/{slug}/draft",
        portal: Some(crate::paths::Section::Events.paths()),
        query: EventQuery {
            /// Only events that started this year.
            #[param(minimum = 1000, maximum = 9999)]
            year: Option<i32>,
            /// Only events of this kind.
            kind: Option<EventKind>,
            /// Only events in this domain.
            domain: Option<Slug>,
        },
        check: |q, lang| year_bounds(lang, q.year),
        keep: |r, q| q.year.is_none_or(|y| r.start.year() == y)
            && q.kind.is_none_or(|k| r.kind == k)
            && has(&r.domains, &q.domain),
        date: |r| Some(r.start),
        types: (EventItem, EventList, EventWrite, EventDraft),
        handlers: (list_events, get_event, create_event, update_event, archive_event, restore_event, get_event_draft),
    }
}

pub mod representations {
    use super::*;
    collection! {
        variant: Representation,
        plural: "representations",
        list_path: "/api/v1/representations",
        item_path: "/api/v1/representations/{slug}",
        archive_path: "/api/v1/representations/{slug}/archive",
        restore_path: "/api/v1/representations/{slug}/restore",
        draft_path: "/api/v1/representations/{slug}/draft",
        portal: None,
        query: RepresentationQuery {
            /// Only offices of this kind.
            kind: Option<RepresentationKind>,
        },
        check: no_check,
        keep: |r, q| q.kind.is_none_or(|k| r.kind == k),
        date: |r| r.opened,
        types: (RepresentationItem, RepresentationList, RepresentationWrite, RepresentationDraft),
        handlers: (list_representations, get_representation, create_representation, update_representation, archive_representation, restore_representation, get_representation_draft),
    }
}

// Documents carry a file, which the API does not upload yet: their write
// handlers exist but are not routed (see `super::router`).
#[allow(dead_code)]
pub mod documents {
    use super::*;
    collection! {
        variant: Document,
        plural: "documents",
        list_path: "/api/v1/documents",
        item_path: "/api/v1/documents/{slug}",
        archive_path: "/api/v1/documents/{slug}/archive",
        restore_path: "/api/v1/documents/{slug}/restore",
        draft_path: "/api/v1/documents/{slug}/draft",
        portal: None,
        query: DocumentQuery {},
        check: no_check,
        keep: |_, _| true,
        date: |_| None,
        types: (DocumentItem, DocumentList, DocumentWrite, DocumentDraft),
        handlers: (list_documents, get_document, create_document, update_document, archive_document, restore_document, get_document_draft),
    }
}

pub mod domains {
    use super::*;
    collection! {
        variant: Domain,
        plural: "domains",
        list_path: "/api/v1/domains",
        item_path: "/api/v1/domains/{slug}",
        archive_path: "/api/v1/domains/{slug}/archive",
        restore_path: "/api/v1/domains/{slug}/restore",
        draft_path: "/api/v1/domains/{slug}/draft",
        portal: None,
        query: DomainQuery {},
        check: no_check,
        keep: |_, _| true,
        date: |_| None,
        types: (DomainItem, DomainList, DomainWrite, DomainDraft),
        handlers: (list_domains, get_domain, create_domain, update_domain, archive_domain, restore_domain, get_domain_draft),
    }
}
