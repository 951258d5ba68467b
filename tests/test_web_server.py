"""`stretch serve`'s app over HTTP (Starlette's test client): every endpoint, every refusal,
and that what it answers is what the commands give (the linter with the folder's
configuration, the formatter, the compiler, the safe writer). The browser tests are in
tests/test_web_serve.py."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT
from starlette.testclient import TestClient

import dsl
from dsl.format.formatter import format_text
from dsl.model import words
from dsl.source.files import MAX_SOURCE_SIZE
from dsl.web import server
from dsl.web.server import TOKEN_COOKIE, create_app

MISTAKE = 'routine "Calf"\n  hold 30s "Lean in"\n  hodl 10s\n'
TIDY = 'routine "Calf"\n  hold 30s "Lean in"\n'
UNTIDY = 'routine   "Calf"\n    hold   30s "Lean in"   # keep\n'
BASE = "http://127.0.0.1:8700"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    served = tmp_path / "routines"
    served.mkdir()
    for name in ("calf-wall-stretch", "leg-warm-up", "morning-legs",
                 "towel-hamstring-three-ways", "hip-and-hamstring", "daily-leg-programme",
                 "box-breathing", "hamstring-as-prescribed", "side-lying-quad",
                 "hip-flexor-lunge"):
        shutil.copy(EXAMPLES / f"{name}.stretch", served)
    shutil.copytree(EXAMPLES / "images", served / "images")
    (served / "sub").mkdir()
    (served / "sub" / "calf.stretch").write_text(TIDY, encoding="utf-8")
    (served / "notes.txt").write_text("not a routine\n", encoding="utf-8")
    (tmp_path / "secret.stretch").write_text(TIDY, encoding="utf-8")
    return served


@pytest.fixture
def client(folder: Path) -> Iterator[TestClient]:
    with TestClient(create_app(folder), base_url=BASE) as made:
        yield made


def post(client: TestClient, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json=body)


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    message = response.json()["error"]
    assert isinstance(message, str)
    return message


# --- pages and files ---------------------------------------------------------------------


def test_the_playground_page_and_its_editor_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<script src="static/editor.js">' in page.text
    editor = client.get("/static/editor.js")
    assert editor.status_code == 200 and "javascript" in editor.headers["content-type"]
    assert editor.text.startswith("/* The stretch playground's editor: CodeMirror 6")
    assert "window.StretchEditor" in editor.text or "StretchEditor" in editor.text
    assert client.get("/static/playground.css").status_code == 200
    assert "no such file: /static/server.py" in _error(client.get("/static/server.py"), 404)


def test_the_editor_bundle_names_the_versions_pinned() -> None:
    """The committed bundle was built from the pinned packages (editors/playground): its
    first lines name each with the version package-lock.json pins, and it ends with their
    licences."""
    bundle = (ROOT / "dsl" / "web" / "playground" / "editor.js").read_text(encoding="utf-8")
    lock = json.loads((ROOT / "editors" / "playground" / "package-lock.json").read_text(
        encoding="utf-8"))
    head = " ".join(bundle[:2000].split())
    pinned = lock["packages"][""]["devDependencies"]
    for name, version in pinned.items():
        if name != "esbuild":
            assert f"{name} {version}" in head
    assert f"bundled by esbuild {pinned['esbuild']}" in head
    assert bundle.rstrip().endswith("*/") and "Permission is hereby granted" in bundle[-3000:]


def test_the_words_highlighted_are_the_language_s(client: TestClient) -> None:
    answer = client.get("/api/words").json()
    assert set(answer["statements"]) == set(words.LINE_STARTS)
    assert set(answer["words"]) == set(words.ALL_WORDS - words.LINE_STARTS)
    assert "routine" in answer["statements"] and "gently" in answer["words"]


def test_the_file_list_holds_the_folder_s_routines_only(client: TestClient,
                                                         folder: Path) -> None:
    (folder / "out.stretch").symlink_to(folder.parent / "secret.stretch")
    listed = client.get("/api/files").json()
    assert listed["folder"] == "routines"
    assert "sub/calf.stretch" in listed["files"] and "morning-legs.stretch" in listed["files"]
    assert "notes.txt" not in listed["files"]
    assert "out.stretch" not in listed["files"]  # a link that leads out of the folder
    assert listed["files"] == sorted(listed["files"])


def test_a_file_opens_with_its_text_and_version(client: TestClient, folder: Path) -> None:
    answer = client.get("/api/file", params={"path": "sub/calf.stretch"}).json()
    assert answer == {"path": "sub/calf.stretch", "text": TIDY, "diagnostics": [],
                      "version": hashlib.sha256(TIDY.encode()).hexdigest()}


def test_a_binary_file_is_shown_as_its_diagnostic(client: TestClient, folder: Path) -> None:
    (folder / "junk.stretch").write_bytes(b"routine\x00\xff\xfe")
    answer = client.get("/api/file", params={"path": "junk.stretch"}).json()
    assert answer["text"] is None
    [problem] = answer["diagnostics"]
    assert (problem["code"], problem["line"], problem["column"]) == ("P122", 1, 8)
    assert problem["message"] == "this is not a text file (NUL byte at offset 7)"


@pytest.mark.parametrize(("name", "status", "message"), [
    ("../secret.stretch", 403, "`../secret.stretch` is outside the served folder (through "
     "`..` or a link); nothing there is served"),
    ("sub/../../secret.stretch", 403, "outside the served folder"),
    ("/etc/passwd", 403, "`/etc/passwd` is an absolute path; name a file inside the served "
     "folder, relative to it"),
    ("", 400, "name a file of the folder: `path` is missing or empty"),
    ("missing.stretch", 404, "there is no file `missing.stretch` in the folder"),
])
def test_paths_outside_the_folder_are_refused(client: TestClient, name: str, status: int,
                                              message: str) -> None:
    assert message in _error(client.get("/api/file", params={"path": name}), status)


def test_a_link_that_leads_out_is_refused(client: TestClient, folder: Path) -> None:
    (folder / "out.stretch").symlink_to(folder.parent / "secret.stretch")
    (folder / "up").symlink_to(folder.parent)
    for name in ("out.stretch", "up/secret.stretch"):
        assert "outside the served folder" in _error(
            client.get("/api/file", params={"path": name}), 403)
        assert "outside the served folder" in _error(
            post(client, "/api/save", {"path": name, "text": TIDY, "version": None}), 403)
    assert (folder.parent / "secret.stretch").read_text(encoding="utf-8") == TIDY


# --- lint ---------------------------------------------------------------------------------


def test_a_mistake_is_reported_as_stretch_lint_reports_it(client: TestClient,
                                                          folder: Path) -> None:
    answer = post(client, "/api/lint", {"path": "sub/calf.stretch", "text": MISTAKE}).json()
    [problem] = answer["diagnostics"]
    assert problem == {
        "code": "P103", "name": None, "severity": "error",
        "message": "unknown statement `hodl`", "hint": "did you mean `hold`?",
        "path": "sub/calf.stretch", "line": 3, "column": 3, "endLine": 3, "endColumn": 7,
        "related": []}


@pytest.mark.parametrize("name", ["hip-and-hamstring.stretch", "morning-legs.stretch",
                                  "towel-hamstring-three-ways.stretch",
                                  "daily-leg-programme.stretch"])
def test_the_diagnostics_are_stretch_lint_s_for_the_folder(client: TestClient, folder: Path,
                                                            name: str) -> None:
    """Edited text is checked as `stretch lint FOLDER` checks the saved file."""
    text = (folder / name).read_text(encoding="utf-8").replace("30s", "90s").replace(
        "do calf-wall-stretch", "do calf-wall-strech")
    (folder / name).write_text(text, encoding="utf-8")
    done = _stretch("lint", "--format", "json", ".", cwd=folder)
    expected = [d for d in json.loads(done.stdout)["diagnostics"] if d["path"] == name]
    answer = post(client, "/api/lint", {"path": name, "text": text}).json()
    assert answer["diagnostics"] == expected
    if name == "morning-legs.stretch":
        assert "R106" in [d["code"] for d in expected]  # the misspelt reference


def test_the_folder_s_configuration_applies(client: TestClient, folder: Path) -> None:
    text = 'routine "Calf"\n  hold 30s\n  contract 20s\n'
    before = post(client, "/api/lint", {"path": "a.stretch", "text": text}).json()
    assert [d["code"] for d in before["diagnostics"]] == ["S103", "S104", "S105"]
    (folder / "stretch.toml").write_text('ignore = ["S104"]\n', encoding="utf-8")
    after = post(client, "/api/lint", {"path": "a.stretch", "text": text}).json()
    assert [d["code"] for d in after["diagnostics"]] == ["S103", "S105"]
    (folder / "stretch.toml").write_text("[lint\n", encoding="utf-8")
    assert "the configuration cannot be used" in _error(
        post(client, "/api/lint", {"path": "a.stretch", "text": text}), 422)


def test_unsaved_text_resolves_references_in_the_served_folder(client: TestClient) -> None:
    session = 'session "Mine"\n  do calf-wall-stretch\n  do no-such-routine\n'
    answer = post(client, "/api/lint", {"path": None, "text": session}).json()
    [problem] = answer["diagnostics"]
    assert problem["code"] == "R106" and problem["line"] == 3
    assert "no-such-routine" in problem["message"]
    assert problem["path"] == "untitled.stretch"


@pytest.mark.parametrize(("text", "code"), [
    ("routine \"x\"\n  hold 30s \"a\0b\"\n", "P122"),
    ("\udcff\udcfe junk", "P121"),
    ("\x00\x01\x02\x03" * 1000, "P122"),
    ("routine \"x\"\n  hold 30s \"" + "a" * 500_000 + "\"\n", None),
    ("x" * 200_000, "P108"),
    ("", "P120"),
])
def test_any_text_gives_diagnostics_not_a_failure(client: TestClient, text: str,
                                                  code: str | None) -> None:
    response = client.post("/api/lint", content=json.dumps({"text": text}).encode(),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    codes = [d["code"] for d in response.json()["diagnostics"]]
    assert (codes[:1] == [code]) if code else all(c.startswith("L") for c in codes)


def test_bodies_over_the_size_limit_are_refused(client: TestClient) -> None:
    text = "#" * MAX_SOURCE_SIZE
    message = _error(post(client, "/api/lint", {"text": text}), 413)
    assert message == ("the request is larger than the 4 MB a routine file may be; nothing "
                       "was done")
    streamed = client.post("/api/lint", content=iter([b'{"text": "', b"#" * MAX_SOURCE_SIZE,
                                                      b'"}']),
                           headers={"Content-Type": "application/json"})
    assert _error(streamed, 413) == message


@pytest.mark.parametrize(("content", "kind", "status", "message"), [
    (b"{}", "text/plain", 415, "send the request as JSON (Content-Type: application/json)"),
    (b"{not json", "application/json", 400, "the request is not valid JSON"),
    (b"[1, 2]", "application/json", 400, "the request is not a JSON object"),
    (b"{}", "application/json", 400, "`text` (the routine's text, a string) is missing"),
    (b'{"text": 3}', "application/json", 400, "`text` (the routine's text, a string)"),
    (b'{"text": "", "path": 3}', "application/json", 400,
     "name a file of the folder: `path` is missing or empty"),
])
def test_malformed_requests_are_refused_clearly(client: TestClient, content: bytes, kind: str,
                                                status: int, message: str) -> None:
    response = client.post("/api/lint", content=content, headers={"Content-Type": kind})
    assert _error(response, status).startswith(message)


# --- format --------------------------------------------------------------------------------


def test_formatting_is_stretch_fmt_s(client: TestClient) -> None:
    answer = post(client, "/api/format", {"path": "a.stretch", "text": UNTIDY}).json()
    assert answer == {"formatted": format_text(UNTIDY).formatted, "changed": True,
                      "diagnostics": []}
    assert answer["formatted"] == 'routine "Calf"\n  hold 30s "Lean in"  # keep\n'
    same = post(client, "/api/format", {"text": answer["formatted"]}).json()
    assert same["changed"] is False


def test_text_with_errors_is_not_formatted(client: TestClient) -> None:
    answer = post(client, "/api/format", {"text": MISTAKE}).json()
    assert answer["formatted"] is None and answer["changed"] is False
    assert [d["code"] for d in answer["diagnostics"]] == ["P103"]


def test_an_unsafe_format_is_a_clear_error(client: TestClient,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from dsl.format import formatter

    def unsafe(text: str, path: str) -> None:
        raise formatter.UnsafeFormatting(path, "a comment would be lost or moved")

    monkeypatch.setattr(formatter, "format_text", unsafe)
    assert _error(post(client, "/api/format", {"text": UNTIDY}), 500) == (
        "formatting would change what the routine says (a comment would be lost or moved); "
        "nothing was changed: please report this with the text")


# --- timeline ------------------------------------------------------------------------------


def test_the_timeline_is_the_compiled_routine(client: TestClient, folder: Path) -> None:
    text = (folder / "hip-and-hamstring.stretch").read_text(encoding="utf-8")
    answer = post(client, "/api/timeline", {"path": "hip-and-hamstring.stretch",
                                            "text": text}).json()
    compiled = dsl.compile_file(folder / "hip-and-hamstring.stretch",
                                source_path="hip-and-hamstring.stretch")
    assert answer["document"] == compiled.document
    ranged = [e for e in answer["document"]["timeline"]
              if e["duration"] and e["duration"]["min"] != e["duration"]["max"]]
    assert ranged and {e["side"] for e in ranged} == {"left", "right"}


def test_the_timeline_of_a_session_and_of_exercises(client: TestClient, folder: Path) -> None:
    session = post(client, "/api/timeline", {"path": None, "text": (
        folder / "morning-legs.stretch").read_text(encoding="utf-8")}).json()["document"]
    assert session["kind"] == "session"
    assert {e["part"] for e in session["timeline"]} == set(range(len(session["parts"])))
    exercises = post(client, "/api/timeline", {"path": "daily-leg-programme.stretch", "text": (
        folder / "daily-leg-programme.stretch").read_text(encoding="utf-8")}).json()["document"]
    assert [s["title"] for s in exercises["sections"]] == [
        "Calf stretch at the wall", "Seated hamstring stretch", "Kneeling hip flexor stretch"]


def test_text_with_errors_has_no_timeline(client: TestClient) -> None:
    answer = post(client, "/api/timeline", {"text": MISTAKE}).json()
    assert answer["document"] is None
    assert [d["code"] for d in answer["diagnostics"]] == ["P103"]


# --- save ----------------------------------------------------------------------------------


def _open(client: TestClient, name: str) -> str:
    version = client.get("/api/file", params={"path": name}).json()["version"]
    assert isinstance(version, str)
    return version


def test_saving_writes_the_file_it_opened(client: TestClient, folder: Path) -> None:
    target = folder / "sub" / "calf.stretch"
    target.chmod(0o640)
    version = _open(client, "sub/calf.stretch")
    answer = post(client, "/api/save", {"path": "sub/calf.stretch", "text": UNTIDY,
                                        "version": version}).json()
    assert target.read_text(encoding="utf-8") == UNTIDY
    assert answer == {"path": "sub/calf.stretch",
                      "version": hashlib.sha256(UNTIDY.encode()).hexdigest()}
    assert target.stat().st_mode & 0o777 == 0o640  # the safe writer keeps the mode
    # Saved again from the new version: fine.
    post(client, "/api/save", {"path": "sub/calf.stretch", "text": TIDY,
                               "version": answer["version"]})
    assert target.read_text(encoding="utf-8") == TIDY
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


def test_a_file_changed_on_disk_is_never_overwritten(client: TestClient, folder: Path) -> None:
    target = folder / "sub" / "calf.stretch"
    version = _open(client, "sub/calf.stretch")
    target.write_text(TIDY + "  # changed elsewhere\n", encoding="utf-8")
    response = post(client, "/api/save", {"path": "sub/calf.stretch", "text": UNTIDY,
                                          "version": version})
    assert _error(response, 409) == (
        "the file changed on disk since you opened it; nothing was written (your text is "
        "still in the editor: copy it, then reopen the file)")
    assert response.json()["conflict"] == "changed"
    assert target.read_text(encoding="utf-8") == TIDY + "  # changed elsewhere\n"
    target.unlink()
    response = post(client, "/api/save", {"path": "sub/calf.stretch", "text": UNTIDY,
                                          "version": version})
    assert "the file was deleted since you opened it" in _error(response, 409)
    assert not target.exists()


def test_a_new_file_is_created_never_replacing_one(client: TestClient, folder: Path) -> None:
    answer = post(client, "/api/save", {"path": "new/mine.stretch", "text": TIDY,
                                        "version": None})
    assert "cannot write this file" in _error(answer, 500)  # no such folder: none is made
    post(client, "/api/save", {"path": "mine.stretch", "text": TIDY, "version": None})
    assert (folder / "mine.stretch").read_text(encoding="utf-8") == TIDY
    again = post(client, "/api/save", {"path": "mine.stretch", "text": UNTIDY,
                                       "version": None})
    assert "a file of that name exists already; nothing was written" in _error(again, 409)
    assert (folder / "mine.stretch").read_text(encoding="utf-8") == TIDY


@pytest.mark.parametrize(("name", "message"), [
    ("notes.txt", "`notes.txt` is not a .stretch file; only routine files are written"),
    ("../escape.stretch", "is outside the served folder"),
    ("/tmp/x.stretch", "is an absolute path"),
])
def test_only_routine_files_in_the_folder_are_written(client: TestClient, folder: Path,
                                                      name: str, message: str) -> None:
    response = post(client, "/api/save", {"path": name, "text": TIDY, "version": None})
    assert message in _error(response, 403)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "not a routine\n"
    assert not (folder.parent / "escape.stretch").exists()


def test_a_link_to_another_kind_of_file_is_not_written(client: TestClient,
                                                       folder: Path) -> None:
    (folder / "notes.stretch").symlink_to(folder / "notes.txt")
    version = _open(client, "notes.stretch")
    response = post(client, "/api/save", {"path": "notes.stretch", "text": TIDY,
                                          "version": version})
    assert "is not a .stretch file" in _error(response, 403)


def test_text_utf8_cannot_hold_is_not_written(client: TestClient, folder: Path) -> None:
    version = _open(client, "sub/calf.stretch")
    response = client.post("/api/save", content=json.dumps({
        "path": "sub/calf.stretch", "text": "routine \"\udcff\"\n", "version": version,
    }).encode(), headers={"Content-Type": "application/json"})
    assert _error(response, 422) == ("the text holds a character UTF-8 cannot store (a lone "
                                     "surrogate); nothing was written")
    assert (folder / "sub" / "calf.stretch").read_text(encoding="utf-8") == TIDY


# --- before playing ------------------------------------------------------------------------


def test_the_choices_before_playing(client: TestClient) -> None:
    answer = client.get("/api/choices",
                        params={"path": "towel-hamstring-three-ways.stretch"}).json()
    assert answer["title"] == "Towel Hamstring Stretch, Three Ways"
    assert [v["choice"] for v in answer["variants"]] == ["easier", "harder", "chair"]
    assert answer["parameters"][0] == {
        "name": "hold", "text": "Hold as your therapist sets, 20 to 45 seconds",
        "default": 30, "range": {"min": 20, "max": 45}, "unit": "s"}
    assert client.get("/play", params={"path": "towel-hamstring-three-ways.stretch"}) \
        .status_code == 200
    assert "outside the served folder" in _error(
        client.get("/play", params={"path": "../secret.stretch"}), 403)


def test_a_routine_with_errors_cannot_be_played(client: TestClient, folder: Path) -> None:
    (folder / "broken.stretch").write_text(MISTAKE, encoding="utf-8")
    response = client.get("/api/choices", params={"path": "broken.stretch"})
    assert _error(response, 422) == "the routine cannot be played: it has errors"
    assert [d["code"] for d in response.json()["diagnostics"]] == ["P103"]


def test_the_player_page_is_export_html_s_with_the_choices(client: TestClient,
                                                           folder: Path) -> None:
    from dsl.exports.html import player_page

    name = "towel-hamstring-three-ways.stretch"
    response = client.get("/player", params=[("path", name), ("set", "hold=40s"),
                                             ("variant", "harder")])
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    compiled = dsl.compile_file(folder / name, source_path=name, settings=["hold=40s"],
                                variants=["harder"])
    assert compiled.document is not None
    assert response.text == player_page(dict(compiled.document), base=folder,
                                        routine=folder / name)
    assert '"name":"hold"' in response.text and '"value":40' in response.text


def test_a_session_is_played_and_a_programme_is_not(client: TestClient, folder: Path) -> None:
    choices = client.get("/api/choices", params={"path": "morning-legs.stretch"}).json()
    assert choices == {"path": "morning-legs.stretch", "kind": "session",
                       "title": "Morning Legs", "variants": [], "parameters": []}
    page = client.get("/player", params={"path": "morning-legs.stretch"})
    assert page.status_code == 200 and '"kind":"session"' in page.text
    shutil.copy(EXAMPLES / "six-weeks-looser-legs.stretch", folder)
    shutil.copy(EXAMPLES / "hamstring-rehab-stages.stretch", folder)
    response = client.get("/api/choices", params={"path": "six-weeks-looser-legs.stretch"})
    assert _error(response, 422) == ("a programme is not played as a whole: play one of its "
                                     "sessions")


def test_a_value_the_routine_cannot_take_is_refused_with_its_diagnostic(
        client: TestClient) -> None:
    response = client.get("/player", params=[("path", "towel-hamstring-three-ways.stretch"),
                                             ("set", "hold=90s")])
    assert _error(response, 422) == "the routine cannot be played: it has errors"
    [problem] = response.json()["diagnostics"]
    assert problem["code"] == "C003"
    assert problem["message"] == "`--set hold=90s`: `90s` is outside the range of `hold` " \
        "(20-45s)"


def test_the_player_page_shows_no_picture_from_outside_the_folder(client: TestClient,
                                                                  folder: Path) -> None:
    shutil.copy(EXAMPLES / "images" / "calf-wall.svg", folder.parent / "private.svg")
    (folder / "peek.stretch").write_text(
        'routine "Peek"\n  image "../private.svg" "A picture"\n  hold 30s\n',
        encoding="utf-8")
    response = client.get("/player", params={"path": "peek.stretch"})
    assert _error(response, 403) == ("image file `../private.svg` is outside the served "
                                     "folder; the player page shows pictures from inside "
                                     "it only")
    (folder / "gone.stretch").write_text(
        'routine "Gone"\n  image "images/gone.svg" "A picture"\n  hold 30s\n',
        encoding="utf-8")
    message = _error(client.get("/player", params={"path": "gone.stretch"}), 422)
    assert message.startswith("the player page cannot be made: image file `images/gone.svg` "
                              "does not exist")


# --- who may ask ---------------------------------------------------------------------------


def test_loopback_requests_must_name_a_loopback_host(folder: Path) -> None:
    app = create_app(folder, port=8700)
    for base in ("http://127.0.0.1:8700", "http://localhost:8700", "http://[::1]:8700"):
        assert TestClient(app, base_url=base).get("/api/files").status_code == 200
    for base in ("http://evil.example:8700", "http://127.0.0.1:9999"):
        response = TestClient(app, base_url=base).get("/api/files")
        assert "this server answers only on its loopback address" in _error(response, 403)


def test_another_site_s_requests_are_refused(client: TestClient) -> None:
    response = client.post("/api/save", json={"path": "x.stretch", "text": TIDY,
                                               "version": None},
                           headers={"Origin": "http://evil.example"})
    assert _error(response, 403) == "requests from another site (http://evil.example) are refused"


def test_beyond_loopback_every_request_needs_the_token(folder: Path) -> None:
    app = create_app(folder, token="s3cret")
    client = TestClient(app, base_url="http://192.0.2.1:8700")
    assert _error(client.get("/"), 403).startswith("this server needs its token")
    assert _error(client.get("/", params={"token": "wrong"}), 403)
    opened = client.get("/", params={"token": "s3cret"})
    assert opened.status_code == 200
    assert f"{TOKEN_COOKIE}=s3cret" in opened.headers["set-cookie"]
    assert "HttpOnly" in opened.headers["set-cookie"]
    # The cookie carries it from then on.
    assert client.get("/api/files").status_code == 200
    client.cookies.clear()
    assert client.get("/api/files").status_code == 403


# --- errors are JSON -----------------------------------------------------------------------


def test_every_error_is_json(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _error(client.get("/nowhere"), 404) == "no such page: /nowhere"
    assert _error(client.get("/api/save"), 405) == "GET is not allowed on /api/save"

    def broken(*arguments: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(server, "lint", broken)
    with TestClient(create_app(ROOT / "examples"), base_url=BASE,
                    raise_server_exceptions=False) as failing:
        response = post(failing, "/api/lint", {"text": TIDY})
    assert _error(response, 500) == ("internal error: RuntimeError: boom; nothing was "
                                     "written. Please report it.")


# --- the command ---------------------------------------------------------------------------


def _stretch(*arguments: str, **options: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dsl", *arguments], capture_output=True,
                          text=True, timeout=60, **options)


def test_serve_help() -> None:
    done = _stretch("serve", "--help")
    assert done.returncode == 0
    for words_ in ("Serve a folder's routines", "--host", "--port", "random token"):
        assert words_ in " ".join(done.stdout.split())


def test_serve_without_the_extra_says_how_to_install_it(tmp_path: Path) -> None:
    driver = ("import sys; sys.modules['starlette'] = None; from dsl.__main__ import main; "
              "sys.argv = ['stretch', 'serve', '.']; main()")
    done = subprocess.run([sys.executable, "-c", driver], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == ("stretch: error: stretch serve needs the web extra (starlette is "
                           "not installed): pip install 'stretch-dsl[web]'\n")


def test_the_extra_s_name_is_the_distribution_s() -> None:
    import tomllib

    from dsl.cli.serve import DISTRIBUTION

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == DISTRIBUTION
    assert {r.split(">")[0] for r in project["optional-dependencies"]["web"]} >= {
        "starlette", "uvicorn"}


def test_serve_refuses_a_missing_folder_and_a_bad_configuration(tmp_path: Path) -> None:
    done = _stretch("serve", str(tmp_path / "nowhere"))
    assert (done.returncode, done.stderr) == (
        2, f"stretch: error: not a folder: {tmp_path / 'nowhere'}\n")
    (tmp_path / "stretch.toml").write_text("[lint\n", encoding="utf-8")
    done = _stretch("serve", str(tmp_path))
    assert done.returncode == 2 and "stretch.toml" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_says_when_the_port_is_taken(folder: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _stretch("serve", str(folder), "--port", str(port))
    assert (done.returncode, done.stderr) == (
        2, f"stretch: error: cannot listen on 127.0.0.1:{port}: Address already in use\n")


def _start(folder: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """`stretch serve` started for real; its process and the address it printed."""
    started = subprocess.Popen([sys.executable, "-m", "dsl", "serve", str(folder), "--port",
                                "0", *options], stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert started.stderr is not None
    lines: list[str] = []
    while True:
        line = started.stderr.readline()
        assert line, "".join(lines)
        lines.append(line)
        if "stretch: serving" in line:
            return started, line.split(" at ")[1].split(" ")[0]


def test_serve_on_loopback_needs_no_token(folder: Path) -> None:
    import httpx2

    started, address = _start(folder)
    try:
        assert address.startswith("http://127.0.0.1:") and "token" not in address
        assert httpx2.get(address + "api/files").json()["files"][0] == "box-breathing.stretch"
    finally:
        started.terminate()
        started.wait(timeout=30)


def test_serve_beyond_loopback_warns_and_needs_the_token(folder: Path) -> None:
    import httpx2

    started, address = _start(folder, "--host", "0.0.0.0")
    try:
        assert started.stderr is not None
        assert address.startswith("http://0.0.0.0:") and "?token=" in address
        token = address.split("?token=")[1]
        assert len(token) >= 32
        port = address.split(":")[2].split("/")[0]
        assert httpx2.get(f"http://127.0.0.1:{port}/api/files").status_code == 403
        with httpx2.Client() as browser:
            assert browser.get(f"http://127.0.0.1:{port}/?token={token}").status_code == 200
            assert browser.get(f"http://127.0.0.1:{port}/api/files").status_code == 200
    finally:
        started.terminate()
        _, rest = started.communicate(timeout=30)
    assert "Traceback" not in rest


def test_serve_beyond_loopback_prints_a_warning(folder: Path) -> None:
    started = subprocess.Popen([sys.executable, "-m", "dsl", "serve", str(folder), "--port",
                                "0", "--host", "0.0.0.0"], stderr=subprocess.PIPE, text=True)
    assert started.stderr is not None
    first = started.stderr.readline()
    started.terminate()
    started.communicate(timeout=30)
    assert first == ("stretch: warning: listening on 0.0.0.0, not on loopback: other machines "
                     "can reach this server. Every request needs the token in this address "
                     "(keep it to yourself; a new one is made at each start).\n")
