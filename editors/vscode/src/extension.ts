// copydesk for VS Code: starts `copydesk lsp --stdio` for Markdown and plain-text documents.
//
// Settings: `copydesk.server.path` picks the binary (restart on change); the other
// `copydesk.*` settings are the server's own and reach it as initializationOptions at start
// and through workspace/didChangeConfiguration ({settings: {copydesk: {...}}}) on each change,
// so findings update without a restart.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  ExecuteCommandRequest, LanguageClient, LanguageClientOptions, ServerOptions, State,
} from "vscode-languageclient/node";

export const SECTION = "copydesk";
export const SERVER_ARGS = ["lsp", "--stdio"];
export const SOURCES_COMMAND = "copydesk.sources";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let starting: Promise<LanguageClient | undefined> | undefined;

/** The server's settings: the `copydesk` section without the client-only keys. */
export function serverSettings(): Record<string, unknown> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  return {
    publicationDate: cfg.get<string>("publicationDate", ""),
    inlayHints: cfg.get<boolean>("inlayHints", true),
    checks: cfg.get<Record<string, string>>("checks", {}),
  };
}

function isExecutable(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform === "win32") return true;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  const exts = process.platform === "win32" ? (process.env.PATHEXT || ".EXE").split(";").concat([""]) : [""];
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = path.join(dir, name + ext);
      if (isExecutable(p)) return p;
    }
  }
  return undefined;
}

/**
 * Where the server binary is: `copydesk.server.path` (absolute, relative to the first
 * workspace folder, or a bare name looked up on PATH), else `copydesk` on PATH.
 */
export function resolveServerPath(setting: string | undefined): { path?: string; tried: string } {
  const raw = (setting || "").trim();
  if (!raw) return { path: onPath("copydesk"), tried: "copydesk on PATH" };
  const expanded = raw.replace(/^~(?=$|[\\/])/, process.env.HOME || "~");
  if (path.isAbsolute(expanded)) return { path: isExecutable(expanded) ? expanded : undefined, tried: expanded };
  if (!expanded.includes("/") && !expanded.includes("\\")) return { path: onPath(expanded), tried: `${expanded} on PATH` };
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const abs = folder ? path.resolve(folder, expanded) : path.resolve(expanded);
  return { path: isExecutable(abs) ? abs : undefined, tried: abs };
}

async function reportMissing(tried: string): Promise<void> {
  const setPath = "Set the path";
  const settings = "Open settings";
  const pick = await vscode.window.showErrorMessage(
    `copydesk: cannot find the copydesk server (${tried}). Install it (cargo install --path . in the copydesk repository) or set "copydesk.server.path".`,
    setPath, settings);
  if (pick === setPath) {
    const files = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectMany: false, openLabel: "Use as copydesk server" });
    if (files && files[0]) {
      await vscode.workspace.getConfiguration(SECTION).update("server.path", files[0].fsPath, vscode.ConfigurationTarget.Global);
    }
  } else if (pick === settings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "copydesk.server.path");
  }
}

export function createClient(command: string): LanguageClient {
  // No `transport`: with TransportKind.stdio the client appends its own "--stdio".
  const serverOptions: ServerOptions = { command, args: SERVER_ARGS };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
      { scheme: "untitled", language: "markdown" },
      { scheme: "untitled", language: "plaintext" },
    ],
    initializationOptions: serverSettings(),
    synchronize: { configurationSection: SECTION }, // sends {settings: {copydesk: {...}}}
    outputChannel: output,
  };
  return new LanguageClient(SECTION, "copydesk", serverOptions, clientOptions);
}

