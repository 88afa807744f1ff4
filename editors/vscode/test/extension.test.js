// Loads the bundled extension (dist/extension.js) with a mocked `vscode` module, so that the
// real vscode-languageclient drives the real copydesk server over stdio.
//
//   npm run compile && npm test      (COPYDESK_BIN=path/to/copydesk; default: target/release/copydesk)
"use strict";
const Module = require("node:module");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");
const assert = require("node:assert");

const resolve = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) {
  return resolve.call(this, req === "vscode" ? path.join(__dirname, "vscode-mock.js") : req, ...rest);
};
const vscode = require("vscode");
const st = vscode.__state;
const pkg = require("../package.json");
const ext = require("../dist/extension.js");

const REPO = path.resolve(__dirname, "../../..");
const BIN = process.env.COPYDESK_BIN ? path.resolve(process.env.COPYDESK_BIN) : path.join(REPO, "target/release/copydesk");
const WAIT = Number(process.env.COPYDESK_TEST_WAIT_MS || 15000);
const CODES = ["unbalanced-quote", "unattributed-quote", "vague-source", "anonymous-source",
  "speaker-before-introduction", "quote-mismatch", "unresolved-relative-date", "weekday-mismatch",
  "impossible-date", "ambiguous-date", "undated-event", "name-variant", "surname-before-full-name",
  "unidentified-source"];

async function waitFor(pred, ms = WAIT) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (pred()) return true; await new Promise((r) => setTimeout(r, 25)); }
  return pred();
}
const codeOf = (d) => (d.code && typeof d.code === "object" ? d.code.value : d.code);
const diags = (doc) => st.diagnostics.get(doc.uri.toString()) || [];
const linesWith = (doc, code) => diags(doc).filter((d) => codeOf(d) === code).map((d) => d.range.start.line).sort((a, b) => a - b).join(",");
const token = () => new vscode.CancellationTokenSource().token;
const ctx = () => ({ subscriptions: [], extensionPath: path.resolve(__dirname, ".."), extensionUri: vscode.Uri.file(path.resolve(__dirname, "..")) });

// A text document as the languageclient sees it, on a copy of a fixture in a temp workspace.
const ws = fs.mkdtempSync(path.join(os.tmpdir(), "copydesk-vscode-"));
fs.writeFileSync(path.join(ws, "copydesk.toml"), "");
function fixture(name) {
  const file = path.join(ws, name);
  fs.copyFileSync(path.join(REPO, "editors/testdata", name), file);
  const doc = {
    uri: vscode.Uri.file(file), fileName: file, languageId: "markdown", version: 1,
    isClosed: false, isUntitled: false, isDirty: false, eol: 1, text: fs.readFileSync(file, "utf8"),
    getText() { return this.text; },
    get lineCount() { return this.text.split("\n").length; },
  };
  return doc;
}
// Position (UTF-16, as in VS Code) of `word` inside the first line containing `context`.
function find(doc, context, word) {
  const lines = doc.text.split("\n");
  const line = lines.findIndex((l) => l.includes(context));
  assert.ok(line >= 0, `text not found: ${context}`);
  return new vscode.Position(line, lines[line].indexOf(word, lines[line].indexOf(context)));
}
function rangeText(doc, r) {
  const lines = doc.text.split("\n");
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  return [lines[r.start.line].slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line].slice(0, r.end.character)].join("\n");
}
// Replace lines [from, to) of doc with newLines, telling the client like VS Code does.
function editLines(doc, from, to, newLines) {
  const lines = doc.text.split("\n");
  const offset = lines.slice(0, from).join("\n").length + (from > 0 ? 1 : 0);
  const old = lines.slice(from, to).join("\n");
  const text = newLines.join("\n");
  doc.text = [...lines.slice(0, from), ...newLines, ...lines.slice(to)].join("\n");
  doc.version += 1;
  const endLine = to - 1;
  st.events.change.fire({ document: doc, reason: undefined, contentChanges: [{
    range: new vscode.Range(from, 0, endLine, lines[endLine].length), rangeOffset: offset, rangeLength: old.length, text }] });
}
function configChanged(...keys) {
  st.events.config.fire({ affectsConfiguration: (s) => keys.some((k) => k === s || k.startsWith(s + ".") || s.startsWith(k + ".")) });
}

