// Minimal stand-in for the `vscode` module: enough of the API for vscode-languageclient 9
// to start, sync documents and run providers, and for the copydesk extension's commands.
// Everything it does not model is an inert "anything" proxy. Tests drive it through
// `__state` (settings, open documents, events) and read back what the extension did.
"use strict";
const anything = () => new Proxy(function () {}, {
  get: (_t, p) => (p === Symbol.toPrimitive ? () => "" : p === "then" ? undefined : anything()),
  apply: () => anything(),
  construct: () => anything(),
});
class Disposable {
  constructor(fn) { this._fn = fn; }
  dispose() { if (this._fn) this._fn(); this._fn = undefined; }
  static from(...ds) { return new Disposable(() => ds.forEach((d) => d && d.dispose && d.dispose())); }
}
class EventEmitter {
  constructor() { this._l = []; this.event = (fn, thisArg) => { const f = thisArg ? fn.bind(thisArg) : fn; this._l.push(f); return new Disposable(() => { this._l = this._l.filter((x) => x !== f); }); }; }
  fire(e) { for (const f of [...this._l]) f(e); }
  dispose() { this._l = []; }
}
class Position { constructor(line, character) { this.line = line; this.character = character; } }
class Range {
  constructor(a, b, c, d) {
    if (typeof a === "number") { this.start = new Position(a, b); this.end = new Position(c, d); } else { this.start = a; this.end = b; }
  }
}
class Uri {
  constructor(scheme, path) { this.scheme = scheme; this.path = path; this.fsPath = path; this.authority = ""; this.query = ""; this.fragment = ""; }
  static file(p) { return new Uri("file", p); }
  static from(c) { const u = new Uri(c.scheme, c.path || ""); u.query = c.query || ""; return u; }
  static parse(s) { const m = /^([a-z][\w+.-]*):(?:\/\/)?(.*)$/i.exec(s); return new Uri(m[1], decodeURIComponent(m[2])); }
  toString() { return (this.scheme === "file" ? "file://" + encodeURI(this.path) : `${this.scheme}:${this.path}`) + (this.query ? "?" + encodeURIComponent(this.query) : ""); }
  with(c) { return new Uri(c.scheme || this.scheme, c.path || this.path); }
  toJSON() { return this.toString(); }
}
class Diagnostic { constructor(range, message, severity) { this.range = range; this.message = message; this.severity = severity; } }
class MarkdownString {
  constructor(value = "") { this.value = value; }
  appendMarkdown(v) { this.value += v; return this; }
  appendText(v) { this.value += v; return this; }
  appendCodeblock(v) { this.value += "\n```\n" + v + "\n```\n"; return this; }
}
class Hover { constructor(contents, range) { this.contents = Array.isArray(contents) ? contents : [contents]; this.range = range; } }
class Location { constructor(uri, r) { this.uri = uri; this.range = r instanceof Position ? new Range(r, r) : r; } }
class CancellationTokenSource {
  constructor() { const e = new EventEmitter(); this.token = { isCancellationRequested: false, onCancellationRequested: e.event }; this._e = e; }
  cancel() { this.token.isCancellationRequested = true; this._e.fire(); }
  dispose() {}
}
class CancellationError extends Error {}

// --- state the test inspects / drives ---------------------------------
const state = {
  config: {},                     // "section.key" -> value (e.g. "copydesk.server.path")
  diagnostics: new Map(),         // uri string -> Diagnostic[]
  providers: {},                  // "registerHoverProvider" -> provider
  output: [],
  events: {},                     // workspace.onDid* emitters
  textDocuments: [],
  commands: {},                   // command id -> handler
  messages: [],                   // {level, text, items} from show*Message
  answer: undefined,              // what the next show*Message resolves to
  opened: [],                     // documents from workspace.openTextDocument
  shown: [],                      // documents passed to window.showTextDocument
  contentProviders: {},           // scheme -> TextDocumentContentProvider
};
// get("a") on section "s": the value at "s.a", or an object built from every "s.a.*" key.
function configGet(section, key) {
  const full = [section, key].filter(Boolean).join(".");
  if (full in state.config) return state.config[full];
  let obj;
  for (const [k, v] of Object.entries(state.config)) {
    if (!k.startsWith(full + ".")) continue;
    obj ||= {};
    let o = obj;
    const parts = k.slice(full.length + 1).split(".");
    parts.slice(0, -1).forEach((p) => { o = o[p] ||= {}; });
    o[parts[parts.length - 1]] = v;
  }
  return obj;
}
const message = (level) => async (text, ...items) => {
  state.messages.push({ level, text, items: items.filter((i) => typeof i === "string") });
  state.output.push(`${level.toUpperCase()}: ${text}`);
  const a = state.answer; state.answer = undefined; return a;
};
const ev = (name) => (state.events[name] ||= new EventEmitter()).event;

