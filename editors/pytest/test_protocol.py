"""copydesk at the protocol level, through pytest-lsp, once per recorded client profile.

Each request the server advertises in its initialize result is exercised; a request it does
not advertise is skipped with that reason, and a capability it advertises that no test here
exercises fails `test_every_advertised_capability_is_exercised`.
"""
from __future__ import annotations

import json

import attrs

import pytest
from lsprotocol import types as T
from pytest_lsp import LanguageClient

from conftest import Doc

# ServerCapabilities fields -> the test(s) below that exercise them
EXERCISED = {
    "text_document_sync", "position_encoding", "workspace", "experimental",
    "hover_provider", "definition_provider", "references_provider", "document_highlight_provider",
    "rename_provider", "document_symbol_provider", "workspace_symbol_provider", "code_action_provider",
    "inlay_hint_provider", "semantic_tokens_provider", "execute_command_provider",
    "folding_range_provider", "selection_range_provider", "code_lens_provider", "completion_provider",
    "document_link_provider", "declaration_provider", "diagnostic_provider",
}


def need(client: LanguageClient, capability: str):
    value = getattr(client.caps, capability)
    if value is None or value is False:
        pytest.skip(f"server does not advertise {capability}")
    return value


async def xi(client: LanguageClient) -> Doc:
    doc = client.doc("xi-moscow.md").open()
    await doc.wait(lambda: doc.uri in client.diagnostics, "first publishDiagnostics on xi-moscow.md")
    return doc


def flat(contents) -> str:
    """Hover contents (MarkupContent, MarkedString or a list of them) as one string."""
    if isinstance(contents, list):
        return "\n".join(flat(c) for c in contents)
    if isinstance(contents, str):
        return contents
    return contents.value


# ------------------------------------------------------------------ lifecycle, sync, diagnostics
async def test_initialize(client: LanguageClient):
    r = client.init_result
    assert r.server_info is not None and r.server_info.name == "copydesk"
    sync = client.caps.text_document_sync
    kind = sync.change if isinstance(sync, T.TextDocumentSyncOptions) else sync
    assert kind == T.TextDocumentSyncKind.Incremental
    if isinstance(sync, T.TextDocumentSyncOptions):
        assert sync.open_close
    general = client.capabilities.general
    offered = (general.position_encodings if general else None) or [T.PositionEncodingKind.Utf16]
    assert client.encoding in offered, f"negotiated {client.encoding}, client offered {offered}"


async def test_unattributed_quote_diagnostic(client: LanguageClient):
    doc = client.doc("quotes.md").open()
    bare = doc.line_of("“Nobody saw it coming.”")
    await doc.wait(lambda: doc.lines_with("unattributed-quote") == [bare], f"unattributed-quote on line {bare}")
    d = doc.diagnostics("unattributed-quote")[0]
    assert d.source == "copydesk"
    assert d.severity is not None
    assert d.message and "\n" not in d.message
    # The link to the check's explanation and the fixes in `data` are optional fields, sent
    # only to a client that declares it takes them (VS Code does; Neovim and eglot do not).
    declared = client.capabilities.text_document and client.capabilities.text_document.publish_diagnostics
    if declared and declared.code_description_support:
        assert d.code_description is not None and d.code_description.href.endswith("#unattributed-quote")
    else:
        assert d.code_description is None
    if declared and declared.data_support:
        assert d.data and d.data["fixes"], "the quick fix travels in data"
    else:
        assert d.data is None
    assert doc.text_of(d.range).startswith("“")


async def test_incremental_edit_moves_diagnostics(client: LanguageClient):
    doc = client.doc("quotes.md").open()
    bare = doc.line_of("“Nobody saw it coming.”")
    await doc.wait(lambda: doc.lines_with("unattributed-quote") == [bare])
    doc.replace_lines(bare, bare + 1, ["“Nobody saw it coming,” the mayor said."])
    await doc.wait(lambda: doc.lines_with("unattributed-quote") == [], "attributed: no unattributed-quote")
    n = len(doc.lines)
    doc.replace_lines(n - 1, n, ["", "“Another quote with no speaker.” 🙂", ""])
    await doc.wait(lambda: doc.lines_with("unattributed-quote") == [n], f"unattributed-quote on line {n}")


