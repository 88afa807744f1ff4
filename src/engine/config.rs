//! Settings, from `copydesk.toml`, LSP `initializationOptions` / `didChangeConfiguration`, or
//! CLI flags. Parsing is lenient and exact about blame: every problem becomes a
//! [`ConfigError`] that names the key, the bad part is skipped and everything else applies, so a
//! typo never leaves a reporter without checks.
//!
//! The same keys work in TOML and JSON. Key matching ignores case, `-` and `_`, so
//! `publication-date`, `publication_date` and `publicationDate` are one key. A JSON object with a
//! single `copydesk` key (the usual shape of editor settings) is read from inside that key.
//!
//! ```toml
//! publication-date = "2023-03-20"   # anchor for relative dates; overrides front matter
//! inlay-hints = true                 # resolved dates after relative expressions
//! [checks]
//! undated-event = "off"              # "on", "off", or a severity: hint, info, warning, error
//! vague-source = { enabled = true, severity = "info" }
//! [[entity]]                         # the newsroom's entity sheet
//! name = "Christoph Heusgen"
//! kind = "person"                    # person, organization or place
//! role = "head of the Munich Security Conference"
//! description = "German diplomat"
//! aliases = ["Heusgen"]
//! ```

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

use super::checks::{self, Severity};

/// Kinds of named entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Organization,
    Place,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }

    pub fn parse(s: &str) -> Option<EntityKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "person" | "people" | "per" => Some(EntityKind::Person),
            "organization" | "organisation" | "org" => Some(EntityKind::Organization),
            "place" | "location" | "loc" | "gpe" => Some(EntityKind::Place),
            _ => None,
        }
    }
}

/// One entry of the workspace entity sheet: what the newsroom knows about someone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct SheetEntity {
    pub name: String,
    pub kind: Option<EntityKind>,
    pub role: Option<String>,
    pub description: Option<String>,
    pub aliases: Vec<String>,
    /// The spelling the newsroom uses; defaults to `name`.
    pub preferred: Option<String>,
}

/// Per-check setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct CheckSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Everything that changes what copydesk reports.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Config {
    /// Overrides any publication date found in the document.
    pub publication_date: Option<Date>,
    /// Show resolved dates as inlay hints (LSP only).
    pub inlay_hints: bool,
    pub checks: BTreeMap<String, CheckSetting>,
    pub entities: Vec<SheetEntity>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            publication_date: None,
            inlay_hints: true,
            checks: BTreeMap::new(),
            entities: Vec::new(),
        }
    }
}

/// A problem with one setting. `key` is a dotted path such as `checks.vague-source.severity`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("setting `{key}`: {problem}")]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

fn err(key: impl Into<String>, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        key: key.into(),
        problem: problem.into(),
    }
}

fn norm(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "a table",
    }
}

/// Parses an ISO date `YYYY-MM-DD` (a longer timestamp is cut to its date).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let head = s.get(..10).unwrap_or(s);
    head.parse::<Date>().ok()
}

impl Config {
    pub fn check_enabled(&self, code: &str) -> bool {
        self.checks
            .get(code)
            .and_then(|c| c.enabled)
            .unwrap_or(true)
    }

    pub fn severity_override(&self, code: &str) -> Option<Severity> {
        self.checks.get(code).and_then(|c| c.severity)
    }

    /// Reads a `copydesk.toml` on top of `self`. A file that is not TOML at all yields one error
    /// with the parser's line and column, and changes nothing.
    pub fn apply_toml(&mut self, source: &str) -> Vec<ConfigError> {
        match toml::from_str::<Value>(source) {
            Ok(v) => self.apply_json(&v),
            Err(e) => vec![err(
                "copydesk.toml",
                e.to_string().trim().replace('\n', " "),
            )],
        }
    }

