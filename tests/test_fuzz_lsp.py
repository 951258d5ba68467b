"""Property tests for the language server's message stream: malformed frames, bad JSON,
bad parameters, unknown methods and notifications out of order, sent to one running
server (``python -m dsl lsp``) as an editor gone wrong would send them.

Whatever comes, every request with an id is answered (a result or an error with a code
and a message, never a traceback), the server keeps serving (a request at the end of each
batch is answered as usual), and its error output never holds a traceback. Frame reading
itself is fuzzed in process, on random bytes.

The suite runs the bounded ``ci`` profile; ``STRETCH_FUZZ_PROFILE=long`` runs more.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterator
from typing import Any

import fuzzing
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")

from lsp_client import LspClient

from dsl.lsp.protocol import read_frame

FUZZ = fuzzing.profile()
PING = "untitled:Ping"
PING_TEXT = 'routine "Ping"\n  hold 30s "Stay"\n'
IDS = itertools.count(1000)

uris = st.sampled_from(["untitled:A", "untitled:B", "file:///nonexistent/x.stretch",
                        "file:///dev/zero", "file:///tmp", "", "not a uri", "file:///%ff"])
numbers = st.one_of(st.integers(0, 30), st.integers(0, 30), st.integers(-3, 50),
                    st.sampled_from([2**31, 2**40, -(2**40)]),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=3),
                    st.none(), st.booleans())
positions = st.one_of(st.fixed_dictionaries({"line": numbers, "character": numbers}),
                      st.just({}), st.just({"line": 0}), st.integers(), st.none())
ranges = st.fixed_dictionaries({"start": positions, "end": positions})
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                               max_size=3),
    max_leaves=8)
texts = st.one_of(fuzzing.random_texts, st.just(PING_TEXT))


@st.composite
def messages(draw: st.DrawFn) -> tuple[bytes, int | None]:
    """One framed message and the id it must be answered under (None: no answer due)."""
    kind = draw(st.integers(0, 9))
    document = {"uri": draw(st.one_of(st.just("untitled:A"), uris))}
    if kind <= 3:  # a request
        method = draw(st.sampled_from([
            "textDocument/hover", "textDocument/completion", "textDocument/formatting",
            "textDocument/documentSymbol", "textDocument/definition", "no/such/method",
            "initialize"]))
        params: Any = draw(st.one_of(
            st.fixed_dictionaries({"textDocument": st.just(document), "position": positions}),
            st.fixed_dictionaries({"textDocument": st.just(document),
                                   "options": st.just({"tabSize": 2, "insertSpaces": True})}),
            json_values))
        number = next(IDS)
        return _framed({"jsonrpc": "2.0", "id": number, "method": method,
                        "params": params}), number
    if kind <= 7:  # a notification, in any order
        method = draw(st.sampled_from([
            "textDocument/didOpen", "textDocument/didChange", "textDocument/didClose",
            "textDocument/didSave", "$/cancelRequest", "initialized", "no/such/notice"]))
        if method == "textDocument/didOpen":
            params = {"textDocument": {**document, "languageId": "stretch",
                                            "version": draw(numbers), "text": draw(texts)}}
        elif method == "textDocument/didChange":
            change = draw(st.one_of(
                st.fixed_dictionaries({"text": texts}),
                st.fixed_dictionaries({"range": ranges, "text": st.text(max_size=10)})))
            params = {"textDocument": {**document, "version": draw(numbers)},
                      "contentChanges": [change]}
        else:
            params = draw(st.one_of(st.just({"textDocument": document}), json_values))
        return _framed({"jsonrpc": "2.0", "method": method, "params": params}), None
    body = draw(st.one_of(  # not a message at all
        st.binary(max_size=30), st.sampled_from([b"{", b"[]", b"null", b"3", b'"x"', b"{}",
                                                 b'{"jsonrpc": "1.0", "id": 1}',
                                                 b'{"id": [1], "method": "x"}'])))
    return b"Content-Length: %d\r\n\r\n" % len(body) + body, None


def _framed(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.fixture(scope="module")
def server() -> Iterator[LspClient]:
    client = LspClient(timeout=30)
    client.initialize()
    client.open(PING, PING_TEXT)
    yield client
    assert client.process.poll() is None, "the server stopped"
    client.close()
    assert client.process.stderr is not None
    # close() closed the pipes; what the server wrote to stderr was drained below.


def _drain_errors(client: LspClient) -> None:
    """Nothing the server logs may be a traceback (read what it has written so far)."""
    import os
    import select

    assert client.process.stderr is not None
    descriptor = client.process.stderr.fileno()
    written = b""
    while select.select([descriptor], [], [], 0)[0]:
        chunk = os.read(descriptor, 1 << 16)
        if not chunk:
            break
        written += chunk
    text = written.decode("utf-8", "replace")
    assert "Traceback" not in text and 'File "' not in text, text


@FUZZ
@given(texts, st.lists(messages(), min_size=1, max_size=8))
def test_every_request_is_answered_and_the_server_goes_on(
    server: LspClient, opened: str, batch: list[tuple[bytes, int | None]]
) -> None:
    # Most batches work on a document that is open (and some close it halfway).
    server.send_bytes(_framed({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": "untitled:A", "languageId": "stretch", "version": 1,
                         "text": opened}}}))
    server.send_bytes(b"".join(frame for frame, _ in batch))
    ping = server.call("textDocument/hover", {"textDocument": {"uri": PING},
                                              "position": {"line": 1, "character": 3}})
    assert ping["result"]["contents"]["value"].startswith("**hold**"), ping
    for _, number in batch:
        if number is None:
            continue
        reply = server._box(number).get(timeout=30)  # answered before the ping was
        assert ("result" in reply) != ("error" in reply), reply
        event(f"error {reply['error']['code']}" if "error" in reply else "a result")
        if "error" in reply:
            error = reply["error"]
            assert isinstance(error["code"], int) and isinstance(error["message"], str)
            assert "data" not in error and "Traceback" not in error["message"], error
    _drain_errors(server)


@FUZZ
@given(st.lists(st.one_of(
    st.binary(max_size=40),
    st.sampled_from([b"Content-Length: 5\r\n", b"\r\n", b"content-length:2\n", b"{}",
                     b"Content-Length: -1\r\n", b"Content-Length: 99999999999\r\n",
                     b"Content-Type: x\r\n", b"\n"])), max_size=12))
def test_frame_reading_never_fails_on_any_bytes(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    stream = io.BytesIO(data)
    for _ in range(len(data) + 2):
        frame = read_frame(stream)
        if frame is None:
            break
        assert isinstance(frame, bytes) or frame.problem
    else:
        assert read_frame(stream) is None  # every frame read consumes input: no loop
