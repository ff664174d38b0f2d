//! Checking a backup file before anything is written: the whole file's
//! SHA-256, and per section (one table's lines) its row count and SHA-256,
//! all against what the end line announces. A damaged file is refused with
//! the line and section where the damage shows, in French or English.

use paradiplo_core::Lang;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::BufRead;

/// Written on the first line of every backup.
pub const BACKUP_FORMAT: &str = "paradiplo-backup-3";
/// Backups written before checksums (read, with a warning).
pub const LEGACY_BACKUP_FORMAT: &str = "paradiplo-backup-2";

/// What a verified backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub format: String,
    /// False for a backup written before checksums: only its line count and
    /// the form of each line could be checked.
    pub checksummed: bool,
    /// Data lines (rows), header and end line excluded.
    pub rows: usize,
    /// Rows per table.
    pub sections: BTreeMap<String, usize>,
}

/// Where a backup is damaged, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupDamage {
    /// 1-based line of the file where the damage shows.
    pub line: usize,
    /// The table whose section holds that line, when known.
    pub section: Option<String>,
    pub problem: Damage,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    Empty,
    NotText,
    NotJson(String),
    NotABackup,
    UnknownFormat(String),
    /// A data line without its `table`, `columns` or `row`, or with a row
    /// whose length differs from its columns.
    Malformed(&'static str),
    /// A section found again after another one started.
    SectionSplit,
    NoEndLine,
    AfterEnd,
    RowCount {
        announced: usize,
        found: usize,
    },
    SectionCount {
        announced: usize,
        found: usize,
    },
    SectionChecksum {
        first: usize,
        last: usize,
    },
    FileChecksum,
}

impl BackupDamage {
    /// The message for an operator, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let place = match (&self.section, lang) {
            (Some(s), Lang::Fr) => format!("ligne {}, section « {s} »", self.line),
            (Some(s), Lang::En) => format!("line {}, section `{s}`", self.line),
            (None, Lang::Fr) => format!("ligne {}", self.line),
            (None, Lang::En) => format!("line {}", self.line),
        };
        let what = self.problem.describe(lang);
        match lang {
            Lang::Fr => {
                format!("sauvegarde endommagée, {place}\u{a0}: {what}; rien n’a été restauré.")
            }
            Lang::En => format!("damaged backup, {place}: {what}; nothing was restored."),
        }
    }
}

impl std::fmt::Display for BackupDamage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for BackupDamage {}

impl Damage {
    fn describe(&self, lang: Lang) -> String {
        let fr = lang == Lang::Fr;
        match self {
            Damage::Empty => pick(fr, "le fichier est vide", "the file is empty"),
            Damage::NotText => pick(
                fr,
                "la ligne n’est pas du texte UTF-8",
                "the line is not UTF-8 text",
            ),
            Damage::NotJson(e) if fr => format!("la ligne n’est pas du JSON valide ({e})"),
            Damage::NotJson(e) => format!("the line is not valid JSON ({e})"),
            Damage::NotABackup => pick(
                fr,
                "ce n’est pas une sauvegarde paradiplo",
                "not a paradiplo backup",
            ),
            Damage::UnknownFormat(f) if fr => {
                format!("format de sauvegarde inconnu « {f} » (attendu {BACKUP_FORMAT})")
            }
            Damage::UnknownFormat(f) => {
                format!("unknown backup format `{f}` (expected {BACKUP_FORMAT})")
            }
            Damage::Malformed(what) if fr => format!("ligne mal formée ({what})"),
            Damage::Malformed(what) => format!("malformed line ({what})"),
            Damage::SectionSplit => pick(
                fr,
                "la section reprend après une autre",
                "the section resumes after another one",
            ),
            Damage::NoEndLine => pick(
                fr,
                "le fichier est tronqué (pas de ligne de fin)",
                "the file is truncated (no end line)",
            ),
            Damage::AfterEnd => pick(
                fr,
                "des lignes suivent la ligne de fin",
                "lines follow the end line",
            ),
            Damage::RowCount { announced, found } if fr => {
                format!("{announced} lignes annoncées, {found} trouvées")
            }
            Damage::RowCount { announced, found } => {
                format!("{announced} lines announced, {found} found")
            }
            Damage::SectionCount { announced, found } if fr => {
                format!("{announced} lignes annoncées pour la section, {found} trouvées")
            }
            Damage::SectionCount { announced, found } => {
                format!("{announced} lines announced for the section, {found} found")
            }
            Damage::SectionChecksum { first, last } if fr => format!(
                "la somme de contrôle de la section (lignes {first} à {last}) ne correspond pas\u{a0}: son contenu a changé"
            ),
            Damage::SectionChecksum { first, last } => format!(
                "the section's checksum (lines {first} to {last}) does not match: its content changed"
            ),
            Damage::FileChecksum => pick(
                fr,
                "la somme de contrôle du fichier ne correspond pas",
                "the file's checksum does not match",
            ),
        }
    }
}

