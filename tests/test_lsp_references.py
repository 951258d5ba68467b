"""The language server on sessions and programmes: go to definition and hover on a `do`
line's reference, and diagnostics that follow the files a session names when they
change on disk. Through the real protocol, as an editor speaks it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lsp_client import LspClient, at

CALF = '''routine "Calf at the wall"
  id: calf-wall
  sides: each, left first
  parameter hold: 30s, 20-45s "Hold"
  variant easier "A shorter step back"
  limit hold 45s
  hold {hold} "Lean into the wall"
'''
SESSION = '''session "Morning"
  do calf-wall:
    set hold: 40s
  rest 10s
  do "calf.stretch"
  do calf-wal
'''


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "calf.stretch").write_text(CALF, encoding="utf-8")
    (tmp_path / "session.stretch").write_text(SESSION, encoding="utf-8")
    return tmp_path


@pytest.fixture
def client() -> Iterator[LspClient]:
    server = LspClient()
    server.initialize({"workspace": {"didChangeWatchedFiles": {
        "dynamicRegistration": True}}})
    yield server
    server.close()


def _codes(published: dict[str, Any]) -> list[tuple[str, int]]:
    return [(d["code"], d["range"]["start"]["line"]) for d in published["diagnostics"]]


def test_the_server_asks_to_watch_stretch_files(client: LspClient) -> None:
    request = client.server_requests.get(timeout=client.timeout)
    assert request["method"] == "client/registerCapability"
    (registration,) = request["params"]["registrations"]
    assert registration["method"] == "workspace/didChangeWatchedFiles"
    assert registration["registerOptions"]["watchers"] == [{"globPattern": "**/*.stretch"}]


def test_definition_leads_to_the_id_line_or_the_file(client: LspClient,
                                                     library: Path) -> None:
    session = (library / "session.stretch").as_uri()
    published = client.open(session, SESSION)
    assert _codes(published) == [("R106", 5)]
    by_id = client.request("textDocument/definition", {
        "textDocument": {"uri": session}, "position": at(1, 6)})
    assert by_id["uri"] == (library / "calf.stretch").as_uri()
    assert by_id["range"]["start"] == at(1, 0)  # the `id:` line
    by_path = client.request("textDocument/definition", {
        "textDocument": {"uri": session}, "position": at(4, 8)})
    assert by_path["uri"] == (library / "calf.stretch").as_uri()
    nowhere = client.request("textDocument/definition", {
        "textDocument": {"uri": session}, "position": at(5, 6)})
    assert nowhere is None
    elsewhere = client.request("textDocument/definition", {
        "textDocument": {"uri": session}, "position": at(3, 3)})
    assert elsewhere is None


def test_hover_on_a_reference_shows_what_it_names(client: LspClient, library: Path) -> None:
    session = (library / "session.stretch").as_uri()
    client.open(session, SESSION)
    found = client.request("textDocument/hover", {
        "textDocument": {"uri": session}, "position": at(1, 8)})
    assert found["range"] == {"start": at(1, 5), "end": at(1, 14)}
    calf = library / "calf.stretch"
    assert found["contents"]["value"] == (
        "**Calf at the wall** (routine, `calf.stretch`)\n\n"
        "Takes 60s.\n\n"
        "Parameters: `hold` (20-45s, default 30s).\n\n"
        "Variants: `easier`.\n\n"
        f"[{calf}]({calf.as_uri()})")
    missing = client.request("textDocument/hover", {
        "textDocument": {"uri": session}, "position": at(5, 6)})
    assert missing["contents"]["value"] == (
        "`calf-wal`: no routine or session in the library has this id")


def test_a_referenced_file_changed_on_disk_diagnoses_the_session_again(
        client: LspClient, library: Path) -> None:
    session = (library / "session.stretch").as_uri()
    client.open(session, SESSION)
    # The routine now limits holds to 35 s: the session's `set hold: 40s` breaks it.
    calf = library / "calf.stretch"
    calf.write_text(CALF.replace("limit hold 45s", "limit hold 35s"), encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": calf.as_uri(), "type": 2}]})
    published = client.wait_for("textDocument/publishDiagnostics", session)
    assert ("L108", 1) in _codes(published)
    # A routine given the missing id, saved in the editor: the session finds it.
    other = library / "other.stretch"
    other.write_text(CALF.replace("calf-wall", "calf-wal"), encoding="utf-8")
    client.open(other.as_uri(), other.read_text(encoding="utf-8"))
    client.notify("textDocument/didSave", {"textDocument": {"uri": other.as_uri()}})
    published = client.wait_for("textDocument/publishDiagnostics", session)
    assert ("R106", 5) not in _codes(published)


def test_symbols_and_completion_do_not_break_on_a_programme(client: LspClient,
                                                            library: Path) -> None:
    plan = (library / "plan.stretch")
    text = 'programme "Plan"\n  weeks: 2\n  do calf-wall on mon at 07:30\n'
    client.open(plan.as_uri(), text)
    symbols = client.request("textDocument/documentSymbol", {
        "textDocument": {"uri": plan.as_uri()}})
    assert [s["name"] for s in symbols] == ['programme "Plan"']
    items = client.request("textDocument/completion", {
        "textDocument": {"uri": plan.as_uri()}, "position": at(2, 5)})
    assert isinstance(items["items"], list)
