//! A guard in front of tower-lsp-server's message reader.
//!
//! tower-lsp-server reads the input with a `tokio_util` `FramedRead`, which ends the stream after
//! the first decoding error: one malformed frame (a body that is not JSON, a lone UTF-16
//! surrogate escape such as `"\ud800"` that `serde_json` rejects, a header without
//! `Content-Length`) would make the server stop reading and exit. This module re-frames the
//! input first. Every frame whose body parses as a JSON-RPC request or response is forwarded
//! byte for byte. Anything else is replaced by a request for [`PARSE_ERROR_METHOD`] or
//! [`INVALID_REQUEST_METHOD`] with `"id": null`, which the server answers with the JSON-RPC
//! error the specification asks for (`-32700` Parse error, `-32600` Invalid Request, with
//! `"id": null`) and then goes on reading.
//!
//! A client that disconnects mid-message ends the input; the server then exits as on EOF.
//!
//! Requests for the methods of an [`Intercept`] are not forwarded: they go to the server's own
//! handler, which answers them through [`super::output`] (for responses too large to go through
//! tower-lsp-server's `serde_json::Value` round trip cheaply, see there).

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc;

/// The internal method a malformed body is replaced with; answered with a Parse error.
pub const PARSE_ERROR_METHOD: &str = "copydesk/internal/parseError";
/// The internal method a JSON body that is no JSON-RPC message is replaced with.
pub const INVALID_REQUEST_METHOD: &str = "copydesk/internal/invalidRequest";

/// A header line longer than this is garbage.
const MAX_HEADER_LINE: usize = 8 * 1024;

/// Starts a task that reads frames from `input` and writes checked frames to the returned
/// stream, which the server reads instead.
pub fn guard_input<I: AsyncRead + Unpin + Send + 'static>(
    input: I,
    intercept: Option<Intercept>,
) -> DuplexStream {
    let (server_side, mut ours) = tokio::io::duplex(1 << 16);
    tokio::spawn(async move {
        let mut reader = BufReader::new(input);
        loop {
            let frame = match read_frame(&mut reader).await {
                Ok(Some(frame)) => frame,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "input ended mid-message");
                    break;
                }
            };
            let body = match frame {
                Frame::Body(body) => checked(match intercept.as_ref() {
                    Some(i) => i.take(body),
                    None => body,
                }),
                Frame::BadHeader(problem) => {
                    tracing::warn!(%problem, "malformed message header");
                    internal_request(PARSE_ERROR_METHOD, &problem)
                }
            };
            let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
            out.extend_from_slice(&body);
            if ours.write_all(&out).await.is_err() {
                break;
            }
        }
        let _ = ours.shutdown().await;
    });
    server_side
}

/// The notification an intercepted request travels as through tower-lsp-server: its params
/// are the [`InterceptedRequest`].
pub const INTERCEPTED_METHOD: &str = "copydesk/internal/intercepted";

/// Requests answered outside tower-lsp-server's response path (their results can be megabytes,
/// which it would copy into a `serde_json::Value`): their methods, and whether the session is
/// initialized.
///
/// Such a request still goes through tower-lsp-server, rewritten as an
/// [`INTERCEPTED_METHOD`] notification, so that it is handled in its place among the
/// notifications around it: a documentSymbol sent after a didChange sees the edit, as hover
/// does. Before `initialize` and after `shutdown` tower-lsp-server drops notifications, so the
/// request is then left as it is for tower-lsp-server to answer with its error.
pub struct Intercept {
    pub methods: &'static [&'static str],
    pub active: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// A request taken out of the input by an [`Intercept`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct InterceptedRequest {
    pub id: jsonrpc::Id,
    pub method: String,
    pub params: Option<serde_json::Value>,
}

