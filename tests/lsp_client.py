"""A small Language Server Protocol client for the tests and the benchmark: it starts a
server process and speaks JSON-RPC to it over stdin/stdout (Content-Length framing), as an
editor does.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]


class ServerError(Exception):
    """The server answered a request with an error."""


class LspClient:
    """Talks to ``python -m dsl lsp`` (or any command) through its stdio."""

    def __init__(self, command: list[str] | None = None, timeout: float = 10.0) -> None:
        self.timeout = timeout
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "dsl", "lsp"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
        )
        self._next_id = 0
        self._responses: dict[int | None, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.notifications: queue.Queue[dict[str, Any]] = queue.Queue()
        self.server_requests: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # --- framing ---------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    @staticmethod
    def _read_message(stream: IO[bytes]) -> dict[str, Any] | None:
        length = None
        while True:
            header = stream.readline()
            if not header:
                return None
            if header in (b"\r\n", b"\n"):
                break
            name, _, value = header.decode("ascii").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        assert length is not None, "a message without Content-Length"
        message: dict[str, Any] = json.loads(stream.read(length).decode("utf-8"))
        return message

    def _read_loop(self) -> None:
        assert self.process.stdout is not None
        while (message := self._read_message(self.process.stdout)) is not None:
            if "id" in message and "method" in message:  # a request from the server
                self.server_requests.put(message)
                self._send({"id": message["id"], "result": None})
            elif "id" in message:
                self._box(message["id"]).put(message)
            else:
                self.notifications.put(message)

    def _box(self, number: int | None) -> queue.Queue[dict[str, Any]]:
        with self._lock:
            return self._responses.setdefault(number, queue.Queue())

    # --- the protocol ------------------------------------------------------------------------

    def request(self, method: str, params: Any = None) -> Any:
        """Send a request and wait for its result."""
        reply = self.call(method, params)
        if "error" in reply:
            raise ServerError(reply["error"])
        return reply.get("result")

    def call(self, method: str, params: Any = None) -> dict[str, Any]:
        """Send a request and return the whole reply: its ``result`` or its ``error``."""
        with self._lock:
            self._next_id += 1
            number = self._next_id
        self._send({"id": number, "method": method, "params": params})
        return self._box(number).get(timeout=self.timeout)

    def send_bytes(self, data: bytes) -> None:
        """Write bytes as they are (broken frames, bad JSON: what a fuzzer sends)."""
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def error_without_id(self) -> dict[str, Any]:
        """The next error reply with a null id (a message the server could not read)."""
        return self._box(None).get(timeout=self.timeout)

    def exit_code(self) -> int:
        """Wait for the server to end (after ``exit`` or closing its input)."""
        return self.process.wait(timeout=self.timeout)

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"method": method, "params": params})

    def wait_for(self, method: str, uri: str | None = None,
                 version: int | None = None) -> dict[str, Any]:
        """The next notification of this method (for this document and version), skipping
        others (log messages, diagnostics of other documents)."""
        while True:
            message = self.notifications.get(timeout=self.timeout)
            if message.get("method") != method:
                continue
            params = message.get("params") or {}
            if uri is not None and params.get("uri") != uri:
                continue
            if version is not None and params.get("version") != version:
                continue
            return params

    def initialize(self, capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
        result: dict[str, Any] = self.request("initialize", {
            "processId": None, "rootUri": ROOT.as_uri(),
            "capabilities": capabilities or {},
        })
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> dict[str, Any]:
        """Open a document and return the diagnostics published for it."""
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "stretch", "version": version, "text": text}})
        return self.wait_for("textDocument/publishDiagnostics", uri, version)

    def change(self, uri: str, version: int, changes: list[dict[str, Any]]) -> dict[str, Any]:
        """Change a document and return the diagnostics published for the new version."""
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": changes})
        return self.wait_for("textDocument/publishDiagnostics", uri, version)

    def close(self) -> int:
        """Shut the server down politely and return its exit code."""
        try:
            self.request("shutdown")
            self.notify("exit")
            return self.process.wait(timeout=self.timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()


def uri(name: str) -> str:
    """The URI of a file under tests/fixtures/lsp/ (it need not exist: documents are opened
    with their text)."""
    return (ROOT / "tests" / "fixtures" / "lsp" / name).as_uri()


def at(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


def span(start: tuple[int, int], end: tuple[int, int]) -> dict[str, Any]:
    return {"start": at(*start), "end": at(*end)}
