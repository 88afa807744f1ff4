"""The server process itself: it ends on `exit` even while the client keeps its stdin open
(editors differ in when they close the pipe), and it ends when stdin closes."""
from __future__ import annotations

import json
import subprocess
import time

from conftest import BIN


def frame(msg: dict) -> bytes:
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def start() -> subprocess.Popen:
    p = subprocess.Popen([BIN, "lsp", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                         "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
    p.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    p.stdin.flush()
    return p


def ended_within(p: subprocess.Popen, secs: float) -> int | None:
    try:
        return p.wait(secs)
    except subprocess.TimeoutExpired:
        return None


def test_exit_ends_the_process():
    p = start()
    try:
        p.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        p.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
        p.stdin.flush()
        t = time.monotonic()
        rc = ended_within(p, 5)
        assert rc == 0, f"still running {time.monotonic() - t:.1f}s after shutdown + exit with stdin open"
    finally:
        p.kill()
        p.wait()


def test_closing_stdin_ends_the_process():
    p = start()
    try:
        p.stdin.close()
        assert ended_within(p, 5) is not None, "still running 5s after stdin closed"
    finally:
        p.kill()
        p.wait()