fn pick(fr: bool, f: &str, e: &str) -> String {
    if fr { f.to_string() } else { e.to_string() }
}

fn hex(digest: impl AsRef<[u8]>) -> String {
    paradiplo_core::digest::hex(digest.as_ref())
}

/// Builds the end line while a backup is written: every byte written before
/// it goes through [`Checksums::line`].
#[derive(Default)]
pub(crate) struct Checksums {
    file: Sha256,
    sections: BTreeMap<String, (usize, Sha256)>,
    rows: usize,
}

impl Checksums {
    /// Notes one written line (with its newline); `table` for data lines.
    pub(crate) fn line(&mut self, table: Option<&str>, bytes: &[u8]) {
        self.file.update(bytes);
        if let Some(t) = table {
            let (n, h) = self.sections.entry(t.to_string()).or_default();
            *n += 1;
            h.update(bytes);
            self.rows += 1;
        }
    }

    /// The end line: row count, per-section counts and digests, file digest.
    pub(crate) fn end_line(self) -> Value {
        let sections: serde_json::Map<String, Value> = self
            .sections
            .into_iter()
            .map(|(t, (n, h))| (t, json!({"rows": n, "sha256": hex(h.finalize())})))
            .collect();
        json!({"end": self.rows, "sections": sections, "sha256": hex(self.file.finalize())})
    }
}

/// The section being read.
struct Section {
    table: String,
    first: usize,
    last: usize,
    rows: usize,
    hash: Sha256,
}

/// Reads a backup line by line and checks it; see [`verify_backup`].
pub(crate) struct Verifier {
    line: usize,
    format: Option<String>,
    file: Sha256,
    current: Option<Section>,
    done: BTreeMap<String, Section>,
    rows: usize,
    ended: bool,
}

impl Verifier {
    pub(crate) fn new() -> Verifier {
        Verifier {
            line: 0,
            format: None,
            file: Sha256::new(),
            current: None,
            done: BTreeMap::new(),
            rows: 0,
            ended: false,
        }
    }

    /// The number of the line fed last.
    pub(crate) fn line(&self) -> usize {
        self.line
    }

    fn damage(&self, problem: Damage) -> BackupDamage {
        BackupDamage {
            line: self.line,
            section: self.current.as_ref().map(|s| s.table.clone()),
            problem,
        }
    }

    fn parse(&self, raw: &[u8]) -> Result<Value, BackupDamage> {
        let text = std::str::from_utf8(raw).map_err(|_| self.damage(Damage::NotText))?;
        serde_json::from_str(text.trim_end_matches('\n'))
            .map_err(|e| self.damage(Damage::NotJson(e.to_string())))
    }

    /// Checks one line (its bytes, with the newline).
    pub(crate) fn feed(&mut self, raw: &[u8]) -> Result<(), BackupDamage> {
        self.line += 1;
        if self.ended {
            if raw.iter().all(u8::is_ascii_whitespace) {
                return Ok(());
            }
            return Err(self.damage(Damage::AfterEnd));
        }
        let value = self.parse(raw)?;
        if self.format.is_none() {
            return self.header(&value, raw);
        }
        if let Some(end) = value.get("end") {
            self.close_section();
            self.ended = true;
            return self.check_end(end, &value);
        }
        let table = value["table"]
            .as_str()
            .ok_or_else(|| self.damage(Damage::Malformed("table")))?;
        let columns = value["columns"].as_array().map(Vec::len);
        let row = value["row"].as_array().map(Vec::len);
        match (columns, row) {
            (Some(c), Some(r)) if c == r => {}
            (None, _) => return Err(self.damage(Damage::Malformed("columns"))),
            _ => return Err(self.damage(Damage::Malformed("row"))),
        }
        if self.current.as_ref().is_none_or(|s| s.table != table) {
            self.close_section();
            if self.done.contains_key(table) {
                let mut d = self.damage(Damage::SectionSplit);
                d.section = Some(table.to_string());
                return Err(d);
            }
            self.current = Some(Section {
                table: table.to_string(),
                first: self.line,
                last: self.line,
                rows: 0,
                hash: Sha256::new(),
            });
        }
        let section = self.current.as_mut().expect("a section was just opened");
        section.rows += 1;
        section.last = self.line;
        section.hash.update(raw);
        self.file.update(raw);
        self.rows += 1;
        Ok(())
    }

