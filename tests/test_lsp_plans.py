"""The language server on sessions and programmes, beyond their references: the outline
(the title, `do` lines with what each use changes, steps, stages), completion (the
statements, what stands under a `do` line, the library's ids after `do`, the days in a
programme), hover on their keywords, and go to definition and hover on a programme's
lines, in and out of stages. Through the real protocol, as an editor speaks it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")

from lsp_client import LspClient, at

CALF = '''routine "Calf at the wall"
  id: calf-wall
  sides: each, left first
  parameter hold: 30s, 20-45s "Hold"
  hold {hold} "Lean into the wall"
'''
BREATHING = '''routine "Box breathing"
  id: box-breathing
  repeat 2:
    inhale 4s
    exhale 4s
'''
SESSION = '''session "Morning Legs"
  id: morning-legs
  limit total 25m
  do box-breathing
  rest 30s "Stand up slowly"
  do "calf.stretch":
    sides: left only
    set hold: 40s
'''
PROGRAMME = '''programme "Six Weeks"
  id: six-weeks
  weeks: 6
  do morning-legs on mon, fri at 07:30
  progress hold: 20s, +5s a week up to 45s
  start stage: early
  stage early "Gentle range":
    do "morning.stretch" on weekdays
    move up after 3 sessions when pain at most 2
  stage later
    do calf-wall daily
'''


@pytest.fixture
def library(tmp_path: Path) -> Path:
    for name, text in [("calf.stretch", CALF), ("breathing.stretch", BREATHING),
                       ("morning.stretch", SESSION), ("programme.stretch", PROGRAMME)]:
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def client() -> Iterator[LspClient]:
    server = LspClient()
    server.initialize()
    yield server
    server.close()


def _request(client: LspClient, method: str, uri: str, **params: Any) -> Any:
    return client.request(method, {"textDocument": {"uri": uri}, **params})


def _outline(symbols: list[dict[str, Any]]) -> list[Any]:
    """Each symbol as (name, detail, kind), with its children's under it."""
    shown: list[Any] = []
    for symbol in symbols:
        shown.append((symbol["name"], symbol.get("detail"), symbol["kind"]))
        if symbol.get("children"):
            shown.append(_outline(symbol["children"]))
    return shown


def _labels(client: LspClient, uri: str, line: int, character: int) -> list[str]:
    found = _request(client, "textDocument/completion", uri, position=at(line, character))
    return [item["label"] for item in found["items"]]


# --- the outline --------------------------------------------------------------------------


def test_a_session_outlines_its_do_lines_and_steps(client: LspClient, library: Path) -> None:
    uri = (library / "morning.stretch").as_uri()
    client.open(uri, SESSION)
    symbols = _request(client, "textDocument/documentSymbol", uri)
    assert _outline(symbols) == [
        ('session "Morning Legs"', None, 2), [
            ("id", "morning-legs", 7),
            ("limit total", "25m", 14),
            ("do box-breathing", None, 12),
            ("rest 30s", '"Stand up slowly"', 12),
            ('do "calf.stretch"', "sides: left only, set hold: 40s", 12),
        ]]
    # The selection is the statement's first word; the range the whole `do` block.
    use = symbols[0]["children"][4]
    assert use["selectionRange"] == {"start": at(5, 2), "end": at(5, 4)}
    assert use["range"]["start"] == at(5, 2)
    assert use["range"]["end"]["line"] == 7


def test_a_programme_outlines_its_schedule_progressions_and_stages(
        client: LspClient, library: Path) -> None:
    uri = (library / "programme.stretch").as_uri()
    client.open(uri, PROGRAMME)
    assert _outline(_request(client, "textDocument/documentSymbol", uri)) == [
        ('programme "Six Weeks"', None, 2), [
            ("id", "six-weeks", 7),
            ("weeks", "6", 7),
            ("do morning-legs", "on mon, fri at 07:30", 24),
            ("progress hold", "20s, +5s a week up to 45s", 13),
            ("start stage", "early", 7),
            ("stage early", '"Gentle range"', 3), [
                ('do "morning.stretch"', "on weekdays", 24),
                ("move up", "after 3 sessions when pain at most 2", 25),
            ],
            ("stage later", None, 3), [
                ("do calf-wall", "daily", 24),
            ],
        ]]


def test_the_outline_keeps_the_last_plan_while_the_text_has_an_error(
        client: LspClient, library: Path) -> None:
    uri = (library / "typing.stretch").as_uri()
    client.open(uri, SESSION)
    client.change(uri, 2, [{"text": SESSION + "  do\n"}])  # half typed: a syntax error
    names = [s["name"] for s in
             _request(client, "textDocument/documentSymbol", uri)[0]["children"]]
    assert names == ["id", "limit total", "do box-breathing", "rest 30s",
                     'do "calf.stretch"']


# --- completion ---------------------------------------------------------------------------


def test_after_do_the_library_ids_but_the_file_s_own(client: LspClient,
                                                    library: Path) -> None:
    uri = (library / "morning.stretch").as_uri()
    text = SESSION + "  do \n"
    client.open(uri, text, version=3)
    found = _request(client, "textDocument/completion", uri, position=at(8, 5))
    items = {item["label"]: item for item in found["items"]}
    assert list(items) == ["box-breathing", "calf-wall", "six-weeks"]
    assert items["calf-wall"]["kind"] == 17  # File
    assert items["calf-wall"]["documentation"]["value"] == "`calf.stretch`"