impl Intercept {
    /// `body`, rewritten as an [`INTERCEPTED_METHOD`] notification if it is a request (with an
    /// id) for one of the methods while the session is active; otherwise unchanged.
    fn take(&self, body: Vec<u8>) -> Vec<u8> {
        // Most bodies do not even mention a method: no parse for those.
        if !self
            .methods
            .iter()
            .any(|m| memchr::memmem::find(&body, m.as_bytes()).is_some())
            || !self.active.load(std::sync::atomic::Ordering::Acquire)
        {
            return body;
        }
        let Ok(request) = serde_json::from_slice::<jsonrpc::Request>(&body) else {
            return body;
        };
        if request.id().is_none() || !self.methods.contains(&request.method()) {
            return body;
        }
        let (method, id, params) = request.into_parts();
        let Some(id) = id else { return body };
        let request = InterceptedRequest {
            id,
            method: method.into_owned(),
            params,
        };
        serde_json::to_vec(&serde_json::json!({
            "jsonrpc": "2.0",
            "method": INTERCEPTED_METHOD,
            "params": request,
        }))
        .unwrap_or(body)
    }
}

enum Frame {
    Body(Vec<u8>),
    /// A header block without a usable `Content-Length`; its bytes are skipped.
    BadHeader(String),
}

/// Reads one frame: header lines up to an empty line, then `Content-Length` bytes. `Ok(None)`
/// at a clean end of input.
async fn read_frame<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> std::io::Result<Option<Frame>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    // Bytes that are not a header, seen before any header of this frame (say, the body of a
    // previous frame whose header was unusable): skipped, and reported if no header follows.
    let mut garbage: Option<String> = None;
    loop {
        let mut line = Vec::new();
        let n = (&mut *reader)
            .take(MAX_HEADER_LINE as u64)
            .read_until(b'\n', &mut line)
            .await?;
        if n == 0 {
            return if saw_header || garbage.is_some() {
                Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "end of input inside a header",
                ))
            } else {
                Ok(None)
            };
        }
        let text = String::from_utf8_lossy(&line);
        let mut text = text.trim_end_matches(['\r', '\n']);
        // Resynchronise on a `Content-Length` header that follows garbage on the same line.
        if let Some(at) = text.to_ascii_lowercase().find("content-length")
            && at > 0
        {
            let (junk, rest) = text.split_at(at);
            note_garbage(&mut garbage, junk);
            text = rest;
        }
        if text.is_empty() {
            if saw_header {
                break;
            }
            if let Some(problem) = garbage.take() {
                return Ok(Some(Frame::BadHeader(problem)));
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        match text.split_once(':') {
            Some((name, value)) if is_header_name(name) => {
                saw_header = true;
                if name.eq_ignore_ascii_case("content-length") {
                    let parsed = value
                        .trim()
                        .parse::<usize>()
                        .map_err(|e| format!("bad Content-Length `{}`: {e}", value.trim()));
                    length = match (length, parsed) {
                        (Some(Ok(a)), Ok(b)) if a != b => Some(Err(format!(
                            "conflicting Content-Length headers: {a} and {b}"
                        ))),
                        (Some(Err(e)), _) => Some(Err(e)),
                        (_, parsed) => Some(parsed),
                    };
                }
            }
            _ if saw_header => {
                length = Some(Err(format!(
                    "not a header: `{}`",
                    text.chars().take(80).collect::<String>()
                )));
            }
            _ => note_garbage(&mut garbage, text),
        }
    }
    if let Some(problem) = garbage {
        tracing::warn!(%problem, "skipped bytes before a message header");
    }
    let len = match length {
        Some(Ok(len)) => len,
        Some(Err(problem)) => return Ok(Some(Frame::BadHeader(problem))),
        None => {
            return Ok(Some(Frame::BadHeader(
                "missing Content-Length header".to_string(),
            )));
        }
    };
    let mut body = Vec::with_capacity(len.min(1 << 20));
    let read = (&mut *reader)
        .take(len as u64)
        .read_to_end(&mut body)
        .await?;
    if read < len {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "end of input inside a body",
        ));
    }
    Ok(Some(Frame::Body(body)))
}

