"""The language server under abuse: every request gets an answer, nothing is read that the
editor did not send, and no traceback reaches the user.

Each test reproduces a finding of the hardening review through the real protocol: the
server runs as ``python -m dsl lsp`` and tests/lsp_client.py talks to it over stdio.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")

from lsp_client import LspClient

from dsl.lsp import protocol
from dsl.lsp.protocol import checked_position, read_frame

INVALID_REQUEST, INVALID_PARAMS, PARSE_ERROR, NOT_INITIALIZED = -32600, -32602, -32700, -32002
ROUTINE = 'routine "Calf"\n  hold 30s "Lean into the wall"\n'
URI = "untitled:Calf"


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.fixture(scope="module")
def client() -> Iterator[LspClient]:
    """A server shared by the tests that leave it serving, initialized, with ROUTINE open;
    at the end its error output must hold no traceback, whatever the tests did to it."""
    server = LspClient(timeout=20)
    server.initialize()
    server.open(URI, ROUTINE)
    yield server
    if server.process.poll() is None:
        server.process.kill()
    server.process.wait()
    assert server.process.stderr is not None
    errors = server.process.stderr.read().decode("utf-8", "replace")
    assert "Traceback" not in errors and 'File "' not in errors, errors
    for stream in (server.process.stdin, server.process.stdout, server.process.stderr):
        if stream is not None:
            stream.close()


def hover(client: LspClient, line: Any, character: Any, uri: str = URI) -> dict[str, Any]:
    return client.call("textDocument/hover", {"textDocument": {"uri": uri},
                                              "position": {"line": line, "character": character}})


def answer(reply: dict[str, Any]) -> Any:
    """The result of a reply that must not be an error."""
    assert "error" not in reply and "result" in reply, reply
    return reply["result"]


# --- positions -----------------------------------------------------------------------------


@pytest.mark.parametrize(("line", "character", "problem"), [
    (-1, 0, "a position's `line` must not be negative (-1): lines and characters count from 0"),
    (0, -5, "a position's `character` must not be negative (-5): lines and characters count "
            "from 0"),
    (1.5, 0, "a position's `line` must be an integer, not 1.5"),
    ("3", 0, 'a position\'s `line` must be an integer, not "3"'),
    (True, 0, "a position's `line` must be an integer, not true"),
    (0, None, "a position's `character` must be an integer, not null"),
])
def test_a_position_that_is_not_two_natural_numbers_gets_invalid_params(
    client: LspClient, line: Any, character: Any, problem: str
) -> None:
    reply = hover(client, line, character)
    assert reply["error"] == {"code": INVALID_PARAMS, "message": problem}


def test_positions_past_the_end_are_clamped_not_ignored(client: LspClient) -> None:
    # Past the end of line 1 (`  hold 30s "Lean into the wall"`): the end of that line,
    # just after the quoted text, so no hover, but an answer.
    assert answer(hover(client, 1, 2**40)) is None
    # Past the last line: the last line (empty, after the final line break).
    assert answer(hover(client, 2**40, 0)) is None
    # At the end of `  hold 30s`: the amount.
    found = hover(client, 1, 10)["result"]
    assert found is not None and found["contents"]["value"].startswith("`30s`")
    completion = client.call("textDocument/completion", {
        "textDocument": {"uri": URI}, "position": {"line": 99, "character": 2**33}})
    assert completion["result"]["items"][0]["label"] == "routine"


def test_a_position_is_checked_and_clamped() -> None:
    assert checked_position({"line": 2**40, "character": 3}) == {"line": 2**31 - 1,
                                                                 "character": 3}
    assert checked_position({"line": 0, "character": 0}) == {"line": 0, "character": 0}


# --- documents the editor did not send ---------------------------------------------------


def test_a_change_before_the_document_is_opened_is_ignored(client: LspClient) -> None:
    never = Path("/nonexistent/never-opened.stretch").as_uri()
    client.notify("textDocument/didChange", {"textDocument": {"uri": never, "version": 2},
                                             "contentChanges": [{"text": "x"}]})
    client.notify("textDocument/didSave", {"textDocument": {"uri": never}})
    client.notify("textDocument/didClose", {"textDocument": {"uri": never}})
    assert hover(client, 1, 3)["result"] is not None  # still serving
    time.sleep(0.2)
    shown = []
    while not client.notifications.empty():
        shown.append(client.notifications.get())
    assert [m for m in shown if m.get("method") == "window/showMessage"] == []


@pytest.mark.parametrize("where", ["missing", "pipe", "/dev/zero"])
def test_a_document_never_opened_is_not_read_from_disk(
    client: LspClient, where: str, tmp_path: Path
) -> None:
    if where == "missing":
        path = tmp_path / "missing.stretch"
    elif where == "pipe":
        path = tmp_path / "pipe.stretch"
        os.mkfifo(path)
    else:
        path = Path(where)
    uri = path.as_uri()
    for method, extra in (("textDocument/hover", {"position": {"line": 0, "character": 0}}),
                          ("textDocument/completion",
                           {"position": {"line": 0, "character": 0}}),
                          ("textDocument/formatting",
                           {"options": {"tabSize": 2, "insertSpaces": True}}),
                          ("textDocument/documentSymbol", {})):
        started = time.monotonic()
        reply = client.call(method, {"textDocument": {"uri": uri}, **extra})
        assert time.monotonic() - started < 5
        assert reply["error"] == {
            "code": INVALID_PARAMS,
            "message": f"the document is not open: {uri} (send textDocument/didOpen first)"}


def test_an_opened_document_over_the_size_limit_gets_p124(client: LspClient) -> None:
    big = ROUTINE + "  # " + "x" * 4_100_000 + "\n"
    published = client.open("untitled:Big", big)
    [diagnostic] = published["diagnostics"]
    assert diagnostic["code"] == "P124"
    assert diagnostic["message"].startswith("the file is too large for a routine (4.1 MB;")


# --- the session: initialize, shutdown, exit ----------------------------------------------


def test_exit_without_shutdown_exits_1() -> None:
    client = LspClient()
    client.initialize()
    client.notify("exit")
    assert client.exit_code() == 1


def test_a_client_that_hangs_up_without_shutdown_leaves_exit_1() -> None:
    client = LspClient()
    client.initialize()
    assert client.process.stdin is not None
    client.process.stdin.close()
    assert client.exit_code() == 1


def test_shutdown_then_exit_exits_0() -> None:
    client = LspClient()
    client.initialize()
    assert client.close() == 0


def test_a_request_after_shutdown_gets_invalid_request() -> None:
    client = LspClient()
    client.initialize()
    client.open(URI, ROUTINE)
    assert client.call("shutdown")["result"] is None
    reply = hover(client, 0, 0)
    assert reply["error"] == {"code": INVALID_REQUEST, "message": "the server is shut down: "
                              "`textDocument/hover` is not answered (only `exit` is)"}
    client.notify("exit")
    assert client.exit_code() == 0


def test_a_request_before_initialize_gets_server_not_initialized() -> None:
    client = LspClient()
    try:
        reply = hover(client, 0, 0)
        assert reply["error"] == {"code": NOT_INITIALIZED,
                                  "message": "`textDocument/hover` before `initialize`"}
        client.initialize()
    finally:
        assert client.close() == 0


# --- broken frames and messages ------------------------------------------------------------


def test_bad_json_gets_a_parse_error_and_the_server_goes_on(client: LspClient) -> None:
    client.send_bytes(b"Content-Length: 9\r\n\r\n{not json")
    error = client.error_without_id()["error"]
    assert error["code"] == PARSE_ERROR
    assert error["message"].startswith("the message is not JSON:")
    client.send_bytes(b"Content-Length: 7\r\n\r\n[1,2,3]")
    assert client.error_without_id()["error"] == {"code": INVALID_REQUEST,
                                                  "message": "not a JSON-RPC 2.0 message"}
    nested = b"[" * 100_000 + b"]" * 100_000
    client.send_bytes(b"Content-Length: %d\r\n\r\n" % len(nested) + nested)
    assert client.error_without_id()["error"]["code"] == PARSE_ERROR
    assert hover(client, 1, 3)["result"] is not None


def test_missing_fields_get_invalid_params(client: LspClient) -> None:
    reply = client.call("textDocument/hover", {"textDocument": {"uri": URI}})
    assert reply["error"] == {"code": INVALID_PARAMS, "message": "the parameters of "
                              "`textDocument/hover` do not fit the protocol"}


def test_a_frame_over_the_limit_is_skipped_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(protocol, "MAX_MESSAGE", 100)
    hello = frame({"method": "initialized", "params": {}})
    stream = io.BytesIO(b"Content-Length: 1000\r\n\r\n" + b"x" * 1000 + hello)
    problem = read_frame(stream)
    assert not isinstance(problem, bytes) and problem is not None
    assert problem.problem == "a message of 1,000 bytes (the most is 100)"
    assert read_frame(stream) == hello.split(b"\r\n\r\n", 1)[1]
    assert read_frame(stream) is None


def test_frames_with_odd_headers_are_read_or_refused() -> None:
    body = b'{"jsonrpc": "2.0", "method": "initialized", "params": {}}'
    stream = io.BytesIO(
        b"\r\n"  # a stray blank line
        + b"content-length: %d\r\nContent-Type: x\r\n\r\n" % len(body) + body
        + b"Content-Length: many\r\n\r\n"
        + b"Content-Length: 5\r\n\r\n{")  # the client hangs up mid-message
    assert read_frame(stream) == body
    problem = read_frame(stream)
    assert not isinstance(problem, bytes) and problem is not None
    assert problem.problem == "a Content-Length that is not a number"
    assert read_frame(stream) is None


# --- bursts of edits -----------------------------------------------------------------------


def test_a_burst_of_edits_is_diagnosed_once_at_its_end(client: LspClient) -> None:
    lines = ROUTINE.count("\n")
    burst = b"".join(frame({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": URI, "version": version},
        "contentChanges": [{"range": {"start": {"line": lines, "character": 0},
                                      "end": {"line": lines, "character": 0}},
                            "text": "  rest 1s\n"}]}}) for version in range(2, 1002))
    client.send_bytes(burst)
    published = 0
    while True:
        message = client.notifications.get(timeout=20)
        if message.get("method") != "textDocument/publishDiagnostics":
            continue
        published += 1
        if message["params"]["version"] == 1001:
            break
    assert message["params"]["diagnostics"] == []
    # Coalesced: far fewer than one per edit. (How many depends on how the edits arrive:
    # the server diagnoses whenever it has caught up with what it has read so far.)
    assert published < 100
    found = hover(client, 1000, 3)["result"]
    assert found is not None and "rest" in found["contents"]["value"]


# --- applying edits ------------------------------------------------------------------------


def test_edits_count_lines_as_the_protocol_does(client: LspClient) -> None:
    """U+2028 and a form feed do not end a line in the protocol (pygls's own edits split
    there, and put an edit on the wrong line)."""
    text = 'routine "Calf \u2028 and \x0c"\n  hold 30 "Lean in"\n'
    published = client.open("untitled:Separators", text)
    assert [d["code"] for d in published["diagnostics"]] == ["P102"]  # rules wait for it
    fixed = client.change("untitled:Separators", 2, [{"range": {
        "start": {"line": 1, "character": 9}, "end": {"line": 1, "character": 9}},
        "text": "s"}])
    assert [d["code"] for d in fixed["diagnostics"]] == ["V109"]


def test_a_document_whose_uri_has_escapes_is_found(client: LspClient, tmp_path: Path) -> None:
    uri = (tmp_path / "my routine.stretch").as_uri()
    assert "%20" in uri
    client.open(uri, ROUTINE)
    assert answer(hover(client, 1, 3, uri))["contents"]["value"].startswith("**hold**")
    changed = client.change(uri, 2, [{"range": {"start": {"line": 1, "character": 9},
                                                "end": {"line": 1, "character": 10}},
                                      "text": ""}])
    assert [d["code"] for d in changed["diagnostics"]] == ["P102"]


def _reference_edit(text: str, start: tuple[int, int], end: tuple[int, int], new: str) -> str:
    """An edit the slow, obvious way: split into lines, count UTF-16 units."""
    import re

    parts = re.split(r"(\r\n|\r|\n)", text)
    contents, breaks = parts[0::2], [*parts[1::2], ""]

    def offset(line: int, character: int) -> int:
        if line >= len(contents):
            return len(text)
        before = sum(len(contents[n]) + len(breaks[n]) for n in range(line))
        counted = 0
        for index, char in enumerate(contents[line]):
            counted += 2 if ord(char) > 0xFFFF else 1
            if counted > character:
                return before + index
        return before + len(contents[line])

    first, last = sorted((offset(*start), offset(*end)))
    return text[:first] + new + text[last:]


pieces = st.sampled_from(["a", "b", " ", "\n", "\r", "\r\n", "😀", "é", "\u2028", "\x0c"])


@given(st.lists(pieces, max_size=30).map("".join), st.lists(st.tuples(
    st.integers(0, 6), st.integers(0, 6), st.integers(0, 6), st.integers(0, 6),
    st.lists(st.sampled_from(["x", "\n", "\r", "😀", ""]), max_size=2).map("".join)),
    max_size=8))
def test_edits_apply_as_the_obvious_way_does(text: str, edits: list[Any]) -> None:
    from dsl.lsp.positions import EditableText, Position

    editable, expected = EditableText(text), text
    for start_line, start_character, end_line, end_character, new in edits:
        editable.apply(Position(start_line, start_character), Position(end_line, end_character),
                       new)
        expected = _reference_edit(expected, (start_line, start_character),
                                   (end_line, end_character), new)
        assert editable.text == expected
        fresh = EditableText(expected)
        assert [editable._start(n) for n in range(len(editable._starts))] == fresh._starts


@pytest.mark.slow
def test_edits_to_a_four_megabyte_document_settle_with_one_diagnosis(client: LspClient) -> None:
    """200 incremental edits on a 4 MB document (they took 8.3 s to settle): applied
    without going through every line for each, and diagnosed once or twice, not 200
    times."""
    uri = "untitled:Big-Edits"
    big = ROUTINE + "  # " + "x" * 3_900_000 + "\n"
    assert client.open(uri, big)["diagnostics"] == []
    burst = b"".join(frame({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": {"start": {"line": 1, "character": 8},
                                      "end": {"line": 1, "character": 9}},
                            "text": str(version % 9 + 1)}]}}) for version in range(2, 202))
    client.send_bytes(burst)
    found = hover(client, 1, 8, uri)["result"]
    assert found is not None and found["contents"]["value"].startswith("`")
    published: list[dict[str, Any]] = []
    while not published or published[-1]["version"] != 201:
        message = client.notifications.get(timeout=60)
        if message.get("method") == "textDocument/publishDiagnostics" and (
                message["params"]["uri"] == uri):
            published.append(message["params"])
    assert published[-1]["diagnostics"] == [] and len(published) <= 5
