"""The language server's side of the wire, hardened: every request gets an answer.

pygls speaks the protocol; this module reads its input and guards its dispatch, so that
a client that misbehaves (or a fuzzer) never leaves the editor waiting or sees a Python
traceback:

- ``serve`` reads Content-Length frames on a thread of its own, with a cap on header
  lines and bodies (``MAX_MESSAGE``), answers JSON that does not parse with ParseError,
  and returns the exit code the protocol asks for: 0 after ``shutdown`` then ``exit``,
  1 when the client exits (or hangs up) without ``shutdown``.
- ``StretchProtocol`` answers parameters that do not fit (a negative or non-integer
  position, a missing field) with InvalidParams, requests before ``initialize`` with
  ServerNotInitialized, and requests after ``shutdown`` with InvalidRequest; it clamps
  positions too large to be real to the end of their line, ignores edits to documents
  that were never opened, and never puts a traceback in an error.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO
from urllib.parse import unquote

import attrs
from lsprotocol import types as lsp
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcParseError,
    JsonRpcServerNotInitialized,
)
from pygls.io_ import StdoutWriter
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import RPCNotification, RPCRequest, RPCResponse
from pygls.protocol.language_server import lsp_method

from dsl.lsp.positions import EditableText, Position
from dsl.source.files import MAX_SOURCE_SIZE

MAX_MESSAGE = 8 * MAX_SOURCE_SIZE
"""The largest message read, in bytes: a document at the size limit, with room for JSON's
escapes. A bigger message is skipped unread (and answered with an error), so memory stays
bounded whatever a client sends."""

_MAX_HEADER_LINE = 8192
_MAX_POSITION = 2**31 - 1  # the protocol's uinteger: larger values are clamped to it
_DOCUMENT_NOTIFICATIONS = (lsp.TEXT_DOCUMENT_DID_CHANGE, lsp.TEXT_DOCUMENT_DID_SAVE,
                           lsp.TEXT_DOCUMENT_DID_CLOSE)

logger = logging.getLogger("stretch.lsp")


@dataclass(frozen=True, slots=True)
class _Refused:
    """A message that cannot be handled, and the error its sender gets (if it expects an
    answer: ``id`` is None for a notification or a message whose id is unknown)."""

    id: int | str | None
    error: JsonRpcException


@dataclass(frozen=True, slots=True)
class _BadPosition:
    """A position that is not two non-negative integers (stands in for it while parsing)."""

    problem: str


def checked_position(data: dict[str, Any]) -> dict[str, Any] | _BadPosition:
    """A ``{"line", "character"}`` object as the protocol allows it: non-negative integers,
    clamped to the protocol's largest (a position past a line's end is then clamped to
    the line's end, as the protocol says)."""
    for field in ("line", "character"):
        value = data[field]
        if isinstance(value, bool) or not isinstance(value, int):
            return _BadPosition(f"a position's `{field}` must be an integer, not "
                                f"{json.dumps(value)[:40]}")
        if value < 0:
            return _BadPosition(f"a position's `{field}` must not be negative ({value}): lines "
                                "and characters count from 0")
    return {field: min(data[field], _MAX_POSITION) for field in ("line", "character")}


def _bad_position_in(value: Any) -> _BadPosition | None:
    if isinstance(value, _BadPosition):
        return value
    children = value.values() if isinstance(value, dict) else value if isinstance(
        value, list) else ()
    for child in children:
        found = _bad_position_in(child)
        if found is not None:
            return found
    return None


def open_document(workspace: Any, uri: str) -> Any:
    """The open document with this URI, or None (pygls keeps them under the unquoted URI)."""
    return workspace.text_documents.get(unquote(uri))