    /// Reads settings in JSON shape on top of `self` (LSP initializationOptions or
    /// didChangeConfiguration settings, or parsed TOML). Unknown keys and values of the wrong
    /// type are reported and skipped.
    pub fn apply_json(&mut self, value: &Value) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        let obj = match value {
            Value::Null => return errors,
            Value::Object(o) => o,
            other => {
                errors.push(err(
                    "settings",
                    format!("expected a table of settings, found {}", type_name(other)),
                ));
                return errors;
            }
        };
        // Editor settings usually arrive as {"copydesk": {...}}.
        if obj.len() == 1
            && let Some((k, inner)) = obj.iter().next()
            && norm(k) == "copydesk"
        {
            return self.apply_json(inner);
        }
        for (key, v) in obj {
            match norm(key).as_str() {
                "publicationdate" | "date" => match v {
                    Value::Null => self.publication_date = None,
                    Value::String(s) if s.trim().is_empty() => self.publication_date = None,
                    Value::String(s) => match parse_date(s) {
                        Some(d) => self.publication_date = Some(d),
                        None => {
                            errors.push(err(key, format!("`{s}` is not a date; use YYYY-MM-DD")))
                        }
                    },
                    other => errors.push(err(
                        key,
                        format!(
                            "expected a date string YYYY-MM-DD, found {}",
                            type_name(other)
                        ),
                    )),
                },
                "inlayhints" => match v {
                    Value::Bool(b) => self.inlay_hints = *b,
                    other => errors.push(err(
                        key,
                        format!("expected true or false, found {}", type_name(other)),
                    )),
                },
                "checks" => self.apply_checks(key, v, &mut errors),
                "entity" | "entities" => self.apply_entities(key, v, &mut errors),
                // Client-side keys the server does not use but editors send along with ours.
                "trace" | "server" | "logfile" | "loglevel" => {}
                _ => errors.push(err(key, "unknown setting")),
            }
        }
        errors
    }

    fn apply_checks(&mut self, key: &str, v: &Value, errors: &mut Vec<ConfigError>) {
        let Value::Object(map) = v else {
            errors.push(err(
                key,
                format!("expected a table of check codes, found {}", type_name(v)),
            ));
            return;
        };
        for (code, setting) in map {
            let path = format!("{key}.{code}");
            let Some(meta) = checks::lookup(code.trim()) else {
                let known: Vec<_> = checks::REGISTRY.iter().map(|c| c.meta().code).collect();
                errors.push(err(
                    &path,
                    format!("no check has this code; known codes: {}", known.join(", ")),
                ));
                continue;
            };
            let entry = self.checks.entry(meta.code.to_string()).or_default();
            match setting {
                Value::Bool(b) => entry.enabled = Some(*b),
                Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                    "on" | "true" | "enabled" => entry.enabled = Some(true),
                    "off" | "false" | "disabled" | "none" => entry.enabled = Some(false),
                    other => match Severity::parse(other) {
                        Some(sev) => {
                            entry.enabled = Some(true);
                            entry.severity = Some(sev);
                        }
                        None => errors.push(err(
                            &path,
                            format!("`{s}` is neither on/off nor a severity (hint, info, warning, error)"),
                        )),
                    },
                },
                Value::Object(o) => {
                    for (k, v) in o {
                        let sub = format!("{path}.{k}");
                        match (norm(k).as_str(), v) {
                            ("enabled", Value::Bool(b)) => entry.enabled = Some(*b),
                            ("severity", Value::String(s)) => match Severity::parse(s) {
                                Some(sev) => entry.severity = Some(sev),
                                None => errors.push(err(&sub, format!("`{s}` is not a severity (hint, info, warning, error)"))),
                            },
                            ("enabled", other) => errors.push(err(&sub, format!("expected true or false, found {}", type_name(other)))),
                            ("severity", other) => errors.push(err(&sub, format!("expected a severity string, found {}", type_name(other)))),
                            _ => errors.push(err(&sub, "unknown setting; use `enabled` or `severity`")),
                        }
                    }
                }
                other => errors.push(err(&path, format!("expected \"on\", \"off\", a severity or a table, found {}", type_name(other)))),
            }
        }
    }

    fn apply_entities(&mut self, key: &str, v: &Value, errors: &mut Vec<ConfigError>) {
        let Value::Array(items) = v else {
            errors.push(err(
                key,
                format!(
                    "expected an array of entity tables ([[entity]]), found {}",
                    type_name(v)
                ),
            ));
            return;
        };
        let mut sheet = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("{key}[{i}]");
            let Value::Object(o) = item else {
                errors.push(err(
                    &path,
                    format!("expected a table, found {}", type_name(item)),
                ));
                continue;
            };
            let mut e = SheetEntity::default();
            let mut ok = true;
            for (k, v) in o {
                let sub = format!("{path}.{k}");
                let as_str = |v: &Value| v.as_str().map(|s| s.trim().to_string());
                match norm(k).as_str() {
                    "name" => match as_str(v) {
                        Some(s) if !s.is_empty() => e.name = s,
                        _ => {
                            errors.push(err(&sub, "expected a non-empty string"));
                            ok = false;
                        }
                    },
                    "kind" => match v.as_str().and_then(EntityKind::parse) {
                        Some(kind) => e.kind = Some(kind),
                        None => errors.push(err(&sub, "expected person, organization or place")),
                    },
                    "role" => match as_str(v) {
                        Some(s) => e.role = Some(s),
                        None => errors.push(err(
                            &sub,
                            format!("expected a string, found {}", type_name(v)),
                        )),
                    },
                    "description" => match as_str(v) {
                        Some(s) => e.description = Some(s),
                        None => errors.push(err(
                            &sub,
                            format!("expected a string, found {}", type_name(v)),
                        )),
                    },
                    "preferred" | "preferredspelling" | "spelling" => match as_str(v) {
                        Some(s) => e.preferred = Some(s),
                        None => errors.push(err(
                            &sub,
                            format!("expected a string, found {}", type_name(v)),
                        )),
                    },
                    "aliases" => match v {
                        Value::Array(a) if a.iter().all(Value::is_string) => {
                            e.aliases = a
                                .iter()
                                .filter_map(as_str)
                                .filter(|s| !s.is_empty())
                                .collect();
                        }
                        _ => errors.push(err(&sub, "expected an array of strings")),
                    },
                    _ => errors.push(err(
                        &sub,
                        "unknown setting; use name, kind, role, description, aliases, preferred",
                    )),
                }
            }
            if e.name.is_empty() {
                if ok {
                    errors.push(err(&path, "entity without `name`; skipped"));
                }
                continue;
            }
            sheet.push(e);
        }
        self.entities = sheet;
    }

    /// A stable hash of everything that can change per-paragraph results (the paragraph cache key).
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.entities.hash(&mut h);
        h.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn toml_file_with_every_kind_of_setting() {
        let mut c = Config::default();
        let errs = c.apply_toml(
            r#"
publication-date = "2023-03-20"
inlay-hints = false
[checks]
unbalanced-quote = "off"
unattributed-quote = { severity = "error" }
[[entity]]
name = "Christoph Heusgen"
kind = "person"
aliases = ["Heusgen"]
"#,
        );
        assert_eq!(errs, vec![]);
        assert_eq!(c.publication_date, Some(jiff::civil::date(2023, 3, 20)));
        assert!(!c.inlay_hints);
        assert!(!c.check_enabled("unbalanced-quote"));
        assert_eq!(
            c.severity_override("unattributed-quote"),
            Some(Severity::Error)
        );
        assert_eq!(c.entities[0].aliases, vec!["Heusgen"]);
    }

    #[test]
    fn bad_keys_are_named_and_the_rest_applies() {
        let mut c = Config::default();
        let errs = c.apply_json(&json!({"copydesk": {
            "publicationDate": "20 March",
            "inlayHints": "yes",
            "checks": {"no-such-check": "off", "unbalanced-quote": "loud", "unattributed-quote": "hint"},
            "colour": 3
        }}));
        let keys: Vec<_> = errs.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(
            keys,
            vec![
                "checks.no-such-check",
                "checks.unbalanced-quote",
                "colour",
                "inlayHints",
                "publicationDate"
            ]
        );
        assert_eq!(
            c.severity_override("unattributed-quote"),
            Some(Severity::Hint)
        );
        assert_eq!(c.publication_date, None);
        assert!(c.inlay_hints);
    }

    #[test]
    fn malformed_toml_is_one_error_and_changes_nothing() {
        let mut c = Config::default();
        let errs = c.apply_toml("publication-date = \n[checks");
        assert_eq!(errs.len(), 1);
        assert_eq!(c, Config::default());
        let errs = c.apply_json(&json!([1, 2]));
        assert_eq!(errs[0].key, "settings");
    }
}
