//! The server's output: tower-lsp-server's messages and our own pre-rendered ones, interleaved
//! one whole frame at a time.
//!
//! tower-lsp-server sends a notification by converting its parameters into a
//! `serde_json::Value` tree and then serialising that tree: for `publishDiagnostics` on a large
//! manuscript (thousands of diagnostics, megabytes of JSON, on every keystroke) that costs far
//! more than the analysis of the keystroke itself. So diagnostics are rendered straight to JSON
//! (see [`super::to_proto::write_publish`]) and handed to an [`Outbox`]; a keystroke's
//! diagnostics are the document's kept body, brought up to date ([`super::to_proto::Rendered`])
//! and written behind their header in pieces ([`Outbox::send_streamed`]), so megabytes of JSON
//! are neither rendered again nor copied into one fresh buffer.
//!
//! An outbox has one of two sinks:
//! - a queue ([`Outbox::new`]) that [`pump`] writes to any async output between the frames
//!   tower-lsp-server writes, never inside one (tests serve an in-memory duplex this way);
//! - the process's standard output itself ([`Outbox::direct`], for `copydesk lsp --stdio`),
//!   written with blocking writes by whichever thread sends, under the outbox's lock, and fed
//!   tower-lsp-server's frames by [`pump_direct`]. A keystroke's diagnostics are then written
//!   by the document's analysis thread the moment they are rendered: no hop to an async task,
//!   to the pump and to tokio's blocking pool (tokio's stdout writes on a pool thread) on the
//!   way out, each a thread wake-up on the keystroke path.
//!
//! Contract: every frame is written whole; frames from the [`Outbox`] keep their order, and so
//! do tower-lsp-server's; an outbox frame is written before tower-lsp-server output that is not
//! yet complete. [`Outbox::send_with`] decides and sends under one lock, so whatever it checks
//! (a document's latest version) cannot change between the check and the send. When
//! tower-lsp-server's output ends, the frames already in the outbox are written and the pump
//! ends.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// Where pre-rendered message bodies go (cheap to clone).
#[derive(Clone, Debug)]
pub struct Outbox {
    sink: Arc<Mutex<Sink>>,
}

/// Where an outbox's frames go.
#[derive(Debug)]
enum Sink {
    /// To [`pump`], through a queue.
    Queue(mpsc::UnboundedSender<Vec<u8>>),
    /// Written here and now (blocking); `None` once a write failed (the client is gone).
    Direct(Option<std::fs::File>),
}

/// The receiving end of a queued [`Outbox`], for [`pump`].
pub struct Inbox {
    rx: mpsc::UnboundedReceiver<Vec<u8>>,
}

impl Outbox {
    /// A new queued outbox and the inbox [`pump`] reads.
    pub fn new() -> (Outbox, Inbox) {
        let (tx, rx) = mpsc::unbounded_channel();
        (
            Outbox {
                sink: Arc::new(Mutex::new(Sink::Queue(tx))),
            },
            Inbox { rx },
        )
    }

    /// An outbox that writes to `out` (the standard output) directly; tower-lsp-server's
    /// frames reach it through [`pump_direct`].
    pub fn direct(out: std::fs::File) -> Outbox {
        Outbox {
            sink: Arc::new(Mutex::new(Sink::Direct(Some(out)))),
        }
    }

    fn sink(&self) -> MutexGuard<'_, Sink> {
        self.sink.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queues (or writes) one JSON-RPC message body (without its header). Dropped, with a log
    /// line, if the output has already ended.
    pub fn send(&self, body: Vec<u8>) {
        self.send_with(|| Some(body));
    }

