//! Store errors said to a person, in French or English: what the CLI prints
//! (the `Display` of `StoreError` stays English, for logs).

use crate::error::StoreError;
use paradiplo_core::Lang;

impl StoreError {
    pub fn message(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        let pick = |f: String, e: String| if fr { f } else { e };
        match self {
            StoreError::NotFound { kind, slug } => pick(
                format!("aucun enregistrement « {slug} » dans {}", kind.label(lang)),
                format!("no record `{slug}` in {}", kind.label(lang)),
            ),
            StoreError::VersionNotFound {
                kind,
                slug,
                version,
            } => pick(
                format!(
                    "aucune version {version} de « {slug} » ({})",
                    kind.label(lang)
                ),
                format!("no version {version} of `{slug}` ({})", kind.label(lang)),
            ),
            StoreError::AlreadyExists { kind, slug } => pick(
                format!("« {slug} » existe déjà dans {}", kind.label(lang)),
                format!("`{slug}` already exists in {}", kind.label(lang)),
            ),
            StoreError::Conflict {
                slug,
                expected,
                current,
                ..
            } => pick(
                format!(
                    "« {slug} » a été modifié par quelqu’un d’autre : vous partiez de la version {expected}, la version actuelle est {current}"
                ),
                format!(
                    "`{slug}` was changed by someone else: you started from version {expected}, the current version is {current}"
                ),
            ),
            StoreError::DraftConflict { slug, .. } => pick(
                format!("le brouillon de « {slug} » a été modifié par quelqu’un d’autre"),
                format!("the draft of `{slug}` was changed by someone else"),
            ),
            StoreError::InvalidEmail(e) => pick(
                format!("adresse courriel invalide : « {e} »"),
                format!("invalid e-mail address: `{e}`"),
            ),
            StoreError::EmailTaken(e) => pick(
                format!("un compte utilise déjà l’adresse « {e} »"),
                format!("an account already uses the address `{e}`"),
            ),
            StoreError::UserNotFound(id) => pick(
                format!("aucun compte numéro {id}"),
                format!("no account with id {id}"),
            ),
            StoreError::Invalid(errors) => errors
                .iter()
                .map(|e| e.message(lang))
                .collect::<Vec<_>>()
                .join("\n"),
            StoreError::InvalidTokenName(n) => pick(
                format!("nom de jeton invalide « {n} » : de 1 à 100 caractères"),
                format!("invalid token name `{n}`: 1 to 100 characters"),
            ),
            StoreError::UnsupportedUrl(u) => pick(
                format!("adresse de base de données non prise en charge « {u} » : sqlite://… ou postgres://…"),
                format!("unsupported database URL `{u}`: use sqlite://… or postgres://…"),
            ),
            StoreError::NotEmpty(_) => pick(
                "la base de données n’est pas vide : une restauration demande une base vide (un nouveau dossier --data ou une nouvelle base). Rien n’a été écrit.".into(),
                "the database is not empty: a restore needs an empty store (a new --data folder or database). Nothing was written.".into(),
            ),
            StoreError::Corrupt(d) => pick(
                format!("données enregistrées illisibles : {d}"),
                format!("stored data is unreadable: {d}"),
            ),
            StoreError::InvalidFeedback(d) => pick(
                format!("avis sur la page : {d}"),
                format!("page feedback: {d}"),
            ),
            StoreError::Backup(d) => pick(
                format!("fichier de sauvegarde : {d}"),
                format!("backup file: {d}"),
            ),
            StoreError::Connect(e) => e.message(lang),
            StoreError::DamagedBackup(d) => d.message(lang),
            StoreError::Database(e) => pick(
                format!("erreur de la base de données : {e}"),
                format!("database error: {e}"),
            ),
            StoreError::Migration(e) => pick(
                format!("mise à jour du schéma impossible : {e}"),
                format!("cannot update the schema: {e}"),
            ),
            // The workflow's and the roles' refusals are shown by the staff
            // workspace and the API in their own words; the CLI meets them rarely.
            StoreError::Refused(_) | StoreError::Role(_) => pick(
                format!("refusé : {self}"),
                format!("refused: {self}"),
            ),
        }
    }
}
