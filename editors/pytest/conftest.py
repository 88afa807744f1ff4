"""pytest-lsp fixtures: the real copydesk server, started once per test with the recorded
client capabilities of VS Code, Neovim (0.11 and 0.7) and Emacs (eglot)."""
from __future__ import annotations

import asyncio
import os
import pathlib
import shutil
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

EDITORS = pathlib.Path(__file__).resolve().parent.parent
REPO = EDITORS.parent
BIN = str(pathlib.Path(os.environ["COPYDESK_BIN"]).resolve() if os.environ.get("COPYDESK_BIN") else REPO / "target/release/copydesk")
WAIT = float(os.environ.get("COPYDESK_TEST_WAIT_MS", "15000")) / 1000
PROFILES = ["visual-studio-code", "neovim", "neovim@v0.7.0", "emacs"]


class Doc:
    """An open document and its positions in the negotiated encoding."""

    def __init__(self, client: LanguageClient, path: pathlib.Path, language: str = "markdown"):
        self.client = client
        self.path = path
        self.uri = path.as_uri()
        self.text = path.read_text(encoding="utf-8")
        self.version = 1
        self.language = language

    # --- positions
    def _units(self, s: str) -> int:
        enc = self.client.encoding
        if enc == T.PositionEncodingKind.Utf8:
            return len(s.encode("utf-8"))
        if enc == T.PositionEncodingKind.Utf32:
            return len(s)
        return len(s.encode("utf-16-le")) // 2

    def _index(self, line: str, units: int) -> int:
        """Python index in `line` of a column given in the negotiated unit."""
        n = 0
        for i, ch in enumerate(line):
            if n >= units:
                return i
            n += self._units(ch)
        return len(line)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def pos(self, context: str, word: str | None = None) -> T.Position:
        """Position of `word` (default: the start of `context`) in the first line with `context`."""
        for i, line in enumerate(self.lines):
            at = line.find(context)
            if at >= 0:
                col = line.find(word, at) if word else at
                return T.Position(line=i, character=self._units(line[:col]))
        raise AssertionError(f"text not found: {context!r}")

    def line_of(self, context: str) -> int:
        return self.pos(context).line

    def offset(self, p: T.Position) -> int:
        lines = self.lines
        return sum(len(l) + 1 for l in lines[: p.line]) + self._index(lines[p.line], p.character)

    def text_of(self, r: T.Range) -> str:
        return self.text[self.offset(r.start) : self.offset(r.end)]

    def in_bounds(self, r: T.Range) -> bool:
        lines = self.lines
        ok = lambda p: 0 <= p.line < len(lines) and 0 <= p.character <= self._units(lines[p.line])  # noqa: E731
        return ok(r.start) and ok(r.end) and (r.start.line, r.start.character) <= (r.end.line, r.end.character)

    def apply(self, edits: list[T.TextEdit]) -> str:
        """The text after applying `edits` (non-overlapping)."""
        text = self.text
        for e in sorted(edits, key=lambda e: self.offset(e.range.start), reverse=True):
            text = text[: self.offset(e.range.start)] + e.new_text + text[self.offset(e.range.end) :]
        return text

    # --- protocol
    def ident(self) -> T.TextDocumentIdentifier:
        return T.TextDocumentIdentifier(uri=self.uri)

    def open(self) -> "Doc":
        self.client.text_document_did_open(T.DidOpenTextDocumentParams(text_document=T.TextDocumentItem(
            uri=self.uri, language_id=self.language, version=self.version, text=self.text)))
        return self

    def replace_lines(self, start: int, end: int, new_lines: list[str]) -> None:
        """Incremental change: lines [start, end) become new_lines."""
        lines = self.lines
        rng = T.Range(start=T.Position(line=start, character=0),
                      end=T.Position(line=end - 1, character=self._units(lines[end - 1])))
        new = "\n".join(new_lines)
        self.text = "\n".join(lines[:start] + new_lines + lines[end:])
        self.version += 1
        self.client.text_document_did_change(T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[T.TextDocumentContentChangePartial(range=rng, text=new)]))

    def diagnostics(self, code: str | None = None) -> list[T.Diagnostic]:
        ds = list(self.client.diagnostics.get(self.uri, []))
        return [d for d in ds if code is None or d.code == code]

    def lines_with(self, code: str) -> list[int]:
        return sorted(d.range.start.line for d in self.diagnostics(code))

    async def wait(self, pred, what: str = "diagnostics") -> None:
        """Wait until pred() holds, re-checking after each publishDiagnostics."""
        loop = asyncio.get_running_loop()
        end = loop.time() + WAIT
        while not pred():
            left = end - loop.time()
            if left <= 0:
                got = [(d.range.start.line, d.code, d.message) for d in self.diagnostics()]
                raise AssertionError(f"timed out waiting for {what}; diagnostics now: {got}")
            try:
                await asyncio.wait_for(self.client.wait_for_notification(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), left)
            except asyncio.TimeoutError:
                pass


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BIN, "lsp", "--stdio"]), params=PROFILES, ids=PROFILES)
async def client(lsp_client: LanguageClient, request):
    if not os.access(BIN, os.X_OK):
        pytest.fail(f"no server binary at {BIN} (set COPYDESK_BIN)")
    ws = pathlib.Path(tempfile.mkdtemp(prefix="copydesk-pytest-"))
    for f in ("quotes.md", "xi-moscow.md", "xi-moscow.txt"):
        shutil.copy(EDITORS / "testdata" / f, ws / f)
    (ws / "copydesk.toml").write_text("")
    # What real editors answer and pytest-lsp's client does not: dynamic registration and the
    # refresh requests. Registrations are recorded for the tests.
    lsp_client.registrations = []

    def register(params: T.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    def unregister(params: T.UnregistrationParams):
        gone = {u.id for u in params.unregisterations}
        lsp_client.registrations = [r for r in lsp_client.registrations if r.id not in gone]

    for method, handler in ((T.CLIENT_REGISTER_CAPABILITY, register), (T.CLIENT_UNREGISTER_CAPABILITY, unregister),
                            (T.WORKSPACE_INLAY_HINT_REFRESH, lambda _p: None),
                            (T.WORKSPACE_SEMANTIC_TOKENS_REFRESH, lambda _p: None),
                            (T.WORKSPACE_CODE_LENS_REFRESH, lambda _p: None)):
        if method not in lsp_client.protocol.fm.features:
            lsp_client.feature(method)(handler)

    result = await lsp_client.initialize_session(T.InitializeParams(
        capabilities=client_capabilities(request.param),
        root_uri=ws.as_uri(),
        workspace_folders=[T.WorkspaceFolder(uri=ws.as_uri(), name="desk")],
        initialization_options={"copydesk": {"inlayHints": True}},
    ))
    lsp_client.init_result = result
    lsp_client.caps = result.capabilities
    lsp_client.encoding = result.capabilities.position_encoding or T.PositionEncodingKind.Utf16
    lsp_client.workspace = ws
    lsp_client.profile = request.param
    lsp_client.doc = lambda name, language="markdown": Doc(lsp_client, ws / name, language)
    yield
    # shutdown + exit; a server that outlives `exit` is killed here so the run goes on
    # (test_lifecycle.py::test_exit_ends_the_process reports it).
    try:
        await asyncio.wait_for(lsp_client.shutdown_async(None), WAIT)
        lsp_client.exit(None)
        await asyncio.sleep(0.05)
        lsp_client._server.stdin.close()  # as editors do once `exit` is sent
        await asyncio.wait_for(lsp_client._server.wait(), 5)
    except Exception:  # noqa: BLE001 - timeout or a dead connection: end the process
        if lsp_client._server and lsp_client._server.returncode is None:
            lsp_client._server.kill()
    shutil.rmtree(ws, ignore_errors=True)