    /// Calls `f` under the outbox's lock and sends the body it returns, if any: the decision
    /// and the send are one step for every other sender. Keep `f` short (no engine call).
    /// Returns whether a body was sent.
    pub fn send_with(&self, f: impl FnOnce() -> Option<Vec<u8>>) -> bool {
        let mut sink = self.sink();
        let Some(body) = f() else {
            return false;
        };
        match &mut *sink {
            Sink::Queue(tx) => {
                if tx.send(body).is_err() {
                    tracing::debug!("output closed; message dropped");
                }
            }
            Sink::Direct(out) => {
                let written = match out {
                    Some(file) => blocking(|| write_frame_blocking(file, &body)),
                    None => Ok(()),
                };
                if let Err(e) = written {
                    tracing::debug!(error = %e, "output closed; message dropped");
                    *out = None;
                }
                // The body is freed outside the lock.
                drop(sink);
            }
        }
        true
    }

    /// [`Self::send_with`] for a body of `len` bytes that `write` produces, handing it to the
    /// sink it is given, in chunks: sent if `decide` (called under the outbox's lock) says so.
    /// A direct outbox writes the header and then the chunks as they come, so a body of
    /// megabytes is not copied (see [`super::to_proto::RenderedPublish`]); a queued outbox
    /// collects them into one body first. Returns whether the body was sent.
    pub fn send_streamed(
        &self,
        decide: impl FnOnce() -> bool,
        len: usize,
        write: impl FnOnce(&mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> std::io::Result<()>,
    ) -> bool {
        let mut sink = self.sink();
        if !decide() {
            return false;
        }
        match &mut *sink {
            Sink::Queue(tx) => {
                let mut body = Vec::with_capacity(len);
                let collected = write(&mut |chunk| {
                    body.extend_from_slice(chunk);
                    Ok(())
                });
                if let Err(e) = collected {
                    tracing::error!(error = %e, "message not sent");
                    return false;
                }
                if tx.send(body).is_err() {
                    tracing::debug!("output closed; message dropped");
                }
            }
            Sink::Direct(out) => {
                let Some(file) = out else {
                    return true;
                };
                // The header goes out with the first chunk, in one system call: a header
                // written alone would wake the client for a few bytes.
                let mut header = Some(Header::new(len));
                let written = blocking(|| {
                    write(&mut |chunk| match header.take() {
                        Some(header) => write_all_slices(file, &[header.bytes(), chunk]),
                        None => file.write_all(chunk),
                    })?;
                    match header.take() {
                        Some(header) => file.write_all(header.bytes()),
                        None => Ok(()),
                    }
                });
                if let Err(e) = written {
                    // A frame cut short cannot be repaired: nothing more is written.
                    tracing::debug!(error = %e, "output closed; message dropped");
                    *out = None;
                }
            }
        }
        true
    }

    /// Sends one body made of `parts`, in order, without joining them first when the output is
    /// written directly (a large part, a kept documentSymbol result say, is not copied).
    pub fn send_parts(&self, parts: &[&[u8]]) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut sink = self.sink();
        if let Sink::Direct(out) = &mut *sink
            && len > SMALL_BODY
        {
            if let Some(file) = out {
                let header = Header::new(len);
                let mut slices = Vec::with_capacity(parts.len() + 1);
                slices.push(header.bytes());
                slices.extend_from_slice(parts);
                let written = blocking(|| write_all_slices(file, &slices));
                if let Err(e) = written {
                    tracing::debug!(error = %e, "output closed; message dropped");
                    *out = None;
                }
            }
            return;
        }
        drop(sink);
        self.send(parts.concat());
    }

    /// Writes whole frames (headers included) from tower-lsp-server to a direct sink.
    fn send_frames(&self, frames: &[u8]) {
        let mut sink = self.sink();
        if let Sink::Direct(out) = &mut *sink
            && let Some(file) = out
            && let Err(e) = blocking(|| file.write_all(frames))
        {
            tracing::debug!(error = %e, "output closed; message dropped");
            *out = None;
        }
    }
}

/// Runs `write` (a blocking write that waits while the client does not read): on a worker
/// thread of a multi-threaded runtime, telling it first, so its other tasks move to another
/// thread and keep reading the input meanwhile; elsewhere (the analysis thread) directly.
fn blocking<T>(write: impl FnOnce() -> T) -> T {
    use tokio::runtime::{Handle, RuntimeFlavor};
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(write)
        }
        _ => write(),
    }
}