async def test_did_change_configuration(client: LanguageClient):
    doc = client.doc("quotes.md").open()
    await doc.wait(lambda: len(doc.lines_with("unattributed-quote")) == 1)
    client.workspace_did_change_configuration(T.DidChangeConfigurationParams(
        settings={"copydesk": {"checks": {"unattributed-quote": "off"}}}))
    await doc.wait(lambda: doc.lines_with("unattributed-quote") == [], "check turned off")
    client.workspace_did_change_configuration(T.DidChangeConfigurationParams(
        settings={"copydesk": {"checks": {"unattributed-quote": "error"}}}))
    await doc.wait(lambda: [d.severity for d in doc.diagnostics("unattributed-quote")] == [T.DiagnosticSeverity.Error],
                   "check back on as an error")


async def test_close_clears_diagnostics(client: LanguageClient):
    doc = client.doc("quotes.md").open()
    await doc.wait(lambda: len(doc.diagnostics()) > 0)
    client.text_document_did_close(T.DidCloseTextDocumentParams(text_document=doc.ident()))
    await doc.wait(lambda: doc.diagnostics() == [], "diagnostics cleared on close")


# ------------------------------------------------------------------ navigation on the article
async def test_hover_on_person(client: LanguageClient):
    need(client, "hover_provider")
    doc = await xi(client)
    h = await client.text_document_hover_async(T.HoverParams(
        text_document=doc.ident(), position=doc.pos("Heusgen: “Russia is now", "Heusgen")))
    assert h is not None, "no hover on Heusgen"
    text = flat(h.contents)
    for want in ("Christoph Heusgen", "head of the Munich Security Conference", "3 quotes"):
        assert want in text, f"hover lacks {want!r}: {text!r}"
    if h.range:
        assert doc.text_of(h.range) == "Heusgen"


async def test_definition_of_xi(client: LanguageClient):
    need(client, "definition_provider")
    doc = await xi(client)
    r = await client.text_document_definition_async(T.DefinitionParams(
        text_document=doc.ident(), position=doc.pos("Of course, Xi appreciates", "Xi")))
    loc = r[0] if isinstance(r, list) else r
    assert loc is not None, "no definition for Xi"
    rng = loc.target_selection_range if isinstance(loc, T.LocationLink) else loc.range
    assert (loc.target_uri if isinstance(loc, T.LocationLink) else loc.uri) == doc.uri
    assert rng.start.line == doc.line_of("Chinese President Xi Jinping")
    assert "Xi" in doc.text_of(rng)


async def test_declaration_of_xi(client: LanguageClient):
    need(client, "declaration_provider")
    doc = await xi(client)
    r = await client.text_document_declaration_async(T.DeclarationParams(
        text_document=doc.ident(), position=doc.pos("Of course, Xi appreciates", "Xi")))
    loc = r[0] if isinstance(r, list) else r
    assert loc is not None
    rng = loc.target_selection_range if isinstance(loc, T.LocationLink) else loc.range
    assert rng.start.line == doc.line_of("Chinese President Xi Jinping")


async def test_references_of_putin(client: LanguageClient):
    need(client, "references_provider")
    doc = await xi(client)
    refs = await client.text_document_references_async(T.ReferenceParams(
        text_document=doc.ident(), position=doc.pos("Putin himself seems", "Putin"),
        context=T.ReferenceContext(include_declaration=True)))
    texts = [doc.text_of(l.range) for l in refs or []]
    for want in ("Vladimir Putin", "The Kremlin chief"):  # the mention may carry its title
        assert any(want in t for t in texts), f"references lack {want!r}: {texts}"
    assert "Putin" in texts
    assert all(l.uri == doc.uri and doc.in_bounds(l.range) for l in refs)
    # every mention of Xi is somebody else
    assert not any("Xi" in t for t in texts)


async def test_document_highlight(client: LanguageClient):
    need(client, "document_highlight_provider")
    doc = await xi(client)
    at = doc.pos("Putin himself seems", "Putin")
    hs = await client.text_document_document_highlight_async(T.DocumentHighlightParams(
        text_document=doc.ident(), position=at))
    assert hs, "no highlights on Putin"
    texts = [doc.text_of(h.range) for h in hs]
    assert any("Vladimir Putin" in t for t in texts) and texts.count("Putin") >= 5, texts
    assert any(h.range.start == at for h in hs), "the mention under the cursor is highlighted"


