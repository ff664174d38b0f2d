//! Versions of the format. Version 2 adds what treaty registers keep (see
//! docs/DATASET.md, "Version 2"); every version-1 file reads as it is, and
//! `check` names each version-1 field whose content has a better place in
//! version 2, with how to convert it. Nothing is converted silently.

use crate::read::{DatasetSource, field_line, join};
use crate::{Dataset, FORMAT_VERSION, file_name};
use paradiplo_core::records::{ActKind, Agreement, CommitmentKind};
use paradiplo_core::{Lang, RecordKind};

/// The versions `check` and `import` read.
pub const READABLE_VERSIONS: [u32; 2] = [1, 2];

/// The start of the header line export writes in every collection file.
pub const HEADER: &str = "# paradiplo dataset, format ";

/// The version a collection file declares in its header; 1 for a file
/// written by hand without one.
pub fn declared_version(text: &str) -> Result<u32, String> {
    let Some(rest) = text.lines().next().and_then(|l| l.strip_prefix(HEADER)) else {
        return Ok(1);
    };
    let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
    number.parse().map_err(|_| rest.to_string())
}

/// The oldest version any collection file of `source` declares.
pub fn dataset_version(source: &dyn DatasetSource) -> u32 {
    RecordKind::ALL
        .iter()
        .filter_map(|k| source.read(&file_name(*k)).ok().flatten())
        .filter_map(|b| String::from_utf8(b).ok())
        .filter_map(|t| declared_version(&t).ok())
        .min()
        .unwrap_or(FORMAT_VERSION)
}

/// A version-1 field whose content belongs elsewhere in version 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradeNote {
    pub file: String,
    pub line: Option<usize>,
    pub kind: RecordKind,
    pub record: String,
    /// The field as written in version 1 (`parties[0].acts[1]`).
    pub field: String,
    /// Where it goes in version 2 (`adopted`).
    pub moved_to: String,
    /// How to convert, in French then English.
    pub how: (String, String),
}

impl UpgradeNote {
    pub fn message(&self, lang: Lang) -> String {
        let place = match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        let (how, moved) = match lang {
            Lang::Fr => (&self.how.0, "version 2 : déplacer vers"),
            Lang::En => (&self.how.1, "version 2: move to"),
        };
        format!(
            "{place}: {} `{}`: {} — {moved} `{}`{}{how}",
            self.kind,
            self.record,
            self.field,
            self.moved_to,
            lang.colon()
        )
    }
}

/// The version-1 fields of `dataset` (read from `source`) that moved in
/// version 2; none for a version-2 dataset.
pub fn upgrade_notes(source: &dyn DatasetSource, dataset: &Dataset) -> Vec<UpgradeNote> {
    if dataset_version(source) >= 2 {
        return Vec::new();
    }
    let label = source.label();
    let mut notes = Vec::new();
    for a in dataset.registry.typed::<Agreement>() {
        for (field, moved_to, how) in agreement_moves(a) {
            notes.push(UpgradeNote {
                file: join(&label, &file_name(RecordKind::Agreement)),
                line: field_line(source, RecordKind::Agreement, a.slug.as_str(), &field),
                kind: RecordKind::Agreement,
                record: a.slug.to_string(),
                field,
                moved_to: moved_to.into(),
                how,
            });
        }
    }
    notes
}

type Move = (String, &'static str, (String, String));

/// Words by which a version-1 `signed_at` shows that an organization's
/// organ adopted the text rather than parties signing it.
const ADOPTING_ORGANS: [&str; 4] = [
    "conférence générale",
    "general conference",
    "assemblée générale",
    "general assembly",
];

fn agreement_moves(a: &Agreement) -> Vec<Move> {
    let mut moves = Vec::new();
    for (i, p) in a.parties.iter().enumerate() {
        for (j, act) in p.acts.iter().enumerate() {
            if act.act == ActKind::Adoption {
                moves.push((
                    format!("parties[{i}].acts[{j}]"),
                    "adopted",
                    (
                        format!("adopted = {{ date = \"{}\", by = \"{}\" }} (l’adoption du texte n’est pas l’acte d’une partie)", act.date, p.party),
                        format!("adopted = {{ date = \"{}\", by = \"{}\" }} (adopting the text is not a party’s act)", act.date, p.party),
                    ),
                ));
            }
        }
    }
    let by_organ = a.signed_at.as_ref().is_some_and(|t| {
        let text = format!("{} {}", t.fr, t.en.as_deref().unwrap_or("")).to_lowercase();
        ADOPTING_ORGANS.iter().any(|w| text.contains(w))
    });
    if let (Some(signed), true, None) = (a.signed, by_organ, &a.adopted) {
        moves.push((
            "signed".into(),
            "adopted",
            (
                format!("adopted.date = \"{signed}\", adopted.by = \"organization:…\", adopted.body = l’organe; retirer signed et signed_at (une convention adoptée n’est pas signée)"),
                format!("adopted.date = \"{signed}\", adopted.by = \"organization:…\", adopted.body = the organ; remove signed and signed_at (an adopted convention is not signed)"),
            ),
        ));
    }
    for (i, c) in a.commitments.iter().enumerate() {
        let (moved_to, fr, en) = match c.kind {
            CommitmentKind::Expiry => ("term.expires", "term.expires", "term.expires"),
            CommitmentKind::Renewal => (
                "term.renewal",
                "term.renewal = \"tacit\" ou \"explicit\", term.expires",
                "term.renewal = \"tacit\" or \"explicit\", term.expires",
            ),
            _ => continue,
        };
        let due = c.due.map(|d| format!(" = \"{d}\"")).unwrap_or_default();
        moves.push((
            format!("commitments[{i}]"),
            moved_to,
            (
                format!("{fr}{due}, puis retirer l’engagement"),
                format!("{en}{due}, then remove the commitment"),
            ),
        ));
    }
    moves
}