/// Writes `body` with its header to a blocking output, in one `writev` (the body not copied
/// behind the header).
fn write_frame_blocking(out: &mut std::fs::File, body: &[u8]) -> std::io::Result<()> {
    write_all_slices(out, &[Header::new(body.len()).bytes(), body])
}

/// A frame's `Content-Length` header, on the stack.
struct Header {
    bytes: [u8; 48],
    len: usize,
}

impl Header {
    fn new(body_len: usize) -> Header {
        let mut bytes = [0u8; 48];
        let mut at = &mut bytes[..];
        // 16 bytes of name and 4 of line breaks around at most 20 digits: it always fits.
        let _ = write!(at, "Content-Length: {body_len}\r\n\r\n");
        let len = 48 - at.len();
        Header { bytes, len }
    }

    fn bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// Writes `slices` one after the other with as few system calls as the output allows (one
/// `writev` on a pipe with room, or on a blocking pipe that the reader keeps draining):
/// nothing is copied to join them.
fn write_all_slices(out: &mut impl Write, slices: &[&[u8]]) -> std::io::Result<()> {
    use std::io::{ErrorKind, IoSlice};
    let mut io: Vec<IoSlice<'_>> = slices.iter().map(|s| IoSlice::new(s)).collect();
    let mut rest = &mut io[..];
    IoSlice::advance_slices(&mut rest, 0);
    while !rest.is_empty() {
        match out.write_vectored(rest) {
            Ok(0) => {
                return Err(std::io::Error::new(
                    ErrorKind::WriteZero,
                    "failed to write whole buffer",
                ));
            }
            Ok(n) => IoSlice::advance_slices(&mut rest, n),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl Inbox {
    async fn recv(&mut self) -> Option<Vec<u8>> {
        self.rx.recv().await
    }

    fn try_recv(&mut self) -> Option<Vec<u8>> {
        self.rx.try_recv().ok()
    }
}

/// The length of the whole frames at the start of `buf` (a partial frame may follow).
fn whole_frames(buf: &[u8]) -> usize {
    let mut whole = 0;
    while let Some(n) = frame_len(&buf[whole..]) {
        whole += n;
    }
    whole
}

/// The length of the first complete frame at the start of `buf` (header and body), if `buf`
/// holds one. tower-lsp-server writes `Content-Length: N\r\n\r\n` and N bytes; other headers
/// are tolerated. A header block without a readable length counts as a frame of its own, so
/// the pump never stalls on it.
pub fn frame_len(buf: &[u8]) -> Option<usize> {
    let end = memchr::memmem::find(buf, b"\r\n\r\n")? + 4;
    let header = String::from_utf8_lossy(&buf[..end]);
    let length = header.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    });
    match length {
        Some(n) => (buf.len() >= end.saturating_add(n)).then_some(end + n),
        None => Some(end),
    }
}

/// Copies tower-lsp-server's frames from `tower` and the outbox's bodies (framed here) to
/// `output`, as the module doc says. Returns when `tower` ends (or the output fails).
pub async fn pump<T: AsyncRead + Unpin, O: AsyncWrite>(mut tower: T, mut inbox: Inbox, output: O) {
    tokio::pin!(output);
    let mut pending: Vec<u8> = Vec::with_capacity(1 << 16);
    loop {
        tokio::select! {
            biased;
            body = inbox.recv() => match body {
                Some(body) => {
                    // Written without copying the body (it can be megabytes); whatever else is
                    // already queued goes out before the flush.
                    let mut result = write_frame(output.as_mut(), &body).await;
                    while let (Ok(()), Some(body)) = (&result, inbox.try_recv()) {
                        result = write_frame(output.as_mut(), &body).await;
                    }
                    if result.and(output.flush().await).is_err() {
                        return;
                    }
                }
                // Every outbox is gone: only tower-lsp-server's output is left.
                None => {
                    drain_tower(&mut tower, &mut pending, output.as_mut()).await;
                    return;
                }
            },
            read = tower.read_buf(&mut pending) => match read {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let whole = whole_frames(&pending);
                    if whole > 0 {
                        let result = write(output.as_mut(), &pending[..whole]).await;
                        pending.drain(..whole);
                        if result.is_err() {
                            return;
                        }
                    }
                }
            },
        }
    }
    // The server is done; send what it queued before it ended.
    while let Some(body) = inbox.try_recv() {
        if write_frame(output.as_mut(), &body).await.is_err() {
            return;
        }
    }
    let _ = write(output.as_mut(), &pending).await;
}

/// Copies tower-lsp-server's frames from `tower` to a direct outbox ([`Outbox::direct`]),
/// whole frames at a time, until `tower` ends.
pub async fn pump_direct<T: AsyncRead + Unpin>(mut tower: T, outbox: Outbox) {
    let mut pending: Vec<u8> = Vec::with_capacity(1 << 16);
    loop {
        match tower.read_buf(&mut pending).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                let whole = whole_frames(&pending);
                if whole > 0 {
                    outbox.send_frames(&pending[..whole]);
                    pending.drain(..whole);
                }
            }
        }
    }
    if !pending.is_empty() {
        outbox.send_frames(&pending);
    }
}