async def test_prepare_rename_and_rename(client: LanguageClient):
    cap = need(client, "rename_provider")
    doc = await xi(client)
    at = doc.pos("Heusgen: “Russia is now", "Heusgen")
    if isinstance(cap, T.RenameOptions) and cap.prepare_provider:
        prep = await client.text_document_prepare_rename_async(T.PrepareRenameParams(text_document=doc.ident(), position=at))
        assert prep is not None
        rng = prep if isinstance(prep, T.Range) else getattr(prep, "range", None)
        if rng is not None:
            assert doc.text_of(rng) == "Heusgen"
        # not a name: nothing to rename
        bad = await client.text_document_prepare_rename_async(T.PrepareRenameParams(
            text_document=doc.ident(), position=doc.pos("demonstrated unity", "unity")))
        assert bad is None
    edit = await client.text_document_rename_async(T.RenameParams(text_document=doc.ident(), position=at, new_name="Anna Becker"))
    assert edit is not None, "rename returned nothing"
    edits: list[T.TextEdit] = []
    if edit.changes:
        edits = list(edit.changes.get(doc.uri, []))
    for dc in edit.document_changes or []:
        assert isinstance(dc, T.TextDocumentEdit) and dc.text_document.uri == doc.uri
        edits += [e for e in dc.edits]
    new = doc.apply(edits)
    assert "said Anna Becker on Monday" in new
    assert "Becker: “Russia is now" in new
    assert "Heusgen" not in new
    assert new.count("Anna Becker") == 1, "the full name once, the surname elsewhere"


async def test_document_symbols(client: LanguageClient):
    need(client, "document_symbol_provider")
    doc = await xi(client)
    syms = await client.text_document_document_symbol_async(T.DocumentSymbolParams(text_document=doc.ident()))
    assert syms, "no document symbols"
    names, ranges = [], []

    def walk(ss):
        for s in ss:
            names.append(s.name)
            ranges.append(s.range if isinstance(s, T.DocumentSymbol) else s.location.range)
            walk(getattr(s, "children", None) or [])
    walk(syms)
    for want in ("Xi Jinping", "Vladimir Putin", "Christoph Heusgen"):
        assert any(want in n for n in names), f"symbols lack {want!r}: {names}"
    assert all(doc.in_bounds(r) for r in ranges)


async def test_workspace_symbols(client: LanguageClient):
    need(client, "workspace_symbol_provider")
    doc = await xi(client)
    syms = await client.workspace_symbol_async(T.WorkspaceSymbolParams(query="Heusgen"))
    assert syms, "no workspace symbol for Heusgen"
    hit = [s for s in syms if "Christoph Heusgen" in s.name]
    assert hit, [s.name for s in syms]
    loc = hit[0].location
    assert loc.uri == doc.uri
    if isinstance(loc, T.Location):
        assert "Heusgen" in doc.text_of(loc.range)


async def test_code_actions(client: LanguageClient):
    need(client, "code_action_provider")
    # Without a publication date, relative dates cannot be resolved: the fix is to add one.
    doc = client.doc("xi-moscow.txt", "plaintext").open()
    await doc.wait(lambda: len(doc.diagnostics("unresolved-relative-date")) > 0, "unresolved-relative-date on xi-moscow.txt")
    d = doc.diagnostics("unresolved-relative-date")[0]
    actions = await client.text_document_code_action_async(T.CodeActionParams(
        text_document=doc.ident(), range=d.range, context=T.CodeActionContext(diagnostics=[d])))
    assert actions, "no code action for an unresolved relative date"
    titles = [a.title for a in actions]
    assert any("publication date" in t.lower() for t in titles), titles
    for a in actions:
        if isinstance(a, T.CodeAction) and a.edit:
            for uri, edits in (a.edit.changes or {}).items():
                assert uri == doc.uri and all(doc.in_bounds(e.range) for e in edits)


async def test_inlay_hints(client: LanguageClient):
    need(client, "inlay_hint_provider")
    doc = await xi(client)
    end = T.Position(line=len(doc.lines) - 1, character=0)
    hints = await client.text_document_inlay_hint_async(T.InlayHintParams(
        text_document=doc.ident(), range=T.Range(start=T.Position(line=0, character=0), end=end)))
    assert hints, "no inlay hints"
    labels = [h.label if isinstance(h.label, str) else "".join(p.value for p in h.label) for h in hints]
    joined = " ".join(labels)
    # on Monday, Since Friday, until Wednesday: ISO or "20 Mar 2023"
    dates = {"2023-03-20": "20 Mar 2023", "2023-03-17": "17 Mar 2023", "2023-03-22": "22 Mar 2023"}
    for iso, human in dates.items():
        assert iso in joined or human in joined, f"inlay hints lack {iso}: {labels}"
    wed = doc.pos("until Wednesday", "Wednesday")
    assert any(("2023-03-22" in l or "22 Mar 2023" in l) and h.position.line == wed.line for h, l in zip(hints, labels))