test("manifest: activation, commands and settings mirror the server", () => {
  assert.deepStrictEqual([...pkg.activationEvents].sort(), ["onLanguage:markdown", "onLanguage:plaintext"]);
  const props = pkg.contributes.configuration.properties;
  assert.strictEqual(props["copydesk.server.path"].default, "");
  assert.strictEqual(props["copydesk.publicationDate"].type, "string");
  assert.strictEqual(props["copydesk.inlayHints"].default, true);
  assert.deepStrictEqual(props["copydesk.trace.server"].enum, ["off", "messages", "verbose"]);
  const checks = props["copydesk.checks"];
  assert.deepStrictEqual(Object.keys(checks.properties).sort(), [...CODES].sort());
  for (const c of CODES) assert.deepStrictEqual(checks.properties[c].enum, ["on", "off", "hint", "info", "warning", "error"], c);
  const cmds = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepStrictEqual(cmds, ["copydesk.restartServer", "copydesk.showSources"]);
  assert.ok(pkg.dependencies["vscode-languageclient"].startsWith("9."));
});

test("renderSources turns the ledger JSON into Markdown tables", () => {
  const md = ext.renderSources({ document: "x.md", sources: [{ kind: "person", name: "Christoph Heusgen", role: "head | MSC",
    quotes: [{ range: { start: 1, end: 9 }, text: "“Russia”" }, { range: { start: 20, end: 30 }, text: "“He’s”" }] }], anonymous: [] }, "Sources");
  assert.match(md, /^# Sources/);
  assert.match(md, /- \*\*document\*\*: x\.md/);
  assert.match(md, /## sources\n\n### Christoph Heusgen — head \\\| MSC \(person\)\n\n- quotes: 2\n  - “Russia”\n  - “He’s”\n/);
  assert.match(ext.renderSources({ rows: [{ a: 1, b: "x|y" }] }), /\| a \| b \|\n\|---\|---\|\n\| 1 \| x\\\|y \|/);
  assert.match(md, /## anonymous\n\n_none_/);
  assert.strictEqual(ext.renderSources("# given"), "# given");
  assert.strictEqual(ext.renderSources({ markdown: "# md" }), "# md");
});

test("a missing server binary gives an error with a 'Set the path' action", async () => {
  st.messages.length = 0;
  st.config["copydesk.server.path"] = path.join(ws, "no-such-copydesk");
  const client = await ext.activate(ctx());
  assert.strictEqual(client, undefined);
  await waitFor(() => st.messages.length > 0, 2000);
  const err = st.messages.find((m) => m.level === "error");
  assert.ok(err, JSON.stringify(st.messages));
  assert.match(err.text, /cannot find the copydesk server/);
  assert.match(err.text, /no-such-copydesk/);
  assert.ok(err.items.includes("Set the path"), JSON.stringify(err.items));

  // default: looked up on PATH
  st.messages.length = 0;
  st.config["copydesk.server.path"] = "";
  const savedPath = process.env.PATH;
  process.env.PATH = ws;
  try {
    assert.strictEqual(await ext.restart(), undefined);
  } finally { process.env.PATH = savedPath; }
  assert.match(st.messages.find((m) => m.level === "error").text, /copydesk on PATH/);
  await ext.deactivate();
});

test("the real server through the real languageclient", async (t) => {
  assert.ok(fs.existsSync(BIN), `no server binary at ${BIN} (set COPYDESK_BIN)`);
  st.messages.length = 0;
  st.config["copydesk.server.path"] = BIN;
  st.config["copydesk.publicationDate"] = "";
  st.config["copydesk.inlayHints"] = true;
  const quotes = fixture("quotes.md");
  st.textDocuments.push(quotes); // the open manuscript that triggered activation
  let client = await ext.activate(ctx());
  try {
    await t.test("starts copydesk lsp --stdio with the settings as initializationOptions", () => {
      assert.ok(client && client.isRunning(), `client running\n${st.output.join("\n")}`);
      assert.strictEqual(client._serverOptions.command, BIN);
      assert.deepStrictEqual(client._serverOptions.args, ["lsp", "--stdio"]);
      assert.deepStrictEqual(client.clientOptions.initializationOptions, { publicationDate: "", inlayHints: true, checks: {} });
    });

    const bare = find(quotes, "Nobody saw it coming", "“").line;
    await t.test("unattributed-quote diagnostic on the bare quote", async () => {
      assert.ok(await waitFor(() => linesWith(quotes, "unattributed-quote") === String(bare)),
        `unattributed-quote on line ${bare}, got [${linesWith(quotes, "unattributed-quote")}]: ${JSON.stringify(diags(quotes).map((d) => [d.range.start.line, codeOf(d), d.message]))}`);
      const d = diags(quotes).find((x) => codeOf(x) === "unattributed-quote");
      assert.strictEqual(d.source, "copydesk");
      assert.ok(d.code.target, "codeDescription.href becomes a link");
    });

    await t.test("an edit moves the diagnostics", async () => {
      editLines(quotes, bare, bare + 1, ["“Nobody saw it coming,” the mayor said."]);
      const n = quotes.text.split("\n").length;
      editLines(quotes, n - 1, n, ["", "“Another quote with no speaker.”", ""]);
      assert.ok(await waitFor(() => linesWith(quotes, "unattributed-quote") === String(n)),
        `after the edit: unattributed-quote on line ${n}, got [${linesWith(quotes, "unattributed-quote")}]`);
    });

    await t.test("settings changes reach the server (didChangeConfiguration)", async () => {
      st.config["copydesk.checks"] = { "unattributed-quote": "off" };
      configChanged("copydesk.checks");
      assert.ok(await waitFor(() => linesWith(quotes, "unattributed-quote") === ""), `check off: got [${linesWith(quotes, "unattributed-quote")}]`);
      st.config["copydesk.checks"] = { "unattributed-quote": "error" };
      configChanged("copydesk.checks");
      assert.ok(await waitFor(() => diags(quotes).some((d) => codeOf(d) === "unattributed-quote" && d.severity === vscode.DiagnosticSeverity.Error)),
        `check as error: ${JSON.stringify(diags(quotes).map((d) => [codeOf(d), d.severity]))}`);
      st.config["copydesk.checks"] = {};
      configChanged("copydesk.checks");
    });

    const xi = fixture("xi-moscow.md");
    st.textDocuments.push(xi);
    st.events.open.fire(xi);
    await waitFor(() => st.diagnostics.has(xi.uri.toString()));
    const p = (name) => st.providers[name];

    await t.test("hover on Heusgen", async () => {
      assert.ok(p("registerHoverProvider"), "no hover provider registered");
      const hover = await p("registerHoverProvider").provideHover(xi, find(xi, "Heusgen: “Russia is now", "Heusgen"), token());
      const text = hover ? hover.contents.map((c) => (typeof c === "string" ? c : c.value)).join("\n") : "";
      for (const want of ["Christoph Heusgen", "head of the Munich Security Conference", "3 quotes"]) assert.ok(text.includes(want), `hover lacks ${want}: ${JSON.stringify(text)}`);
    });

    await t.test("definition of Xi goes to Chinese President Xi Jinping", async () => {
      assert.ok(p("registerDefinitionProvider"), "no definition provider registered");
      const defs = await p("registerDefinitionProvider").provideDefinition(xi, find(xi, "Of course, Xi appreciates", "Xi"), token());
      const def = Array.isArray(defs) ? defs[0] : defs;
      assert.ok(def, "no definition");
      const r = def.targetSelectionRange || def.range || def.targetRange;
      assert.strictEqual(r.start.line, find(xi, "Chinese President Xi Jinping", "Xi").line);
      assert.match(rangeText(xi, r), /Xi/);
    });

    await t.test("references of Putin include Vladimir Putin and The Kremlin chief", async () => {
      assert.ok(p("registerReferenceProvider"), "no references provider registered");
      const refs = await p("registerReferenceProvider").provideReferences(xi, find(xi, "Putin himself seems", "Putin"), { includeDeclaration: true }, token());
      const texts = (refs || []).map((l) => rangeText(xi, l.range));
      for (const want of ["Vladimir Putin", "The Kremlin chief"]) assert.ok(texts.some((x) => x.includes(want)), `references lack ${want}: ${JSON.stringify(texts)}`);
    });

    await t.test("copydesk: Show sources", async (tt) => {
      vscode.window.activeTextEditor = { document: xi };
      const advertised = (client.initializeResult.capabilities.executeCommandProvider || {}).commands || [];
      st.messages.length = 0;
      const ledger = await vscode.commands.executeCommand("copydesk.showSources");
      if (!advertised.includes("copydesk.sources")) {
        assert.strictEqual(ledger, undefined);
        assert.match(st.messages[0].text, /no sources ledger/);
        tt.skip("server does not advertise copydesk.sources");
        return;
      }
      assert.ok(ledger, JSON.stringify(st.messages));
      assert.strictEqual(ledger.languageId, "markdown");
      assert.strictEqual(ledger.uri.scheme, "copydesk-sources", "a virtual document, not linted as a manuscript");
      assert.ok(st.shown.includes(ledger));
      assert.match(ledger.getText(), /^# Sources — xi-moscow\.md/);
      assert.match(ledger.getText(), /### Christoph Heusgen — head of the Munich Security Conference/);
    });

    await t.test("copydesk: Restart server", async () => {
      st.diagnostics.clear();
      const old = client;
      const fresh = await vscode.commands.executeCommand("copydesk.restartServer");
      assert.ok(fresh && fresh !== old && fresh.isRunning(), "a new running client");
      assert.ok(!old.isRunning(), "the old client stopped");
      client = fresh;
      assert.ok(await waitFor(() => st.diagnostics.has(quotes.uri.toString())), "diagnostics again after the restart");
    });
  } finally {
    await ext.deactivate();
  }
  assert.ok(!client.isRunning(), "client stopped on deactivate");
});