/// Copies the rest of `tower` to `output` once no outbox is left.
async fn drain_tower<T: AsyncRead + Unpin, O: AsyncWrite>(
    tower: &mut T,
    pending: &mut Vec<u8>,
    mut output: std::pin::Pin<&mut O>,
) {
    loop {
        if !pending.is_empty() && write(output.as_mut(), pending).await.is_err() {
            return;
        }
        pending.clear();
        match tower.read_buf(pending).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// Writes `body` with its header, without flushing.
async fn write_frame<O: AsyncWrite>(
    mut output: std::pin::Pin<&mut O>,
    body: &[u8],
) -> std::io::Result<()> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    if body.len() <= SMALL_BODY {
        // One write: each is a round trip to a blocking thread for tokio's stdout.
        let mut frame = Vec::with_capacity(header.len() + body.len());
        frame.extend_from_slice(header.as_bytes());
        frame.extend_from_slice(body);
        return output.write_all(&frame).await;
    }
    output.write_all(header.as_bytes()).await?;
    output.write_all(body).await
}

/// A body up to this size is copied behind its header and written in one go.
const SMALL_BODY: usize = 64 * 1024;

async fn write<O: AsyncWrite>(
    mut output: std::pin::Pin<&mut O>,
    bytes: &[u8],
) -> std::io::Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    output.write_all(bytes).await?;
    output.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_boundaries() {
        let one = b"Content-Length: 2\r\n\r\n{}";
        assert_eq!(frame_len(one), Some(one.len()));
        assert_eq!(frame_len(&one[..one.len() - 1]), None, "body incomplete");
        assert_eq!(
            frame_len(b"Content-Length: 2\r\n"),
            None,
            "header incomplete"
        );
        let two = b"Content-Type: x\r\ncontent-length:3\r\n\r\n[1]Content-Length: 0\r\n\r\n";
        assert_eq!(frame_len(two), Some(two.len() - 21));
        assert_eq!(
            frame_len(b"X: y\r\n\r\nrest"),
            Some(8),
            "no length: header alone"
        );
    }

    /// Accepts at most three bytes per call, as a pipe with little room or a signal can.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn slices_are_written_whole_and_in_order_through_short_writes() {
        let mut out = Trickle(Vec::new());
        write_all_slices(
            &mut out,
            &[b"Content-Length: 5\r\n\r\n", b"", b"ab", b"cde"],
        )
        .unwrap();
        assert_eq!(out.0, b"Content-Length: 5\r\n\r\nabcde");
        assert_eq!(Header::new(0).bytes(), b"Content-Length: 0\r\n\r\n");
        assert_eq!(
            Header::new(usize::MAX).bytes(),
            format!("Content-Length: {}\r\n\r\n", usize::MAX).as_bytes()
        );
    }

    /// A direct outbox's frames (each written with as few system calls as possible, the header
    /// together with the body's first part) read back whole and in order.
    #[test]
    fn direct_frames_are_whole_and_in_order() {
        let file = tempfile::tempfile().unwrap();
        let outbox = Outbox::direct(file.try_clone().unwrap());
        let big: Vec<u8> = (0..3 * SMALL_BODY).map(|i| b'a' + (i % 26) as u8).collect();
        outbox.send(b"[1]".to_vec());
        let chunks: [&[u8]; 3] = [b"[2,", &big, b"]"];
        let len = chunks.iter().map(|c| c.len()).sum();
        assert!(outbox.send_streamed(|| true, len, |sink| chunks.iter().try_for_each(|c| sink(c))));
        assert!(!outbox.send_streamed(|| false, 3, |sink| sink(b"[x]")));
        // A body written in no chunk at all still gets its header.
        assert!(outbox.send_streamed(|| true, 0, |_| Ok(())));
        outbox.send_parts(&[b"[3,", &big, b"]"]);
        outbox.send(big.clone());
        drop(outbox);
        let mut file = file;
        std::io::Seek::rewind(&mut file).unwrap();
        let mut all = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut all).unwrap();
        let mut bodies = Vec::new();
        let mut at = 0;
        while let Some(n) = frame_len(&all[at..]) {
            let frame = &all[at..at + n];
            let body_at = memchr::memmem::find(frame, b"\r\n\r\n").unwrap() + 4;
            bodies.push(frame[body_at..].to_vec());
            at += n;
        }
        assert_eq!(at, all.len(), "nothing but whole frames");
        let framed = |parts: &[&[u8]]| parts.concat();
        assert_eq!(
            bodies,
            [
                b"[1]".to_vec(),
                framed(&[b"[2,", &big, b"]"]),
                Vec::new(),
                framed(&[b"[3,", &big, b"]"]),
                big.clone(),
            ]
        );
    }

    #[tokio::test]
    async fn frames_are_never_split_and_keep_their_order() {
        let (mut tower_w, tower_r) = tokio::io::duplex(8);
        let (outbox, inbox) = Outbox::new();
        let (out_w, mut out_r) = tokio::io::duplex(1 << 16);
        let pump = tokio::spawn(pump(tower_r, inbox, out_w));
        // A tower frame trickles in a few bytes at a time while outbox frames arrive.
        let body = "{\"a\":\"tower frame, whole\"}";
        let tower_frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        let (first, rest) = tower_frame.as_bytes().split_at(10);
        tower_w.write_all(first).await.unwrap();
        tokio::task::yield_now().await;
        outbox.send(b"[1]".to_vec());
        outbox.send(b"[2]".to_vec());
        tokio::task::yield_now().await;
        tower_w.write_all(rest).await.unwrap();
        outbox.send(b"[3]".to_vec());
        drop(tower_w);
        pump.await.unwrap();
        let mut all = Vec::new();
        out_r.read_to_end(&mut all).await.unwrap();
        let mut frames = Vec::new();
        let mut at = 0;
        while let Some(n) = frame_len(&all[at..]) {
            frames.push(String::from_utf8_lossy(&all[at..at + n]).into_owned());
            at += n;
        }
        assert_eq!(at, all.len(), "nothing but whole frames");
        let bodies: Vec<&str> = frames
            .iter()
            .map(|f| f.split("\r\n\r\n").nth(1).unwrap())
            .collect();
        let ours: Vec<&str> = bodies
            .iter()
            .copied()
            .filter(|b| b.starts_with('['))
            .collect();
        assert_eq!(ours, ["[1]", "[2]", "[3]"]);
        assert!(bodies.contains(&body));
    }
}
