"""Self-test for the stdlib CDP driver in cdp.py.

The browser tests need Chromium on PATH and are skipped without it; the
WebSocket framing and PNG decoding tests run everywhere.
"""
import base64
import functools
import hashlib
import http.server
import os
import random
import socket
import struct
import sys
import threading
import time
import zlib

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from cdp import Browser, CDPError, WebSocket, _unfilter, find_chromium, png_ink  # noqa: E402

needs_chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason="Chromium not found on PATH (looked for chromium, chromium-browser, google-chrome)")

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>cdp self-test</title><link rel="icon" href="data:,"></head>
<body style="margin:0;background:#fff">
  <p id="status">waiting</p>
  <svg width="600" height="300" xmlns="http://www.w3.org/2000/svg">
    <rect x="10" y="10" width="180" height="280" fill="#d62728"/>
    <rect x="210" y="10" width="180" height="280" fill="#1f77b4"/>
    <circle cx="500" cy="150" r="90" fill="#2ca02c"/>
  </svg>
  <script>setTimeout(() => { document.getElementById("status").textContent = "ready"; }, 500);</script>
</body></html>"""

CSP_PAGE = """<!doctype html>
<html><head><meta http-equiv="Content-Security-Policy" content="script-src 'none'">
<link rel="icon" href="data:,"></head>
<body><script>document.title = "inline ran";</script></body></html>"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "index.html").write_text(PAGE)
    (root / "csp.html").write_text(CSP_PAGE)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@needs_chromium
def test_page_roundtrip(server):
    with Browser(width=800, height=600) as b:
        b.navigate(f"{server}/index.html")
        assert b.evaluate("document.title") == "cdp self-test"
        assert b.wait_for("document.getElementById('status').textContent === 'ready' && 'ok'", 5) == "ok"
        assert b.evaluate("Promise.resolve({a: [1, 2], b: 'x'})") == {"a": [1, 2], "b": "x"}
        assert b.evaluate("undefined") is None
        with pytest.raises(TimeoutError, match="never-true"):
            b.wait_for("false /* never-true */", timeout=0.5)
        with pytest.raises(CDPError, match="nope"):
            b.evaluate("throw new Error('nope')")

        png = b.screenshot()
        assert png.startswith(b"\x89PNG") and png[16:20] == (800).to_bytes(4, "big")  # IHDR width
        ink, colours = png_ink(png)
        assert 0.05 < ink < 0.9, ink
        assert colours >= 3, colours

        assert b.console_errors() == []
        b.evaluate("console.error('boom from console'); setTimeout(() => { throw new Error('kaboom'); }, 0)")
        b.wait_for("new Promise(r => setTimeout(() => r(true), 100))", 5)
        errors = b.console_errors()
        assert any("boom from console" in e for e in errors), errors
        assert any("kaboom" in e for e in errors), errors


@needs_chromium
def test_csp_violation_is_reported(server):
    with Browser(width=400, height=300) as b:
        b.navigate(f"{server}/csp.html")
        assert b.evaluate("document.title") != "inline ran"
        errors = b.console_errors()
        assert any("Content Security Policy" in e for e in errors), errors


@needs_chromium
def test_cleanup_removes_profile():
    with Browser(width=200, height=200) as b:
        tmp, proc = b.tmp, b.proc
        assert os.path.isdir(tmp)
    assert not os.path.exists(tmp)
    assert proc.poll() is not None


# --- no browser needed ------------------------------------------------------

def _server_frame(opcode, payload, fin=True):
    n = len(payload)
    length = (bytes([n]) if n < 126 else b"\x7e" + struct.pack("!H", n) if n < 65536
              else b"\x7f" + struct.pack("!Q", n))
    return bytes([(0x80 if fin else 0) | opcode]) + length + payload


