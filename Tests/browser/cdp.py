"""Minimal, stdlib-only Chrome DevTools Protocol driver for browser tests.

Launches headless Chromium, talks CDP over a small hand-written RFC 6455
WebSocket client and offers navigate / evaluate / wait_for / screenshot /
console_errors, plus ``png_ink`` to check that a screenshot shows something.
Every blocking operation has a timeout; nothing waits forever.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
import zlib
from collections import Counter
from itertools import accumulate
from urllib.parse import urlparse

_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never proxy 127.0.0.1


# No traffic but to the pages under test: no background services, and every host name but
# localhost and 127.0.0.1 resolves to nothing.
OFFLINE = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-domain-reliability",
           "--no-pings", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]


class CDPError(RuntimeError):
    """A CDP command returned an error, or evaluated JavaScript threw."""


def find_chromium() -> str | None:
    """Return the path of chromium / chromium-browser / google-chrome on PATH, or None."""
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


def _xor(data: bytes, key: bytes) -> bytes:
    """Apply a 4-byte WebSocket mask to ``data``."""
    n = len(data)
    return (int.from_bytes(data, "big") ^ int.from_bytes((key * (n // 4 + 1))[:n], "big")).to_bytes(n, "big")


class WebSocket:
    """Tiny blocking WebSocket client: masked frames out, any (fragmented) frames in."""

    def __init__(self, url: str, timeout: float = 10):
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port or 80), timeout=timeout)
        self.buf, self._parts = bytearray(), []  # unread bytes, fragments of a partial message
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path or '/'}{'?' + u.query if u.query else ''} HTTP/1.1\r\n"
                           f"Host: {u.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self._read_more(deadline)
        end = self.buf.index(b"\r\n\r\n")
        lines = self.buf[:end].decode("latin-1").split("\r\n")
        del self.buf[:end + 4]
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
        accept = base64.b64encode(hashlib.sha1((key + _WS_GUID).encode()).digest()).decode()
        if lines[0].split()[1:2] != ["101"] or headers.get("sec-websocket-accept") != accept:
            self.sock.close()
            raise ConnectionError(f"WebSocket handshake with {url} failed: {lines[0]!r}")

    def _read_more(self, deadline: float) -> None:
        """Append received bytes to the buffer; TimeoutError once ``deadline`` passes."""
        try:
            self.sock.settimeout(max(deadline - time.monotonic(), 1e-6))
            chunk = self.sock.recv(1 << 20)
        except socket.timeout:
            raise TimeoutError("timed out reading from the DevTools WebSocket") from None
        if not chunk:
            raise ConnectionError("DevTools WebSocket closed by peer")
        self.buf += chunk

    def send_frame(self, opcode: int, payload: bytes) -> None:
        """Send one final, masked frame (0x1 text, 0x8 close, 0xA pong, ...)."""
        n, first = len(payload), 0x80 | opcode
        head = (struct.pack("!BB", first, 0x80 | n) if n < 126 else
                struct.pack("!BBH", first, 0x80 | 126, n) if n < 1 << 16 else
                struct.pack("!BBQ", first, 0x80 | 127, n))
        mask = os.urandom(4)
        self.sock.sendall(head + mask + _xor(payload, mask))

    def _pop_frame(self):
        """Remove one complete frame from the buffer -> (fin, opcode, payload), or None."""
        b = self.buf
        if len(b) < 2:
            return None
        n, pos = b[1] & 0x7F, 2
        if n >= 126:  # 16- or 64-bit extended payload length
            fmt, pos = ("!H", 4) if n == 126 else ("!Q", 10)
            if len(b) < pos:
                return None
            n = struct.unpack_from(fmt, b, 2)[0]
        mask = bytes(b[pos:pos + 4]) if b[1] & 0x80 else b""
        start = pos + len(mask)
        if len(b) < start + n:
            return None
        payload = bytes(b[start:start + n])
        fin, opcode = bool(b[0] & 0x80), b[0] & 0x0F
        del b[:start + n]
        return fin, opcode, _xor(payload, mask) if mask else payload

    def recv(self, deadline: float) -> str:
        """Return the next complete data message; answers pings, raises on close."""
        while True:
            frame = self._pop_frame()
            if frame is None:
                self._read_more(deadline)
                continue
            fin, opcode, payload = frame
            if opcode == 0x9:
                self.send_frame(0xA, payload)
            elif opcode == 0x8:
                self.close()
                raise ConnectionError("DevTools WebSocket closed by peer")
            elif opcode in (0x0, 0x1, 0x2):  # continuation / text / binary
                self._parts.append(payload)
                if fin:
                    message, self._parts = b"".join(self._parts), []
                    return message.decode("utf-8", "replace")

    def close(self) -> None:
        """Send a normal close frame (best effort) and close the socket."""
        try:
            self.send_frame(0x8, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()


class Browser:
    """Headless Chromium showing one page, driven over CDP. Use as a context manager."""

    def __init__(self, width: int = 1280, height: int = 900, startup_timeout: float = 20):
        binary = find_chromium()
        if not binary:
            raise RuntimeError("Chromium not found: need chromium, chromium-browser or google-chrome on PATH")
        self.events: list[dict] = []
        self._errors: list[str] = []
        self._next_id, self.ws, self.proc = 0, None, None
        self.tmp = tempfile.mkdtemp(prefix="cdp-")
        profile = os.path.join(self.tmp, "profile")
        self._log = open(os.path.join(self.tmp, "chromium.log"), "wb")
        try:
            self.proc = subprocess.Popen(
                [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0", *OFFLINE,
                 f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
            port = self._wait_port(os.path.join(profile, "DevToolsActivePort"), startup_timeout)
            self.ws = WebSocket(self._page_ws_url(port))
            for domain in ("Page", "Runtime", "Log"):
                self.send(f"{domain}.enable")
            # --window-size counts the (invisible) browser frame; pin the viewport itself.
            self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                      deviceScaleFactor=1, mobile=False)
        except BaseException:
            self.close()
            raise

    def _wait_port(self, path: str, timeout: float) -> int:
        """Wait for Chromium to write its DevTools port file and return the port."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Chromium exited with code {self.proc.returncode}:\n{self._log_tail()}")
            try:
                with open(path) as f:
                    return int(f.readline())
            except (OSError, ValueError):
                time.sleep(0.05)
        raise TimeoutError(f"Chromium wrote no DevToolsActivePort within {timeout}s:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        with open(self._log.name, "rb") as f:
            return f.read()[-2000:].decode("utf-8", "replace")

    @staticmethod
    def _page_ws_url(port: int) -> str:
        """WebSocket URL of the first page target, creating one if there is none."""
        base = f"http://127.0.0.1:{port}/json"
        with _HTTP.open(f"{base}/list", timeout=5) as r:
            pages = [t for t in json.load(r) if t.get("type") == "page"]
        if not pages:
            with _HTTP.open(urllib.request.Request(f"{base}/new?about:blank", method="PUT"), timeout=5) as r:
                pages = [json.load(r)]
        return pages[0]["webSocketDebuggerUrl"]

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the socket, stop Chromium (SIGTERM, SIGKILL after 5 s), remove the temp dir."""
        if self.ws:
            self.ws.close()
            self.ws = None
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if not self.proc or self.proc.poll() is not None:
                break
            try:
                os.killpg(self.proc.pid, sig)  # own session: takes renderer children too
                self.proc.wait(5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        self._log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _dispatch(self, msg: dict) -> None:
        """Buffer an event, recording console errors and uncaught exceptions."""
        self.events.append(msg)
        method, p = msg.get("method"), msg.get("params", {})
        if method == "Runtime.exceptionThrown":
            d = p["exceptionDetails"]
            self._errors.append(d.get("exception", {}).get("description") or d.get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and p.get("type") == "error":
            self._errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
        elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
            self._errors.append(p["entry"].get("text", ""))

    def _next_message(self, deadline: float, what: str) -> dict:
        try:
            return json.loads(self.ws.recv(deadline))
        except TimeoutError:
            raise TimeoutError(f"timed out waiting for {what}") from None

    def call(self, method: str, params: dict | None = None, timeout: float = 30) -> dict:
        """Send a command, buffer events until its reply arrives, return its result."""
        self._next_id += 1
        mid, deadline = self._next_id, time.monotonic() + timeout
        self.ws.send_frame(0x1, json.dumps({"id": mid, "method": method, "params": params or {}}).encode())
        while True:
            msg = self._next_message(deadline, f"the reply to {method} ({timeout}s)")
            if msg.get("id") == mid:
                if "error" in msg:
                    raise CDPError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self._dispatch(msg)

    def send(self, method: str, **params) -> dict:
        """Send a CDP command with keyword parameters; return its result dict."""
        return self.call(method, params)

    def navigate(self, url: str, timeout: float = 15) -> None:
        """Load ``url`` and wait for Page.loadEventFired."""
        start, deadline = len(self.events), time.monotonic() + timeout
        result = self.call("Page.navigate", {"url": url}, timeout)
        if result.get("errorText"):
            raise CDPError(f"navigation to {url} failed: {result['errorText']}")
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events[start:]):
            self._dispatch(self._next_message(deadline, f"the load event of {url} ({timeout}s)"))

    def evaluate(self, expression: str, timeout: float = 10):
        """Evaluate JavaScript in the page (awaiting promises); return its JSON value."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True}, timeout)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            why = d.get("exception", {}).get("description") or d.get("text")
            raise CDPError(f"{expression!r} threw: {why}")
        return r["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 10, interval: float = 0.1):
        """Poll ``expression`` until truthy and return its value (a throw counts as falsy)."""
        deadline, last = time.monotonic() + timeout, None
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                if value := self.evaluate(expression, timeout=remaining):
                    return value
            except (CDPError, TimeoutError) as e:
                last = e
            time.sleep(max(0, min(interval, deadline - time.monotonic())))
        raise TimeoutError(f"timed out after {timeout}s waiting for {expression!r}"
                           + (f" (last error: {last})" if last else ""))

    def screenshot(self, full_page: bool = True, timeout: float = 20) -> bytes:
        """Return a PNG of the whole page (``full_page``) or of the viewport."""
        params: dict = {"format": "png"}
        if full_page:
            m = self.call("Page.getLayoutMetrics", timeout=timeout)
            size = m.get("cssContentSize") or m["contentSize"]
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "scale": 1,
                                                            "width": size["width"], "height": size["height"]})
        return base64.b64decode(self.call("Page.captureScreenshot", params, timeout)["data"])

    def console_errors(self, settle: float = 0.2) -> list[str]:
        """Console errors, error log entries (e.g. CSP violations) and uncaught exceptions
        seen so far, after reading events that arrive within ``settle`` seconds."""
        deadline = time.monotonic() + settle
        try:
            while True:
                self._dispatch(json.loads(self.ws.recv(deadline)))
        except TimeoutError:
            return list(self._errors)