const workspace = {
  getConfiguration: (section) => ({
    get: (k, d) => { const v = configGet(section, k); return v === undefined ? d : v; },
    has: (k) => configGet(section, k) !== undefined,
    inspect: () => undefined,
    update: async (k, v) => { state.config[[section, k].filter(Boolean).join(".")] = v; },
  }),
  registerTextDocumentContentProvider: (scheme, provider) => { state.contentProviders[scheme] = provider; return new Disposable(() => { delete state.contentProviders[scheme]; }); },
  openTextDocument: async (arg) => {
    let doc;
    if (arg instanceof Uri) {
      const p = state.contentProviders[arg.scheme];
      const text = p ? p.provideTextDocumentContent(arg) : "";
      doc = { uri: arg, languageId: arg.path.endsWith(".md") ? "markdown" : "plaintext", getText: () => text, isUntitled: false };
    } else {
      doc = { uri: new Uri("untitled", "Untitled-" + (state.opened.length + 1)), languageId: arg.language, getText: () => arg.content, isUntitled: true };
    }
    state.opened.push(doc);
    return doc;
  },
  get textDocuments() { return state.textDocuments; },
  workspaceFolders: undefined,
  onDidOpenTextDocument: ev("open"), onDidCloseTextDocument: ev("close"),
  onDidChangeTextDocument: ev("change"), onDidSaveTextDocument: ev("save"),
  onWillSaveTextDocument: ev("willSave"), onDidChangeConfiguration: ev("config"),
  onDidChangeWorkspaceFolders: ev("folders"),
  createFileSystemWatcher: () => ({ onDidCreate: ev("fsc"), onDidChange: ev("fsch"), onDidDelete: ev("fsd"), dispose() {} }),
  applyEdit: async () => true,
};
const channel = (name) => {
  const c = { name, logLevel: 0, onDidChangeLogLevel: ev("ll"), dispose() {}, show() {}, hide() {}, clear() {}, replace() {} };
  for (const m of ["append", "appendLine", "trace", "debug", "info", "warn", "error"]) c[m] = (s) => state.output.push(String(s));
  return c;
};
const window = {
  createOutputChannel: channel,
  activeTextEditor: undefined,
  visibleTextEditors: [],
  onDidChangeActiveTextEditor: ev("activeEditor"),
  onDidChangeVisibleTextEditors: ev("visibleEditors"),
  tabGroups: { all: [], onDidChangeTabs: ev("tabs"), onDidChangeTabGroups: ev("tabGroups") },
  showErrorMessage: message("error"),
  showWarningMessage: message("warning"),
  showInformationMessage: message("info"),
  showTextDocument: async (doc) => { state.shown.push(doc); return { document: doc }; },
  showOpenDialog: async () => undefined,
  withProgress: async (_o, task) => task({ report() {} }, new CancellationTokenSource().token),
};
const languages = new Proxy({
  createDiagnosticCollection: (name) => ({
    name,
    set: (uri, d) => { if (Array.isArray(uri)) uri.forEach(([u, x]) => state.diagnostics.set(u.toString(), x || [])); else state.diagnostics.set(uri.toString(), d || []); },
    delete: (uri) => state.diagnostics.delete(uri.toString()),
    get: (uri) => state.diagnostics.get(uri.toString()),
    has: (uri) => state.diagnostics.has(uri.toString()),
    clear: () => state.diagnostics.clear(), forEach() {}, dispose() {},
  }),
  match: (selector, doc) => ([].concat(selector).some((f) => (typeof f === "string" ? f === doc.languageId
    : (!f.language || f.language === doc.languageId) && (!f.scheme || f.scheme === doc.uri.scheme))) ? 10 : 0),
}, {
  get: (t, p) => t[p] || ((_sel, provider) => { state.providers[p] = provider; return new Disposable(); }),
});

module.exports = new Proxy({
  version: "1.82.0",
  env: { appName: "vscode-mock", language: "en", machineId: "0", openExternal: async () => true },
  workspace, window, languages,
  commands: {
    registerCommand: (id, fn) => { state.commands[id] = fn; return new Disposable(() => { delete state.commands[id]; }); },
    executeCommand: async (id, ...args) => (state.commands[id] ? state.commands[id](...args) : undefined),
  },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  extensions: { getExtension: () => undefined, all: [] },
  Disposable, EventEmitter, Position, Range, Uri, Diagnostic, MarkdownString, Hover, Location,
  CancellationTokenSource, CancellationError,
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
  TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  __state: state,
}, { get: (t, p) => (p in t ? t[p] : anything()) });
