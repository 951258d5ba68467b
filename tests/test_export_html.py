"""`stretch export html`: one self-contained player page. The routine's JSON, the player
and its style are inline, local pictures are data URIs, web pictures stay links, and the
page names nothing it would fetch. What the page does in a browser is
tests/test_web_player.py's."""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from dsl import compile_file
from dsl.cli import app
from dsl.exports.html import MissingPictures, embedded_pictures, player_page, player_script

runner = CliRunner()

CALF = '''routine "Calf <wall> stretch"
  sides: each
  parameter hold: 30s, 20-45s "Hold"
  image "images/calf.png" "Heel down"
  image "https://example.org/calf.jpg" "On the web"
  hold {hold} "Lean into the wall </script><!--"
'''
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB"
                       "0C8AAAAASUVORK5CYII=")  # one pixel


def _calf(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "calf.png").write_bytes(PNG)
    path = tmp_path / "calf.stretch"
    path.write_text(CALF, encoding="utf-8")
    return path


def _inline(page: str, name: str) -> Any:
    found = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', page,
                      re.DOTALL)
    assert found is not None
    return json.loads(found.group(1))


def test_the_page_holds_the_routine_the_player_and_its_pictures(tmp_path: Path) -> None:
    path = _calf(tmp_path)
    target = tmp_path / "calf.html"
    result = runner.invoke(app, ["export", "html", str(path), "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {target}\n"
    page = target.read_text(encoding="utf-8")
    compiled = compile_file(path)
    assert _inline(page, "stretch-routine") == json.loads(compiled.text or "null")
    data = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert _inline(page, "stretch-pictures") == {"images/calf.png": data}
    # The routine's text cannot close the script element it is in.
    assert page.count("</script>") == 3
    assert "Lean into the wall \\u003c/script>\\u003c!--" in page
    assert "Calf &lt;wall&gt; stretch</title>" in page
    # Nothing to fetch: no src= or href= in the markup, a policy that forbids fetching,
    # and the web picture only as a link the page makes when it is shown.
    assert not re.search(r"\b(src|href)=", page)
    assert "default-src 'none'; img-src data:;" in page
    # One module: engine.js and page.js, nothing imported.
    assert player_script() in page
    assert 'from "./engine.js"' not in page and "export class" not in page


def test_the_page_is_the_same_each_time(tmp_path: Path) -> None:
    path = _calf(tmp_path)
    for name in ("one.html", "two.html"):
        assert runner.invoke(app, ["export", "html", str(path), "-o",
                                   str(tmp_path / name)]).exit_code == 0
    assert (tmp_path / "one.html").read_bytes() == (tmp_path / "two.html").read_bytes()


def test_set_and_variant_choose_the_document(tmp_path: Path) -> None:
    path = _calf(tmp_path)
    result = runner.invoke(app, ["export", "html", str(path), "-o", "-", "--set", "hold=40s"])
    assert result.exit_code == 0, result.stderr
    document = _inline(result.stdout, "stretch-routine")
    assert [p["value"] for p in document["parameters"]] == [40]
    towel = EXAMPLES / "towel-hamstring-three-ways.stretch"
    result = runner.invoke(app, ["export", "html", str(towel), "-o", "-", "--variant", "chair"])
    assert result.exit_code == 0, result.stderr
    document = _inline(result.stdout, "stretch-routine")
    assert document["chosenVariants"] == [{"variant": "chair", "section": None}]
    assert "variantTimelines" not in document


def test_a_missing_picture_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _calf(tmp_path)
    (tmp_path / "images" / "calf.png").unlink()
    target = tmp_path / "calf.html"
    result = runner.invoke(app, ["export", "html", str(path), "-o", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        "warning[R101]: image file `images/calf.png` does not exist\n"
        f"  --> {path}:4:3\n"
        "  |\n"
        '4 |   image "images/calf.png" "Heel down"\n'
        "  |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "  = help: the path is taken from the routine file's folder (looked for "
        f"{tmp_path / 'images' / 'calf.png'}); fix the path or add the file\n\n"
        f"not exported: {path} names pictures that do not exist\n")
    assert not target.exists()


def test_a_session_embeds_each_part_s_pictures_from_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    _calf(tmp_path / "parts")
    session = tmp_path / "session.stretch"
    session.write_text('session "Legs"\n  do "parts/calf.stretch"\n', encoding="utf-8")
    result = runner.invoke(app, ["export", "html", str(session), "-o", "-"])
    assert result.exit_code == 0, result.stderr
    assert list(_inline(result.stdout, "stretch-pictures")) == ["0:images/calf.png"]
    assert _inline(result.stdout, "stretch-routine")["kind"] == "session"
    (tmp_path / "parts" / "images" / "calf.png").unlink()
    document = _inline(result.stdout, "stretch-routine")
    try:
        embedded_pictures(document, tmp_path)
    except MissingPictures as error:
        assert [(m.routine, m.source) for m in error.missing] == [
            (tmp_path / "parts" / "calf.stretch", "images/calf.png")]
    else:
        raise AssertionError("a missing picture of a part was not refused")


def test_the_examples_export(tmp_path: Path) -> None:
    for name in ("hip-and-hamstring.stretch", "daily-leg-programme.stretch"):
        result = runner.invoke(app, ["export", "html", str(EXAMPLES / name), "-o", "-"])
        assert result.exit_code == 0, result.stderr
        pictures = _inline(result.stdout, "stretch-pictures")
        assert pictures and all(v.startswith("data:image/svg+xml;base64,")
                                for v in pictures.values())


def test_without_a_folder_local_pictures_are_left_out() -> None:
    document = json.loads(compile_file(EXAMPLES / "hip-and-hamstring.stretch").text or "")
    page = player_page(document, base=None, title="Mine")
    assert _inline(page, "stretch-pictures") == {}
    assert "<title>Mine</title>" in page


def test_every_usage_error_of_the_command(tmp_path: Path) -> None:
    path = _calf(tmp_path)
    programme = EXAMPLES / "six-weeks-looser-legs.stretch"
    shutil.copy(path, tmp_path / "copy.stretch")
    cases = [
        ([str(path), "-o", str(tmp_path / "x.stretch")],
         f"-o {tmp_path / 'x.stretch'}: a player page is not written to a .stretch file "
         "(write it to a .html file, such as routine.html)"),
        ([str(tmp_path / "no.stretch"), "-o", "x.html"],
         f"no such file: {tmp_path / 'no.stretch'}"),
        ([str(tmp_path), "-o", "x.html"],
         f"{tmp_path} is a folder: give the routine's .stretch file"),
        ([str(programme), "-o", "-"],
         f"{programme} is a programme: a player page plays one routine or session (export "
         "one of the sessions its `do` lines name)"),
    ]
    for arguments, message in cases:
        result = runner.invoke(app, ["export", "html", *arguments])
        assert (result.exit_code, result.stderr) == (2, f"stretch: error: {message}\n")
    (tmp_path / "images" / "calf.bmp").write_bytes(b"BM")
    path.write_text(CALF.replace("calf.png", "calf.bmp"), encoding="utf-8")
    result = runner.invoke(app, ["export", "html", str(path), "-o", "-"])
    assert (result.exit_code, result.stderr) == (2, (
        "stretch: error: image file `images/calf.bmp`: a page can show .png, .jpg, .gif, "
        ".webp, .svg or .avif pictures, not `.bmp`\n"))


def test_a_routine_with_errors_is_not_exported(tmp_path: Path) -> None:
    path = tmp_path / "bad.stretch"
    path.write_text('routine "Bad"\n  hold 0s "Nothing"\n', encoding="utf-8")
    result = runner.invoke(app, ["export", "html", str(path), "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 1
    assert result.stderr.endswith(f"not exported: {path} has errors\n")
    assert not (tmp_path / "b.html").exists()


def test_the_player_files_are_beside_the_package() -> None:
    assert sorted(p.name for p in (ROOT / "dsl" / "web" / "player").iterdir()) == [
        "engine.js", "page.html", "page.js", "player.css"]


def test_the_export_group_lists_html_and_ics() -> None:
    result = runner.invoke(app, ["export", "--help"])
    assert result.exit_code == 0
    assert ("Write a routine or programme in another format: html (a player page), ics (a\n"
            "  calendar).") in result.stdout
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines()
              if line.strip()]
    assert listed == ["ics", "html"]
    result = runner.invoke(app, ["export", "html", "--help"])
    assert result.exit_code == 0
    for option in ("--output", "--set", "--variant"):
        assert option in result.stdout
