#!/usr/bin/env bash
# Real-VS-Code end-to-end test: installs the packaged .vsix into code-server (VS Code in the
# browser, from npm), opens a workspace with the fixtures of editors/testdata, and drives it
# in Debian's headless Chromium with Playwright (vscode-e2e.js).
#
# usage: run-e2e.sh EXT.vsix SERVER_BIN
#   CODE_SERVER=path/to/code-server  (default: code-server on PATH)
#   COPYDESK_UPDATE_SCREENSHOT=1     also copy the screenshot to editors/vscode/images/
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXT_DIR=$(cd "$HERE/../.." && pwd)          # editors/vscode
VSIX=$(realpath "$1")
BIN=$(realpath "$2")
CS=${CODE_SERVER:-code-server}
OUT=${COPYDESK_E2E_OUT:-$EXT_DIR/test-results}
mkdir -p "$OUT"

T=$(mktemp -d)
mkdir -p "$T/user/User" "$T/ext" "$T/ws"
cp "$EXT_DIR/../testdata/quotes.md" "$EXT_DIR/../testdata/xi-moscow.md" "$T/ws/"
: > "$T/ws/copydesk.toml"
cat > "$T/user/User/settings.json" <<JSON
{
  "copydesk.server.path": "$BIN",
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "files.autoSave": "off",
  "editor.minimap.enabled": false,
  "editor.hover.delay": 100,
  "editor.wordWrap": "on",
  "window.zoomLevel": 0,
  "workbench.colorTheme": "Default Light Modern"
}
JSON
"$CS" --user-data-dir "$T/user" --extensions-dir "$T/ext" --install-extension "$VSIX" > "$T/install.log" 2>&1 \
  || { cat "$T/install.log"; exit 1; }
PORT=$((20000 + RANDOM % 10000))
setsid "$CS" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$T/user" --extensions-dir "$T/ext" "$T/ws" > "$T/code-server.log" 2>&1 &
CS_PID=$!
cleanup() {
  kill -- -"$CS_PID" 2>/dev/null || true     # the whole process group: watchers, the server
  wait "$CS_PID" 2>/dev/null || true
  rm -rf "$T"
}
trap cleanup EXIT
for _ in $(seq 150); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
rc=0
NODE_PATH="$EXT_DIR/node_modules" node "$HERE/vscode-e2e.js" "http://127.0.0.1:$PORT" "$T/ws" "$OUT" || rc=$?
if [ $rc -ne 0 ]; then
  echo "--- code-server log (tail)"; tail -20 "$T/code-server.log"
  find "$T/user" -name "*copydesk*.log" -path "*exthost*" -exec tail -30 {} \; 2>/dev/null || true
fi
if [ "${COPYDESK_UPDATE_SCREENSHOT:-0}" = 1 ] && [ -f "$OUT/screenshot.png" ]; then
  cp "$OUT/screenshot.png" "$EXT_DIR/images/screenshot.png"
fi
exit $rc