def test_a_new_file_in_the_library_is_offered_once_saved(client: LspClient,
                                                         library: Path) -> None:
    uri = (library / "evening.stretch").as_uri()
    text = 'session "Evening"\n  do \n'
    client.open(uri, text)
    assert "hip-flexor" not in _labels(client, uri, 1, 5)
    hip = library / "hip.stretch"
    hip.write_text(CALF.replace("calf-wall", "hip-flexor"), encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": hip.as_uri(), "type": 1}]})
    assert "hip-flexor" in _labels(client, uri, 1, 5)


def test_an_untitled_document_resolves_in_the_server_s_folder(client: LspClient) -> None:
    # As the checker resolves its references (the client starts the server at the root
    # of this project): what completion offers, the diagnostics accept.
    uri = "untitled:Session-1"
    assert client.open(uri, 'session "New"\n  do box-breathing\n')["diagnostics"] == []
    client.change(uri, 2, [{"text": 'session "New"\n  do \n'}])
    assert "box-breathing" in _labels(client, uri, 1, 5)


def test_statements_of_sessions_programmes_stages_and_uses(client: LspClient,
                                                           library: Path) -> None:
    uri = (library / "draft.stretch").as_uri()
    text = ('session "Draft"\n  \n  do calf-wall:\n    \n'
            '\nprogramme "P"\n  \n  stage early:\n    \n  do calf-wall \n  do x on mon, \n')
    client.open(uri, text)
    assert _labels(client, uri, 5, 0) == ["routine", "session", "programme"]
    assert _labels(client, uri, 1, 2) == ["id:", "limit", "note", "do", "rest", "setup"]
    assert _labels(client, uri, 3, 4) == ["sides:", "variant:", "set"]
    found = _request(client, "textDocument/completion", uri, position=at(3, 4))
    assert found["items"][2]["documentation"]["value"] == (
        "a value for one of the routine's parameters in this use: `set hold: 40s`")


def test_a_programme_s_statements_and_days(client: LspClient, library: Path) -> None:
    uri = (library / "plan-draft.stretch").as_uri()
    text = 'programme "P"\n  \n  stage early:\n    \n  do calf-wall \n  do x on mon, \n'
    client.open(uri, text)
    assert _labels(client, uri, 1, 2) == [
        "id:", "note", "weeks:", "start:", "start stage:", "do", "progress", "stage"]
    assert _labels(client, uri, 3, 4) == ["do", "note", "move up", "step back"]
    assert _labels(client, uri, 4, 15) == ["on", "daily"]
    days = _labels(client, uri, 5, 15)
    assert days[:7] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert "weekdays" in days


# --- hover and go to definition in a programme --------------------------------------------


def test_hover_on_a_programme_keyword(client: LspClient, library: Path) -> None:
    uri = (library / "programme.stretch").as_uri()
    client.open(uri, PROGRAMME)
    found = _request(client, "textDocument/hover", uri, position=at(4, 4))
    assert found["contents"]["value"] == (
        "**progress**: a parameter's value week by week, for every routine that declares "
        "it: `progress hold: 20s, 30s from week 3, +5s a week up to 45s`")
    rule = _request(client, "textDocument/hover", uri, position=at(8, 5))
    assert rule["contents"]["value"].startswith("**move up**: when the person moves")


def test_definition_from_a_programme_and_its_stages(client: LspClient,
                                                    library: Path) -> None:
    uri = (library / "programme.stretch").as_uri()
    client.open(uri, PROGRAMME)
    top = _request(client, "textDocument/definition", uri, position=at(3, 8))
    assert top == {"uri": (library / "morning.stretch").as_uri(),
                   "range": {"start": at(1, 0), "end": at(1, 0)}}
    in_stage = _request(client, "textDocument/definition", uri, position=at(7, 10))
    assert in_stage["uri"] == (library / "morning.stretch").as_uri()
    later = _request(client, "textDocument/definition", uri, position=at(10, 8))
    assert later == {"uri": (library / "calf.stretch").as_uri(),
                     "range": {"start": at(1, 0), "end": at(1, 0)}}


def test_hover_on_a_session_a_programme_names(client: LspClient, library: Path) -> None:
    uri = (library / "programme.stretch").as_uri()
    client.open(uri, PROGRAMME)
    found = _request(client, "textDocument/hover", uri, position=at(3, 6))
    morning = library / "morning.stretch"
    assert found["range"] == {"start": at(3, 5), "end": at(3, 17)}
    assert found["contents"]["value"] == (
        "**Morning Legs** (session, `morning.stretch`)\n\n"
        "Takes 1m26s.\n\n"
        f"[{morning}]({morning.as_uri()})")


def test_hover_on_a_path_that_leads_nowhere(client: LspClient, library: Path) -> None:
    uri = (library / "lost.stretch").as_uri()
    client.open(uri, 'session "Lost"\n  do "calves.stretch"\n')
    found = _request(client, "textDocument/hover", uri, position=at(1, 8))
    assert found["contents"]["value"] == "`calves.stretch`: no such file next to this one"