def _read_client_frame(conn):
    def exact(k):
        data = b""
        while len(data) < k:
            data += conn.recv(k - len(data)) or pytest.fail("client hung up")
        return data
    b0, b1 = exact(2)
    assert b1 & 0x80, "client frames must be masked"
    n = b1 & 0x7F
    n = struct.unpack("!H", exact(2))[0] if n == 126 else struct.unpack("!Q", exact(8))[0] if n == 127 else n
    mask = exact(4)
    return b0 & 0x0F, bytes(c ^ mask[i % 4] for i, c in enumerate(exact(n)))


def test_websocket_framing():
    """Handshake, fragmented messages, interleaved ping, 16/64-bit lengths, masking, close."""
    listener = socket.create_server(("127.0.0.1", 0))
    received = []

    def serve():
        conn, _ = listener.accept()
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(4096)
            key = [ln.split(":", 1)[1].strip() for ln in request.decode().split("\r\n")
                   if ln.lower().startswith("sec-websocket-key")][0]
            guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
            accept = base64.b64encode(hashlib.sha1((key + guid).encode()).digest())
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                         b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
                         + _server_frame(1, b"hello ", fin=False) + _server_frame(9, b"ping!")
                         + _server_frame(0, b"world") + _server_frame(1, b"a" * 300)
                         + _server_frame(2, b"b" * 70000))
            received.append(_read_client_frame(conn))  # pong
            received.append(_read_client_frame(conn))  # text
            conn.sendall(_server_frame(8, struct.pack("!H", 1000)))
            received.append(_read_client_frame(conn))  # close echo

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    ws = WebSocket(f"ws://127.0.0.1:{listener.getsockname()[1]}/devtools/page/X", timeout=5)
    assert ws.recv(deadline) == "hello world"
    assert ws.recv(deadline) == "a" * 300
    assert ws.recv(deadline) == "b" * 70000
    ws.send_frame(1, "é".encode() * 40000)
    with pytest.raises(ConnectionError):
        ws.recv(deadline)
    thread.join(5)
    listener.close()
    assert received[0] == (0xA, b"ping!")
    assert received[1] == (0x1, "é".encode() * 40000)
    assert received[2][0] == 0x8


def _encode_png(rows, bpp):
    """Encode pixel rows as an 8-bit PNG, cycling through filter types 0-4."""
    raw, prev = b"", bytes(len(rows[0]))
    for y, row in enumerate(rows):
        f = y % 5
        out = bytearray()
        for i, x in enumerate(row):
            a, b, c = (row[i - bpp] if i >= bpp else 0), prev[i], (prev[i - bpp] if i >= bpp else 0)
            p = a + b - c
            paeth = min((abs(p - a), 0, a), (abs(p - b), 1, b), (abs(p - c), 2, c))[2]
            out.append((x - (0, a, b, (a + b) // 2, paeth)[f]) & 0xFF)
        raw += bytes([f]) + out
        prev = row

    def chunk(kind, data):
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
    ihdr = struct.pack("!IIBBBBB", len(rows[0]) // bpp, len(rows), 8, 2 if bpp == 3 else 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("bpp", [3, 4])
def test_png_decoding(bpp):
    rng = random.Random(bpp)
    width, height = 37, 23
    white = [255] * bpp
    pixels = [[white if rng.random() < 0.5 else [rng.randrange(256) for _ in range(3)] + [255] * (bpp - 3)
               for _ in range(width)] for _ in range(height)]
    pixels[0][0] = [200, 0, 0] + [0] * (bpp - 3)  # fully transparent -> counts as white (RGBA only)
    rows = [bytes(v for px in line for v in px) for line in pixels]
    png = _encode_png(rows, bpp)
    raw = zlib.decompress(png[png.index(b"IDAT") + 4:])
    assert [bytes(r) for r in _unfilter(raw, width, height, bpp)] == rows

    flat = [px for line in pixels for px in line if bpp == 3 or px[3] == 255]
    ink = [px for px in flat if min(px[:3]) < 235]
    colours = {(r >> 5, g >> 5, b >> 5) for r, g, b, *_ in ink if max(r, g, b) - min(r, g, b) > 24}
    assert png_ink(png) == (len(ink) / (width * height), len(colours))