async def test_semantic_tokens(client: LanguageClient):
    cap = need(client, "semantic_tokens_provider")
    doc = await xi(client)
    legend = cap.legend
    assert legend.token_types
    r = await client.text_document_semantic_tokens_full_async(T.SemanticTokensParams(text_document=doc.ident()))
    assert r is not None and r.data and len(r.data) % 5 == 0
    line = col = 0
    tokens = []
    for i in range(0, len(r.data), 5):
        dl, dc, length, typ, _mods = r.data[i : i + 5]
        line, col = line + dl, (col + dc if dl == 0 else dc)
        assert typ < len(legend.token_types)
        rng = T.Range(start=T.Position(line=line, character=col), end=T.Position(line=line, character=col + length))
        assert doc.in_bounds(rng)
        tokens.append((doc.text_of(rng), legend.token_types[typ]))
    assert any(t == "Heusgen" or t == "Christoph Heusgen" for t, _ in tokens), tokens[:20]
    if cap.range:
        rr = await client.text_document_semantic_tokens_range_async(T.SemanticTokensRangeParams(
            text_document=doc.ident(), range=T.Range(start=T.Position(line=0, character=0), end=T.Position(line=8, character=0))))
        assert rr is not None and len(rr.data) % 5 == 0


async def test_execute_command_sources(client: LanguageClient):
    cap = need(client, "execute_command_provider")
    doc = await xi(client)
    if "copydesk.sources" not in (cap.commands or []):
        pytest.skip(f"server does not advertise copydesk.sources (commands: {cap.commands})")
    r = await client.workspace_execute_command_async(T.ExecuteCommandParams(command="copydesk.sources", arguments=[doc.uri]))
    assert isinstance(r, dict), f"the sources ledger is a JSON object, got {type(r).__name__}"
    dump = json.dumps(r, ensure_ascii=False)
    for want in ("Christoph Heusgen", "Vladimir Putin", "Xi Jinping"):
        assert want in dump, f"ledger lacks {want}"


# ------------------------------------------------------------------ the rest, if advertised
async def test_folding_ranges(client: LanguageClient):
    need(client, "folding_range_provider")
    doc = await xi(client)
    r = await client.text_document_folding_range_async(T.FoldingRangeParams(text_document=doc.ident()))
    assert r is not None and all(0 <= f.start_line <= f.end_line < len(doc.lines) for f in r)


async def test_selection_ranges(client: LanguageClient):
    need(client, "selection_range_provider")
    doc = await xi(client)
    r = await client.text_document_selection_range_async(T.SelectionRangeParams(
        text_document=doc.ident(), positions=[doc.pos("Heusgen: “Russia is now", "Heusgen")]))
    assert r and doc.in_bounds(r[0].range)


async def test_code_lens(client: LanguageClient):
    need(client, "code_lens_provider")
    doc = await xi(client)
    r = await client.text_document_code_lens_async(T.CodeLensParams(text_document=doc.ident()))
    assert r is not None and all(doc.in_bounds(c.range) for c in r)


async def test_completion(client: LanguageClient):
    need(client, "completion_provider")
    doc = await xi(client)
    r = await client.text_document_completion_async(T.CompletionParams(
        text_document=doc.ident(), position=doc.pos("Heusgen: “Russia is now", "Heusgen")))
    assert r is None or isinstance(r, (list, T.CompletionList))


async def test_document_links(client: LanguageClient):
    need(client, "document_link_provider")
    doc = await xi(client)
    r = await client.text_document_document_link_async(T.DocumentLinkParams(text_document=doc.ident()))
    assert r is None or all(doc.in_bounds(l.range) for l in r)


async def test_pull_diagnostics(client: LanguageClient):
    need(client, "diagnostic_provider")
    doc = client.doc("quotes.md").open()
    r = await client.text_document_diagnostic_async(T.DocumentDiagnosticParams(text_document=doc.ident()))
    assert isinstance(r, T.RelatedFullDocumentDiagnosticReport)
    assert [d.range.start.line for d in r.items if d.code == "unattributed-quote"] == [doc.line_of("“Nobody saw")]


async def test_every_advertised_capability_is_exercised(client: LanguageClient):
    names = [f.name for f in attrs.fields(type(client.caps))]
    advertised = {k for k in names if getattr(client.caps, k) not in (None, False)}
    assert advertised - EXERCISED == set(), "advertised but not exercised by this suite"