    fn header(&mut self, value: &Value, raw: &[u8]) -> Result<(), BackupDamage> {
        let format = value["format"]
            .as_str()
            .ok_or_else(|| self.damage(Damage::NotABackup))?;
        if format != BACKUP_FORMAT && format != LEGACY_BACKUP_FORMAT {
            return Err(self.damage(Damage::UnknownFormat(format.to_string())));
        }
        self.format = Some(format.to_string());
        self.file.update(raw);
        Ok(())
    }

    fn close_section(&mut self) {
        if let Some(s) = self.current.take() {
            self.done.insert(s.table.clone(), s);
        }
    }

    fn check_end(&mut self, end: &Value, value: &Value) -> Result<(), BackupDamage> {
        let announced = end.as_u64().map_or(usize::MAX, |n| n as usize);
        let total = |v: &Verifier| {
            if announced == v.rows {
                Ok(())
            } else {
                Err(v.damage(Damage::RowCount {
                    announced,
                    found: v.rows,
                }))
            }
        };
        if self.format.as_deref() == Some(LEGACY_BACKUP_FORMAT) {
            return total(self);
        }
        // Sections first: their damage names the table.
        self.check_sections(value)?;
        total(self)?;
        if value["sha256"].as_str() != Some(hex(self.file.clone().finalize()).as_str()) {
            return Err(self.damage(Damage::FileChecksum));
        }
        Ok(())
    }

    fn check_sections(&self, value: &Value) -> Result<(), BackupDamage> {
        let sections = value["sections"]
            .as_object()
            .ok_or_else(|| self.damage(Damage::Malformed("sections")))?;
        for (table, s) in &self.done {
            let at = |problem| BackupDamage {
                line: s.first,
                section: Some(table.clone()),
                problem,
            };
            let Some(expected) = sections.get(table) else {
                return Err(at(Damage::SectionCount {
                    announced: 0,
                    found: s.rows,
                }));
            };
            let announced = expected["rows"].as_u64().map_or(usize::MAX, |n| n as usize);
            if announced != s.rows {
                return Err(at(Damage::SectionCount {
                    announced,
                    found: s.rows,
                }));
            }
            if expected["sha256"].as_str() != Some(hex(s.hash.clone().finalize()).as_str()) {
                return Err(at(Damage::SectionChecksum {
                    first: s.first,
                    last: s.last,
                }));
            }
        }
        if let Some((table, expected)) = sections.iter().find(|(t, _)| !self.done.contains_key(*t))
        {
            return Err(BackupDamage {
                line: self.line,
                section: Some(table.clone()),
                problem: Damage::SectionCount {
                    announced: expected["rows"].as_u64().unwrap_or(0) as usize,
                    found: 0,
                },
            });
        }
        Ok(())
    }

    /// The verdict once every line was fed.
    pub(crate) fn finish(self) -> Result<BackupSummary, BackupDamage> {
        let Some(format) = self.format.clone() else {
            return Err(BackupDamage {
                line: 1,
                section: None,
                problem: Damage::Empty,
            });
        };
        if !self.ended {
            return Err(self.damage(Damage::NoEndLine));
        }
        Ok(BackupSummary {
            checksummed: format != LEGACY_BACKUP_FORMAT,
            format,
            rows: self.rows,
            sections: self.done.iter().map(|(t, s)| (t.clone(), s.rows)).collect(),
        })
    }
}

/// Checks a whole backup without a database: the form of every line, and
/// the counts and checksums of its end line. Reads the input once.
pub fn verify_backup(input: &mut dyn BufRead) -> Result<BackupSummary, crate::StoreError> {
    let mut verifier = Verifier::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| crate::StoreError::Backup(e.to_string()))?;
        if n == 0 {
            break;
        }
        verifier.feed(&buf)?;
    }
    Ok(verifier.finish()?)
}
