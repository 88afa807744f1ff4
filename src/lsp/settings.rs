//! Settings layering for the language server.
//!
//! Layers, each applied key by key on top of the previous one (a later layer overrides only the
//! keys it names):
//! 1. the defaults ([`Config::default`]);
//! 2. `copydesk.toml` at the workspace root (the first workspace folder, else `rootUri`),
//!    re-read when it is saved or reported by `workspace/didChangeWatchedFiles`;
//! 3. `initializationOptions`;
//! 4. the `settings` of the latest `workspace/didChangeConfiguration`.
//!
//! Every problem is a message naming the key and the layer it came from; the bad key is skipped
//! and its default stays in force. Nothing here stops the server.
//!
//! One key belongs to the server rather than the engine: `max-document-bytes` (also spelled
//! `maxDocumentBytes`), the size above which a document is not analysed (see the policy in
//! [`super`]). It is read from every layer like the others.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::engine::Config;

/// Documents larger than this many bytes are not analysed unless the setting raises the limit.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;

/// The name of the workspace configuration file.
pub const CONFIG_FILE: &str = "copydesk.toml";

/// A `copydesk.toml` larger than this is not read.
const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

/// The resolved settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub config: Config,
    pub max_document_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            config: Config::default(),
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }
}

/// The raw layers, kept so that any one can change and the whole is recomputed.
#[derive(Clone, Debug, Default)]
pub struct Layers {
    pub root: Option<PathBuf>,
    /// The text of `copydesk.toml`, or why it could not be read.
    pub file: Option<Result<String, String>>,
    pub init: Value,
    pub editor: Value,
}

impl Layers {
    /// The path of the workspace configuration file, if there is a workspace root.
    pub fn file_path(&self) -> Option<PathBuf> {
        self.root.as_ref().map(|r| r.join(CONFIG_FILE))
    }

    /// Re-reads `copydesk.toml` from the workspace root (absent is fine).
    pub fn read_file(&mut self) {
        self.file = self.file_path().and_then(|path| read_config_file(&path));
    }

    /// Applies every layer in order. Returns the settings and one message per problem.
    pub fn resolve(&self) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut messages = Vec::new();
        if let (Some(file), Some(path)) = (&self.file, self.file_path()) {
            let label = path.display().to_string();
            match file {
                Ok(source) => match toml::from_str::<Value>(source) {
                    Ok(value) => apply(&mut settings, value, &label, &mut messages),
                    Err(e) => messages.push(format!(
                        "copydesk: {label} is not valid TOML ({}); the file is ignored",
                        e.to_string().trim().replace('\n', " ")
                    )),
                },
                Err(problem) => messages.push(format!("copydesk: cannot read {label}: {problem}")),
            }
        }
        apply(
            &mut settings,
            self.init.clone(),
            "initializationOptions",
            &mut messages,
        );
        apply(
            &mut settings,
            self.editor.clone(),
            "editor settings",
            &mut messages,
        );
        for m in &messages {
            tracing::warn!("{m}");
        }
        (settings, messages)
    }
}

fn read_config_file(path: &Path) -> Option<Result<String, String>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(e.to_string())),
    };
    if meta.len() > MAX_CONFIG_FILE_BYTES {
        return Some(Err(format!(
            "the file is larger than {MAX_CONFIG_FILE_BYTES} bytes"
        )));
    }
    Some(std::fs::read_to_string(path).map_err(|e| e.to_string()))
}

fn norm(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Applies one layer: takes out the server's own keys, hands the rest to the engine.
fn apply(settings: &mut Settings, mut value: Value, label: &str, messages: &mut Vec<String>) {
    take_server_keys(&mut value, settings, label, messages);
    for e in settings.config.apply_json(&value) {
        messages.push(format!(
            "copydesk: setting `{}` in {label}: {}; its default stays in force",
            e.key, e.problem
        ));
    }
}

fn take_server_keys(
    value: &mut Value,
    settings: &mut Settings,
    label: &str,
    messages: &mut Vec<String>,
) {
    let Value::Object(obj) = value else { return };
    // Editor settings usually arrive as {"copydesk": {...}}.
    if obj.len() == 1
        && let Some((k, inner)) = obj.iter_mut().next()
        && norm(k) == "copydesk"
    {
        return take_server_keys(inner, settings, label, messages);
    }
    let keys: Vec<String> = obj
        .keys()
        .filter(|k| norm(k) == "maxdocumentbytes")
        .cloned()
        .collect();
    for key in keys {
        match obj.remove(&key) {
            Some(Value::Number(n)) if n.as_u64().is_some() => {
                settings.max_document_bytes = usize::try_from(n.as_u64().unwrap_or(0)).unwrap_or(usize::MAX);
            }
            Some(Value::Null) => settings.max_document_bytes = DEFAULT_MAX_DOCUMENT_BYTES,
            _ => messages.push(format!(
                "copydesk: setting `{key}` in {label}: expected a number of bytes; its default stays in force"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn editor_settings_override_the_file_key_by_key() {
        let layers = Layers {
            root: Some(PathBuf::from("/ws")),
            file: Some(Ok(
                "publication-date = \"2023-03-20\"\ninlay-hints = false\n".into(),
            )),
            init: Value::Null,
            editor: json!({"copydesk": {"inlayHints": true, "maxDocumentBytes": 100}}),
        };
        let (settings, messages) = layers.resolve();
        assert!(messages.is_empty(), "{messages:?}");
        assert!(settings.config.inlay_hints);
        assert_eq!(
            settings.config.publication_date.map(|d| d.to_string()),
            Some("2023-03-20".into())
        );
        assert_eq!(settings.max_document_bytes, 100);
    }

    #[test]
    fn bad_keys_are_reported_with_their_source_and_defaults_kept() {
        let layers = Layers {
            root: Some(PathBuf::from("/ws")),
            file: Some(Ok("inlay-hints = 3\n".into())),
            init: json!({"maxDocumentBytes": "big"}),
            editor: json!({"nonsense": 1}),
        };
        let (settings, messages) = layers.resolve();
        assert_eq!(settings, Settings::default());
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("`inlay-hints`") && messages[0].contains("copydesk.toml"));
        assert!(
            messages[1].contains("`maxDocumentBytes`")
                && messages[1].contains("initializationOptions")
        );
        assert!(messages[2].contains("`nonsense`") && messages[2].contains("editor settings"));
    }

    #[test]
    fn a_file_that_is_not_toml_is_ignored_with_a_message() {
        let layers = Layers {
            root: Some(PathBuf::from("/ws")),
            file: Some(Ok("[[[".into())),
            ..Layers::default()
        };
        let (settings, messages) = layers.resolve();
        assert_eq!(settings, Settings::default());
        assert!(messages[0].contains("not valid TOML"), "{messages:?}");
    }
}