def _add_bytes(a: bytes, b: bytes) -> bytes:
    """Bytewise (a + b) mod 256 of two equal-length byte strings (SWAR on big ints)."""
    n = len(a)
    lo, hi = int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big")
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    return (((x & lo) + (y & lo)) ^ ((x ^ y) & hi)).to_bytes(n, "big")


def _unfilter(raw: bytes, width: int, height: int, bpp: int):
    """Yield the reconstructed scanlines of a non-interlaced 8-bit PNG (filters 0-4)."""
    stride, prev = width * bpp, bytes(width * bpp)
    for y in range(height):
        ftype, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if ftype == 1:  # Sub: running sum per channel
            for c in range(bpp):
                row[c::bpp] = bytes(v & 0xFF for v in accumulate(row[c::bpp]))
        elif ftype == 2:  # Up
            row = bytearray(_add_bytes(row, prev))
        elif ftype in (3, 4):  # Average, Paeth
            for i in range(stride):
                a, b = (row[i - bpp] if i >= bpp else 0), prev[i]
                if ftype == 3:
                    row[i] = (row[i] + (a + b) // 2) & 0xFF
                    continue
                c = prev[i - bpp] if i >= bpp else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        elif ftype:
            raise ValueError(f"bad PNG filter type {ftype}")
        yield row
        prev = row


def png_ink(png: bytes, white: int = 235, grey_tolerance: int = 24) -> tuple[float, int]:
    """Decode an 8-bit RGB/RGBA non-interlaced PNG; return (fraction of pixels that
    are not near-white, number of distinct non-grey colours at 3 bits per channel).
    A pixel is ink if any channel < ``white``; grey if max-min <= ``grey_tolerance``.
    Alpha is composited over white."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, [], None
    while pos < len(png):
        n, kind = struct.unpack_from("!I4s", png, pos)
        if kind == b"IHDR":
            hdr = struct.unpack_from("!IIBBBBB", png, pos + 8)
        elif kind == b"IDAT":
            idat.append(png[pos + 8:pos + 8 + n])
        pos += 12 + n
    width, height, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG: bit depth {depth}, colour type {ctype}, interlace {interlace}")
    bpp, counts = (3 if ctype == 2 else 4), Counter()
    for row in _unfilter(zlib.decompress(b"".join(idat)), width, height, bpp):
        counts.update(zip(*(row[c::bpp] for c in range(bpp))))  # pixel -> occurrences
    ink, colours = 0, set()
    for px, k in counts.items():
        r, g, b = px[:3]
        if bpp == 4 and px[3] != 255:
            r, g, b = ((v * px[3] + 255 * (255 - px[3])) // 255 for v in (r, g, b))
        if min(r, g, b) < white:
            ink += k
            if max(r, g, b) - min(r, g, b) > grey_tolerance:
                colours.add((r >> 5, g >> 5, b >> 5))
    return ink / max(1, width * height), len(colours)
