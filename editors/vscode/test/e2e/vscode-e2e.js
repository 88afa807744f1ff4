// Drives real VS Code (code-server's web workbench) in Debian's headless Chromium, with the
// copydesk .vsix installed: diagnostics in the Problems panel, an edit that moves them, a hover
// on a person, and go to definition. Saves screenshots into OUT_DIR.
// usage: node vscode-e2e.js http://127.0.0.1:PORT /abs/workspace OUT_DIR
"use strict";
const path = require("node:path");
const { chromium } = require("playwright-core");

const [base, folder, outDir] = process.argv.slice(2);
const WAIT = Number(process.env.COPYDESK_TEST_WAIT_MS || 20000);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const failures = [];
let checks = 0;
const check = (ok, what) => { checks++; console.log(`${ok ? "ok  " : "FAIL"} ${what}`); if (!ok) failures.push(what); return ok; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function until(fn, ms = WAIT) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await fn().catch(() => false)) return true; await sleep(200); }
  return false;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const shot = (name) => page.screenshot({ path: path.join(outDir, name) }).catch(() => {});
  const cursor = () => page.locator("#status\\.editor\\.selection").innerText().catch(() => "");
  const problemsText = () => page.locator(".markers-panel").innerText().catch(() => "");
  const unattributed = async () => ((await problemsText()).match(/unattributed-quote/g) || []).length;

  async function open(name) {
    await page.getByRole("treeitem", { name }).click({ timeout: 30000 });
    await page.locator(`.tab.active[aria-label*="${name}"], .tab.active:has-text("${name}")`).first().waitFor({ timeout: 15000 });
    await page.locator(".editor-instance .monaco-editor").first().click({ position: { x: 300, y: 10 } });
  }
  async function gotoLine(n) {
    await page.keyboard.press("Control+g");
    await page.keyboard.type(String(n));
    await page.keyboard.press("Enter");
    await until(async () => (await cursor()).startsWith(`Ln ${n},`), 5000);
  }
  // Put the cursor at the start of the first match of `text` (find widget, then collapse left).
  async function cursorAt(text) {
    await page.keyboard.press("Control+f");
    const input = page.locator(".find-widget textarea, .find-widget input").first();
    await input.waitFor({ timeout: 5000 });
    await input.fill(text);
    await page.keyboard.press("Enter");
    await page.keyboard.press("Escape");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowRight"); // inside the word, not on its edge
  }

  try {
    await page.goto(`${base}/?folder=${encodeURIComponent(folder)}`);
    await page.locator(".monaco-workbench").waitFor({ timeout: 60000 });

    // 1. diagnostics on quotes.md, in the editor and the Problems panel
    await open("quotes.md");
    check(await until(async () => (await page.locator(".squiggly-warning, .squiggly-error, .squiggly-info").count()) > 0),
      "squiggles in the editor");
    await page.locator("#status\\.problems").first().click(); // toggles the Problems panel
    check(await until(async () => (await unattributed()) === 1),
      `Problems: one unattributed-quote (${JSON.stringify((await problemsText()).slice(0, 300))})`);
    const text = await problemsText();
    check(/copydesk/.test(text) && /Ln 9/.test(text), "Problems row names copydesk and line 9");
    await shot("problems.png");

    // 2. an edit: attribute the bare quote, then add a new bare one at the end
    await page.locator(".editor-instance .monaco-editor").first().click({ position: { x: 300, y: 10 } });
    await gotoLine(9);
    await page.keyboard.press("Home");
    await page.keyboard.press("Shift+End");
    await page.keyboard.type("“Nobody saw it coming,” the mayor said.");
    check(await until(async () => (await unattributed()) === 0), "after attributing: no unattributed-quote");
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("“Another quote with no speaker.”");
    check(await until(async () => (await unattributed()) === 1 && /Ln 13/.test(await problemsText())),
      `a new bare quote: unattributed-quote again (${JSON.stringify((await problemsText()).slice(0, 300))})`);

    // 3. the example article: hover on a person, go to definition
    await open("xi-moscow.md");
    await cursorAt("Heusgen: “Russia is now");
    await page.keyboard.press("Control+k");
    await page.keyboard.press("Control+i"); // editor.action.showHover
    const hover = page.locator(".monaco-editor .monaco-hover:not(.hidden)").first();
    let hoverText = "";
    await until(async () => { hoverText = await hover.innerText(); return /Heusgen/.test(hoverText); });
    for (const want of ["Christoph Heusgen", "head of the Munich Security Conference", "3 quotes"]) {
      check(hoverText.includes(want), `hover on Heusgen shows ${want} (${JSON.stringify(hoverText.slice(0, 160))})`);
    }
    await shot("screenshot.png");
    await page.keyboard.press("Escape");

    await cursorAt("Xi appreciates");
    const before = await cursor();
    await page.keyboard.press("F12");
    check(await until(async () => /^Ln 6,/.test(await cursor())),
      `F12 on Xi jumps to line 6, Chinese President Xi Jinping (${before} -> ${await cursor()})`);

    // 4. the command palette: copydesk: Show sources opens the ledger beside the article
    await page.keyboard.press("F1");
    await page.keyboard.type("copydesk: Show sources");
    await page.locator(".quick-input-list .monaco-list-row").filter({ hasText: "Show sources" }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press("Enter");
    const ledger = page.locator(".editor-group-container").filter({ has: page.locator(".tab.active", { hasText: "Sources of" }) }).locator(".view-lines").first();
    let ledgerText = "";
    check(await until(async () => { ledgerText = (await ledger.innerText()).replace(/\u00a0/g, " "); return /# Sources/.test(ledgerText) && /### Xi Jinping/.test(ledgerText); }),
      `Show sources opens the ledger (${JSON.stringify(ledgerText.slice(0, 120))})`);
  } catch (e) {
    check(false, "error: " + e.message.split("\n")[0]);
  } finally {
    await shot("final.png");
    await browser.close();
  }
  console.log(`${checks} checks, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
})();