/// Whether `name` is an HTTP-style header name (a token: letters, digits, `-`).
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Records skipped bytes (the first few, for the log and the error message).
fn note_garbage(garbage: &mut Option<String>, junk: &str) {
    if garbage.is_none() {
        *garbage = Some(format!(
            "not a message header: `{}`",
            junk.chars().take(80).collect::<String>()
        ));
    }
}

/// The body itself if the server can read it as a JSON-RPC message, else a stand-in request
/// that yields the right error.
fn checked(body: Vec<u8>) -> Vec<u8> {
    if serde_json::from_slice::<jsonrpc::Request>(&body).is_ok()
        || serde_json::from_slice::<jsonrpc::Response>(&body).is_ok()
    {
        return body;
    }
    match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(_) => {
            tracing::warn!("a JSON body that is not a JSON-RPC message");
            internal_request(INVALID_REQUEST_METHOD, "not a JSON-RPC request or response")
        }
        Err(e) => {
            tracing::warn!(error = %e, "a message body that is not valid JSON");
            internal_request(PARSE_ERROR_METHOD, &e.to_string())
        }
    }
}

fn internal_request(method: &str, problem: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({"jsonrpc": "2.0", "id": null, "method": method, "params": {"problem": problem}}))
        .unwrap_or_default()
}

/// The error response for the stand-in request: Parse error.
pub fn parse_error(params: serde_json::Value) -> jsonrpc::Result<()> {
    Err(jsonrpc::Error {
        data: params.get("problem").cloned(),
        ..jsonrpc::Error::parse_error()
    })
}

/// The error response for the stand-in request: Invalid Request.
pub fn invalid_request(params: serde_json::Value) -> jsonrpc::Result<()> {
    Err(jsonrpc::Error {
        data: params.get("problem").cloned(),
        ..jsonrpc::Error::invalid_request()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_and_non_messages_are_replaced() {
        let good =
            br#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"s":"\ud83d\udc4d"}}"#.to_vec();
        assert_eq!(checked(good.clone()), good);
        let lone = br#"{"jsonrpc":"2.0","id":1,"method":"x","params":{"s":"\ud800"}}"#.to_vec();
        assert!(
            String::from_utf8(checked(lone))
                .unwrap()
                .contains(PARSE_ERROR_METHOD)
        );
        assert!(
            String::from_utf8(checked(b"[1,2]".to_vec()))
                .unwrap()
                .contains(INVALID_REQUEST_METHOD)
        );
        assert!(
            String::from_utf8(checked(vec![0xff, 0xfe]))
                .unwrap()
                .contains(PARSE_ERROR_METHOD)
        );
    }

    #[tokio::test]
    async fn frames_survive_garbage_headers() {
        let input: &[u8] = b"Content-Length: 2\r\n\r\n{}garbage\r\n\r\nContent-Length: 2\r\n\r\n[]";
        let mut reader = BufReader::new(input);
        assert!(
            matches!(read_frame(&mut reader).await.unwrap(), Some(Frame::Body(b)) if b == b"{}")
        );
        assert!(matches!(
            read_frame(&mut reader).await.unwrap(),
            Some(Frame::BadHeader(_))
        ));
        assert!(
            matches!(read_frame(&mut reader).await.unwrap(), Some(Frame::Body(b)) if b == b"[]")
        );
        assert!(read_frame(&mut reader).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn resynchronises_after_an_unusable_header() {
        let input: &[u8] = b"Content-Length: abc\r\n\r\n{}Content-Length: 2\r\n\r\n[]\
            Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}Content-Length: 2\r\n\r\n{}\
            {\n\"a\": 1}\nContent-Length: 1\r\n\r\n7";
        let mut reader = BufReader::new(input);
        let mut frames = Vec::new();
        while let Some(frame) = read_frame(&mut reader).await.unwrap() {
            frames.push(match frame {
                Frame::Body(b) => String::from_utf8(b).unwrap(),
                Frame::BadHeader(_) => "bad".to_string(),
            });
        }
        assert_eq!(frames, ["bad", "[]", "bad", "{}", "7"]);
    }
}