/** Starts the server; undefined (after telling the user) when the binary cannot be found. */
async function start(): Promise<LanguageClient | undefined> {
  const setting = vscode.workspace.getConfiguration(SECTION).get<string>("server.path", "");
  const found = resolveServerPath(setting);
  if (!found.path) {
    output?.appendLine(`copydesk server not found: ${found.tried}`);
    void reportMissing(found.tried);
    return undefined;
  }
  output?.appendLine(`starting ${found.path} ${SERVER_ARGS.join(" ")}`);
  const c = createClient(found.path);
  client = c;
  try {
    await c.start();
  } catch (e) {
    void vscode.window.showErrorMessage(`copydesk: the server did not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  return c;
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c && c.state !== State.Stopped) {
    try { await c.stop(2000); } catch { /* already gone */ }
  }
}

export async function restart(): Promise<LanguageClient | undefined> {
  const run = async () => { await (starting?.catch(() => undefined)); await stop(); return start(); };
  starting = run();
  return starting;
}

/** The running client, for tests and the commands. */
export function currentClient(): LanguageClient | undefined {
  return client;
}

// ---------------------------------------------------------------- sources ledger
// The ledger opens as a read-only virtual document (scheme copydesk-sources): not a file or an
// untitled buffer, so the language client does not lint it.
export const LEDGER_SCHEME = "copydesk-sources";
const ledgers = new Map<string, string>();
const ledgerChanged = new vscode.EventEmitter<vscode.Uri>();

type Row = Record<string, unknown>;
const isRow = (x: unknown): x is Row => !!x && typeof x === "object" && !Array.isArray(x);
const isRows = (v: unknown): v is Row[] => Array.isArray(v) && v.length > 0 && v.every(isRow);

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(cell).join("; ");
  if (isRow(v)) {
    for (const k of ["text", "name", "label"]) if (typeof v[k] === "string") return cell(v[k]);
    return JSON.stringify(v).replace(/\|/g, "\\|");
  }
  return String(v).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(rows: Row[]): string {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const head = `| ${cols.join(" | ")} |\n|${cols.map(() => "---").join("|")}|\n`;
  return head + rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(" | ")} |`).join("\n") + "\n";
}

/** One named row (a source): a heading, its other fields as a list, its quotes nested. */
function entry(r: Row): string {
  let head = `### ${cell(r.name)}`;
  if (r.role) head += ` — ${cell(r.role)}`;
  if (r.kind) head += ` (${cell(r.kind)})`;
  const lines = [head, ""];
  for (const [k, v] of Object.entries(r)) {
    if (["name", "role", "kind"].includes(k) || v === null || v === undefined) continue;
    if (Array.isArray(v) && v.every(isRow)) {
      lines.push(`- ${k}: ${v.length}`);
      for (const x of v) lines.push(`  - ${cell(x)}`);
    } else {
      lines.push(`- ${k}: ${cell(v)}`);
    }
  }
  return lines.join("\n") + "\n";
}

function section(key: string, v: unknown): string {
  if (Array.isArray(v) && v.length === 0) return `## ${key}\n\n_none_\n`;
  if (isRows(v)) {
    const body = v.every((r) => typeof r.name === "string") ? v.map(entry).join("\n") : table(v);
    return `## ${key}\n\n${body}`;
  }
  return `## ${key}\n\n\`\`\`json\n${JSON.stringify(v, null, 2)}\n\`\`\`\n`;
}

/**
 * Renders the result of `copydesk.sources` as Markdown: a string is taken as Markdown, a
 * `markdown` field wins; otherwise scalars become a list, named rows (sources) a section each
 * with their quotes, other rows a table.
 */
export function renderSources(result: unknown, title = "Sources"): string {
  if (typeof result === "string") return result;
  let md = `# ${title}\n\n`;
  if (result === null || result === undefined) return md + "_The server returned nothing._\n";
  if (Array.isArray(result)) return md + section("sources", result);
  if (!isRow(result)) return md + String(result) + "\n";
  if (typeof result.markdown === "string") return result.markdown;
  const scalars: string[] = [];
  const sections: string[] = [];
  for (const [k, v] of Object.entries(result)) {
    if (v !== null && typeof v === "object") sections.push(section(k, v));
    else scalars.push(`- **${k}**: ${cell(v)}`);
  }
  if (scalars.length) md += scalars.join("\n") + "\n\n";
  return md + sections.join("\n");
}

export async function showSources(): Promise<vscode.TextDocument | undefined> {
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document;
  if (!doc || !["markdown", "plaintext"].includes(doc.languageId) || doc.uri.scheme === LEDGER_SCHEME) {
    void vscode.window.showInformationMessage("copydesk: open a manuscript (Markdown or plain text) first.");
    return undefined;
  }
  const c = client;
  if (!c || !c.isRunning()) {
    void vscode.window.showWarningMessage("copydesk: the server is not running. Run \"copydesk: Restart server\".");
    return undefined;
  }
  const commands = c.initializeResult?.capabilities.executeCommandProvider?.commands || [];
  if (!commands.includes(SOURCES_COMMAND)) {
    void vscode.window.showInformationMessage("copydesk: this version of the server has no sources ledger (copydesk.sources).");
    return undefined;
  }
  const result = await c.sendRequest(ExecuteCommandRequest.type, { command: SOURCES_COMMAND, arguments: [doc.uri.toString()] });
  const name = path.basename(doc.uri.fsPath || doc.uri.path);
  const uri = vscode.Uri.from({ scheme: LEDGER_SCHEME, path: `/Sources of ${name.replace(/\.[^.]*$/, "")}.md`, query: doc.uri.toString() });
  ledgers.set(uri.toString(), renderSources(result, `Sources — ${name}`));
  ledgerChanged.fire(uri);
  const ledger = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(ledger, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  return ledger;
}

// ---------------------------------------------------------------- activation
export async function activate(context: vscode.ExtensionContext): Promise<LanguageClient | undefined> {
  output = vscode.window.createOutputChannel("copydesk");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("copydesk.restartServer", () => restart()),
    vscode.commands.registerCommand("copydesk.showSources", () => showSources()),
    vscode.workspace.registerTextDocumentContentProvider(LEDGER_SCHEME, {
      onDidChange: ledgerChanged.event,
      provideTextDocumentContent: (uri) => ledgers.get(uri.toString()) ?? "",
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The binary changed: a new process. Other copydesk settings go to the running
      // server through didChangeConfiguration, which the client sends by itself.
      if (e.affectsConfiguration(`${SECTION}.server`)) void restart();
    }),
  );
  starting = start();
  return starting;
}

export async function deactivate(): Promise<void> {
  await (starting?.catch(() => undefined));
  await stop();
}