class StretchProtocol(LanguageServerProtocol):
    """pygls's protocol with every message answered or deliberately ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initialized = False
        self.shut_down = False
        self._texts: dict[str, EditableText] = {}

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: lsp.DidChangeTextDocumentParams
    ) -> Iterator[Any]:
        """Apply the edits (in place of pygls's, which splits lines where the protocol does
        not, such as at U+2028, and goes through every line of the text for each edit)."""
        key = unquote(params.text_document.uri)
        document = self.workspace.text_documents[key]
        text = self._texts.get(key)
        if text is None or text.text is not document.source:
            text = EditableText(document.source)
        encoding = _encoding(self.workspace.position_encoding)
        for change in params.content_changes:
            if isinstance(change, lsp.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                text.apply(Position(start.line, start.character),
                           Position(end.line, end.character), change.text, encoding)
            else:
                text = EditableText(change.text)
        self.workspace.put_text_document(lsp.TextDocumentItem(
            uri=document.uri, language_id=document.language_id or "stretch",
            version=params.text_document.version, text=text.text))
        self._texts[key] = text
        if (handler := self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    def structure_message(self, data: dict[str, Any]) -> Any:
        """Called by ``json.loads`` for every object, innermost first."""
        if "jsonrpc" not in data:
            if data.keys() == {"line", "character"}:
                return checked_position(data)
            return data
        try:
            return super().structure_message(data)
        except JsonRpcException:
            problem = _bad_position_in(data.get("params"))
            message = problem.problem if problem else (
                f"the parameters of `{data.get('method')}` do not fit the protocol")
            identifier = data.get("id") if "method" in data else None
            return _Refused(identifier if isinstance(identifier, int | str) else None,
                            JsonRpcInvalidParams(message))

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Refused):
            self.refuse(message.id, message.error)
            return
        if not isinstance(message, RPCRequest | RPCNotification | RPCResponse) and not (
                hasattr(message, "error") and hasattr(message, "id")):
            identifier = message.get("id") if isinstance(message, dict) else None
            self.refuse(identifier if isinstance(identifier, int | str) else None,
                        JsonRpcInvalidRequest("not a JSON-RPC 2.0 message"), unread=True)
            return
        method = getattr(message, "method", None)
        request = isinstance(message, RPCRequest)
        if method == lsp.EXIT:
            super().handle_message(message)
            return
        if self.shut_down:
            if request:
                self.refuse(message.id, JsonRpcInvalidRequest(
                    f"the server is shut down: `{method}` is not answered (only `exit` is)"))
            return
        if self.initialized and method == lsp.INITIALIZE:
            if request:  # a second one would start over, forgetting the open documents
                self.refuse(message.id, JsonRpcInvalidRequest("`initialize` was already sent"))
            return
        if not self.initialized and method is not None and method != lsp.INITIALIZE:
            if request:
                self.refuse(message.id, JsonRpcServerNotInitialized(
                    f"`{method}` before `initialize`"))
            return
        if method in _DOCUMENT_NOTIFICATIONS and not self._is_open(message):
            logger.warning("ignored %s for a document that is not open", method)
            return
        if method == lsp.TEXT_DOCUMENT_DID_CLOSE:
            self._texts.pop(unquote(message.params.text_document.uri), None)
        super().handle_message(message)
        if method == lsp.INITIALIZE:
            self.initialized = True
        elif method == lsp.SHUTDOWN:
            self.shut_down = True

    def _is_open(self, message: Any) -> bool:
        return open_document(self.workspace, message.params.text_document.uri) is not None

    def refuse(self, identifier: int | str | None, error: JsonRpcException, *,
               unread: bool = False) -> None:
        """Answer a request with an error; a notification (no id) is only logged. A
        message that could not be read (``unread``) is answered with a null id, as
        JSON-RPC says, since its id is unknown."""
        logger.warning("%s", error.message)
        if identifier is not None:
            self._send_response(identifier, error=error.to_response_error())
        elif unread:
            # Written as a dict: the protocol's own types leave a null id out.
            self._send_data({"jsonrpc": "2.0", "id": None,
                             "error": {"code": error.code, "message": error.message}})

    def _send_response(self, msg_id: Any, result: Any = None, error: Any = None) -> None:
        # pygls puts the traceback of an unexpected exception in the error's data: the
        # editor would show it to the user. The message says what failed; that is enough.
        super()._send_response(msg_id, result,
                               attrs.evolve(error, data=None) if error is not None else None)


def _encoding(value: Any) -> str:
    # An enum member's str() is its name, not its value: take the value.
    return str(value.value if isinstance(value, lsp.PositionEncodingKind) else value or "utf-16")


# --- reading the stream ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unreadable:
    """A frame that could not be read as a message, and why."""

    problem: str
    error: type[JsonRpcException]


def read_frame(stream: BinaryIO) -> bytes | _Unreadable | None:
    """The body of the next ``Content-Length`` frame; None at the end of the stream."""
    length: int | None = None
    while True:
        header = stream.readline(_MAX_HEADER_LINE)
        if not header:
            return None
        if header in (b"\r\n", b"\n"):
            if length is None:
                # A stray blank line (or a frame with no length): wait for the next one.
                continue
            break
        name, _, value = header.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                length = int(value.strip())
            except ValueError:
                length = None
            if length is None or length < 0:
                return _Unreadable("a Content-Length that is not a number", JsonRpcParseError)
    if length > MAX_MESSAGE:
        _skip(stream, length)
        return _Unreadable(f"a message of {length:,} bytes (the most is {MAX_MESSAGE:,})",
                           JsonRpcInvalidRequest)
    body = stream.read(length)
    if body is None or len(body) < length:
        return None  # the client hung up in the middle of a message
    return body


def _skip(stream: BinaryIO, length: int) -> None:
    while length > 0:
        chunk = stream.read(min(length, 1 << 16))
        if not chunk:
            return
        length -= len(chunk)


def serve(protocol: StretchProtocol, stdin: BinaryIO | None = None,
          stdout: BinaryIO | None = None) -> int:
    """Serve one client over stdio until it exits or hangs up; the process exit code."""
    _quiet_logging()
    protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    # Our own reader over standard input: the reading thread may still be blocked in it
    # when the process exits, and Python aborts if that is sys.stdin's own buffer.
    # A large buffer: a burst of edits is read in few system calls.
    source = stdin or open(sys.stdin.fileno(), "rb", buffering=1 << 16,  # noqa: SIM115
                           closefd=False)
    try:
        return asyncio.run(_serve(protocol, source))
    except BrokenPipeError:  # the client went away while we were answering
        return 0 if protocol.shut_down else 1


async def _serve(protocol: StretchProtocol, source: BinaryIO) -> int:
    loop = asyncio.get_running_loop()
    frames: asyncio.Queue[bytes | _Unreadable | None] = asyncio.Queue()

    def read() -> None:
        while True:
            frame = read_frame(source)
            loop.call_soon_threadsafe(frames.put_nowait, frame)
            if frame is None:
                return

    # A daemon thread: a read still blocked on stdin must not keep the process alive.
    threading.Thread(target=read, name="stretch-lsp-reader", daemon=True).start()
    while (frame := await frames.get()) is not None:
        try:
            _handle(protocol, frame)
        except SystemExit as done:  # `exit`: pygls chose 0 or 1 by whether shutdown came
            return done.code if isinstance(done.code, int) else 1
    return 0 if protocol.shut_down else 1


def _handle(protocol: StretchProtocol, frame: bytes | _Unreadable) -> None:
    if isinstance(frame, _Unreadable):
        protocol.refuse(None, frame.error(f"unreadable message: {frame.problem}"), unread=True)
        return
    try:
        message = json.loads(frame, object_hook=protocol.structure_message)
    except (ValueError, RecursionError) as error:
        protocol.refuse(None, JsonRpcParseError(f"the message is not JSON: {error}"[:200]),
                        unread=True)
        return
    try:
        protocol.handle_message(message)
    except SystemExit:
        raise
    except Exception as error:  # never let one message stop the server
        logger.error("could not handle a message: %s: %s", type(error).__name__, error)


class _OneLine(logging.Formatter):
    """Log records as one line each: no traceback reaches the editor's output panel."""

    def format(self, record: logging.LogRecord) -> str:
        first = record.getMessage().split("\n", 1)[0]
        return f"stretch lsp: {record.levelname.lower()}: {first}"[:500]


def _quiet_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine())
    for name in ("pygls", "stretch"):
        log = logging.getLogger(name)
        log.handlers[:] = [handler]
        log.setLevel(logging.WARNING)
        log.propagate = False
