"""The ``hone serve --stdio`` subprocess: one JSON request line in, one JSON response line out."""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import weakref

from .exceptions import HoneError

#: Seconds the server gets to exit after its stdin is closed, before it is terminated.
SHUTDOWN_GRACE = 5.0


def find_hone(hone_path=None):
    """The path of the ``hone`` executable: ``hone_path`` if given, else the ``HONE_BIN``
    environment variable, else ``hone`` on ``PATH``.

    Raises ``FileNotFoundError`` (naming where it looked) when there is none.
    """
    for given, origin in ((hone_path, "hone_path"), (os.environ.get("HONE_BIN"), "HONE_BIN")):
        if given:
            found = shutil.which(os.fspath(given))
            if found is None:
                raise FileNotFoundError(f"{origin} is {given!r}, which is not an executable file")
            return found
    found = shutil.which("hone")
    if found is None:
        raise FileNotFoundError(
            "cannot find the hone executable: pass hone_path=..., set HONE_BIN, or put hone on PATH")
    return found


def _shutdown(process, stderr):
    """Ends ``process`` gently (end of stdin), then firmly; closes its pipes. Safe to repeat."""
    try:
        if process.poll() is None:
            try:
                process.stdin.close()
            except OSError:
                pass
            try:
                process.wait(timeout=SHUTDOWN_GRACE)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout=SHUTDOWN_GRACE)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    finally:
        for stream in (process.stdin, process.stdout, stderr):
            try:
                stream.close()
            except (OSError, ValueError):
                pass


class Server:
    """One ``hone serve --stdio --storage URL`` process.

    ``request`` sends one request and returns its response, raising ``HoneError`` for an
    ``{"error": ...}`` answer. Requests are serialized by a lock, so a ``Server`` may be shared by
    threads. The process is ended by ``close()``, or when the ``Server`` is garbage collected, or
    at interpreter exit.
    """

    def __init__(self, storage, hone_path=None):
        self.executable = find_hone(hone_path)
        self.storage = storage
        #: The working directory of the server, against which relative sqlite paths resolve.
        self.cwd = os.getcwd()
        self._lock = threading.Lock()
        self._last_id = 0
        self._stderr = tempfile.TemporaryFile()
        try:
            self._process = subprocess.Popen(
                [self.executable, "serve", "--stdio", "--storage", storage],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, cwd=self.cwd,
                text=True, encoding="utf-8", bufsize=1)
        except BaseException:
            self._stderr.close()
            raise
        self._finalizer = weakref.finalize(self, _shutdown, self._process, self._stderr)

    @property
    def closed(self):
        """True once ``close()`` has run (or the server was finalized)."""
        return not self._finalizer.alive

    @property
    def pid(self):
        """The process id of the server."""
        return self._process.pid

    def request(self, op, **fields):
        """Sends ``{"op": op, **fields}`` and returns the response object (without its ``id``).

        Raises ``HoneError`` with the server's message for an error response, or when the server
        has ended, and ``ValueError`` for a field JSON cannot carry (NaN, infinity).
        """
        with self._lock:
            if self.closed:
                raise HoneError("the hone server is closed")
            self._last_id += 1
            request_id = self._last_id
            line = json.dumps({"op": op, **fields, "id": request_id}, allow_nan=False)
            try:
                self._process.stdin.write(line + "\n")
                self._process.stdin.flush()
                answer = self._process.stdout.readline()
            except (OSError, ValueError):
                answer = ""
            if not answer:
                raise self._ended()
        try:
            response = json.loads(answer)
        except json.JSONDecodeError:
            raise HoneError(f"hone serve answered something that is not JSON: {answer.strip()}") from None
        if response.pop("id", None) != request_id:
            raise HoneError(f"hone serve answered out of turn: {answer.strip()}")
        if "error" in response:
            raise HoneError(response["error"])
        return response

    def run_command(self, *arguments):
        """Runs ``hone ARGUMENTS --storage URL`` (another process, same working directory) and
        returns its stdout; a non-zero exit raises ``HoneError`` with its error message."""
        result = subprocess.run([self.executable, *arguments, "--storage", self.storage], cwd=self.cwd,
                                capture_output=True, text=True, encoding="utf-8")
        if result.returncode != 0:
            message = result.stderr.strip() or f"hone {arguments[0]} exited with status {result.returncode}"
            raise HoneError(message[len("Error: "):] if message.startswith("Error: ") else message)
        return result.stdout

    def close(self):
        """Ends the server: closes its stdin, waits for it to exit (terminating it after
        ``SHUTDOWN_GRACE`` seconds). Safe to call more than once."""
        self._finalizer()

    def _ended(self):
        """The error for a server that stopped answering, with what it wrote on stderr."""
        try:
            status = self._process.wait(timeout=SHUTDOWN_GRACE)
        except subprocess.TimeoutExpired:
            status = None
        try:
            self._stderr.seek(0)
            detail = self._stderr.read().decode("utf-8", "replace").strip()
            detail = detail[len("Error: "):] if detail.startswith("Error: ") else detail
        except (OSError, ValueError):
            detail = ""
        self.close()
        message = "hone serve ended" + (f" with status {status}" if status is not None else "")
        return HoneError(f"{message}: {detail}" if detail else message)
