"""`stretch serve` in a real browser: the server started as a user starts it, the
playground driven by headless Chromium through Playwright. Type a mistake and see its
diagnostic (code, position, message) in the list and in the editor; format; save and
read the file back; refuse to overwrite a file changed on disk; the timeline shows the
steps. Takes the screenshot docs/images/playground.png (written there with
STRETCH_UPDATE_SCREENSHOTS=1, else to a temporary folder, so a test run changes no file).

Locally these skip without Chromium or Playwright; in CI (STRETCH_REQUIRE_COMPONENTS=1)
a missing one fails them (tests/components.py)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from components import require
from conftest import EXAMPLES, ROOT

from dsl.format.formatter import format_text

CHROMIUM = "/usr/bin/chromium"
SCREENSHOT = ROOT / "docs" / "images" / "playground.png"
UPDATE_SCREENSHOTS = os.environ.get("STRETCH_UPDATE_SCREENSHOTS") == "1"
CALF = 'routine "Calf"\n  sides: each, left first\n  hold 30s "Lean into the wall"\n'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`stretch serve FOLDER --port 0`, as a user runs it: its address and its folder."""
    require("chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    require("Playwright", importlib.util.find_spec("playwright") is not None,
            "pip install playwright")
    folder = tmp_path / "routines"
    folder.mkdir()
    for name in ("hip-and-hamstring", "daily-leg-programme", "morning-legs",
                 "calf-wall-stretch", "leg-warm-up", "towel-hamstring-three-ways",
                 "hip-flexor-lunge", "box-breathing", "side-lying-quad"):
        shutil.copy(EXAMPLES / f"{name}.stretch", folder)
    shutil.copytree(EXAMPLES / "images", folder / "images")
    (folder / "calf.stretch").write_text(CALF, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "dsl", "serve", str(folder), "--port", "0"],
        stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stderr is not None
    try:
        line = process.stderr.readline()
        assert "stretch: serving" in line, line + process.stderr.read()
        yield line.split(" at ")[1].split(" ")[0], folder
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def page(served: tuple[str, Path]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            made = browser.new_page(viewport={"width": 1400, "height": 820})
            errors: list[str] = []
            made.on("pageerror", lambda error: errors.append(str(error)))
            yield made
            assert errors == []  # no script failed on the page
        finally:
            browser.close()


def _open(page: Any, address: str, name: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{address}?file={name}")
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    expect(page.locator("#status")).to_have_text(f"opened {name}")


def _text(page: Any) -> str:
    """The editor's text, as CodeMirror holds it (one .cm-line per line)."""
    lines: list[str] = page.locator(".cm-content .cm-line").all_inner_texts()
    return "\n".join(line.replace("\u200b", "").rstrip("\n") for line in lines)


def test_a_mistake_typed_shows_its_diagnostic(page: Any, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    address, _ = served
    _open(page, address, "calf.stretch")
    # The language's words are highlighted: `routine` and `hold` start statements.
    expect(page.locator(".cm-content .tok-keyword").first).to_have_text("routine")
    expect(page.locator(".cm-content .tok-string").first).to_have_text('"Calf"')
    expect(page.locator("#problems li")).to_have_count(0)
    # At the end of the last line, a new line (the editor indents it) and a misspelt step.
    page.locator(".cm-content .cm-line").nth(2).click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("hodl 10s")
    problem = page.locator("#problems li")
    expect(problem).to_have_count(1, timeout=15_000)
    expect(problem.locator(".code")).to_have_text("P103")
    expect(problem.locator(".where")).to_have_text("4:3")
    expect(problem.locator(".message")).to_have_text("unknown statement `hodl`")
    expect(problem.locator(".hint")).to_have_text("did you mean `hold`?")
    # Inline too: the word is marked in the editor, and the gutter shows an error.
    expect(page.locator(".cm-content .cm-lintRange-error")).to_have_text("hodl")
    expect(page.locator(".cm-gutter-lint .cm-lint-marker-error")).to_have_count(1)
    expect(page.locator("#file-name")).to_have_text("calf.stretch •")  # not saved yet
    # Fixed, the diagnostic goes.
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    page.keyboard.type("hold 10s")
    expect(problem).to_have_count(0, timeout=15_000)


def test_junk_shows_diagnostics_not_a_failure(page: Any, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    address, _ = served
    _open(page, address, "calf.stretch")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("\u0000\u0001 not a routine \udcff" + "x" * 20_000)
    problem = page.locator("#problems li").first
    expect(problem.locator(".code")).to_have_text("P122", timeout=15_000)
    expect(page.locator("#status")).to_have_text("opened calf.stretch")  # no error said


def test_format_on_request(page: Any, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    address, folder = served
    untidy = ('routine   "Calf"\n      sides:   each,left first\n'
              '      hold 30s   "Lean into the wall"')
    (folder / "untidy.stretch").write_text(untidy + "\n", encoding="utf-8")
    _open(page, address, "untidy.stretch")
    page.locator("#format").click()
    expect(page.locator("#status")).to_have_text("formatted")
    formatted = format_text(untidy + "\n").formatted
    assert formatted == CALF
    expect(page.locator(".cm-content .cm-line")).to_have_count(4)  # the last one empty
    assert _text(page) == CALF
    page.locator("#format").click()
    expect(page.locator("#status")).to_have_text("already formatted")
    # The file is not written until saved.
    assert (folder / "untidy.stretch").read_text(encoding="utf-8") == untidy + "\n"


def test_save_and_read_the_file_back(page: Any, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    address, folder = served
    _open(page, address, "calf.stretch")
    page.locator(".cm-content .cm-line").nth(2).click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("rest 10s")
    page.keyboard.press("Control+s")
    expect(page.locator("#status")).to_have_text("saved calf.stretch")
    expect(page.locator("#file-name")).to_have_text("calf.stretch")
    assert (folder / "calf.stretch").read_text(encoding="utf-8") == CALF + "  rest 10s\n"
    # Changed on disk meanwhile: the next save is refused, and says so.
    (folder / "calf.stretch").write_text(CALF, encoding="utf-8")
    page.keyboard.type(" gently")
    page.locator("#save").click()
    expect(page.locator("#status")).to_have_text(
        "the file changed on disk since you opened it; nothing was written (your text is "
        "still in the editor: copy it, then reopen the file)")
    assert (folder / "calf.stretch").read_text(encoding="utf-8") == CALF
    assert _text(page).endswith("rest 10s gently\n")


def test_a_new_file_is_created_by_saving(page: Any, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    address, folder = served
    page.goto(address)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.locator(".cm-content").click()
    page.keyboard.type("routine ")
    page.keyboard.type('"Mine')  # the editor closes the quote itself
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("hold 20s")
    page.locator("#save").click()
    expect(page.locator("#status")).to_have_text(
        "give the text a name first: type it under New file and press Create")
    page.locator("#new-name").fill("mine")
    page.locator("#new-file button").click()
    page.locator("#save").click()
    expect(page.locator("#status")).to_have_text("saved mine.stretch")
    assert (folder / "mine.stretch").read_text(encoding="utf-8") == \
        'routine "Mine"\n  hold 20s'
    expect(page.locator("#files a", has_text="mine.stretch")).to_have_count(1)


def test_the_timeline_shows_the_steps(page: Any, served: tuple[str, Path],
                                      tmp_path: Path) -> None:
    from playwright.sync_api import expect

    address, folder = served
    _open(page, address, "hip-and-hamstring.stretch")
    document = json.loads(subprocess.run(
        [sys.executable, "-m", "dsl", "compile", "hip-and-hamstring.stretch", "-o", "-"],
        cwd=folder, capture_output=True, text=True, check=True, timeout=60).stdout)
    rows = page.locator("#timeline tr.step")
    expect(rows).to_have_count(len(document["timeline"]), timeout=15_000)
    # One row per entry: number, start, step, side, amount (ranges as min–max), text.
    first = document["timeline"][0]
    expect(rows.nth(0).locator("td")).to_have_text(
        ["1", "0s", "setup", "left", "until ready", first["text"]])
    ranged = next(e for e in document["timeline"]
                  if e["duration"] and e["duration"]["min"] != e["duration"]["max"])
    cells = rows.nth(ranged["index"]).locator("td")
    expect(cells.nth(4)).to_have_text("5–15 counts (5s–15s)")
    expect(cells.nth(3)).to_have_text(ranged["side"])
    expect(page.locator("#timeline .summary")).to_have_text(
        "Hip and Hamstring Stretch: 1m50s–6m30s in all, 21–49 steps")
    page.locator(".cm-content .cm-line").nth(10).click()  # a diagnostic shown too
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("limit hodl 2m")
    expect(page.locator("#problems li .code")).to_have_text(["P203"], timeout=15_000)
    expect(page.locator("#problems li .hint")).to_have_text("did you mean `hold`?")
    shot = SCREENSHOT if UPDATE_SCREENSHOTS else tmp_path / SCREENSHOT.name
    page.screenshot(path=str(shot))
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_the_timeline_of_exercises_and_of_a_session(page: Any,
                                                    served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    address, _ = served
    _open(page, address, "daily-leg-programme.stretch")
    expect(page.locator("#timeline caption")).to_have_text([
        "Exercise 1: Calf stretch at the wall", "Exercise 2: Seated hamstring stretch",
        "Exercise 3: Kneeling hip flexor stretch"], timeout=15_000)
    page.locator("#files a", has_text="morning-legs.stretch").click()
    expect(page.locator("#status")).to_have_text("opened morning-legs.stretch")
    expect(page.locator("#timeline caption").first).to_have_text(
        "Part 1: Leg Warm-Up", timeout=15_000)
    expect(page.locator("#timeline caption", has_text="Part 2: rest")).to_have_count(1)


def test_choose_a_variant_and_values_then_play(page: Any, served: tuple[str, Path]) -> None:
    from playwright.sync_api import expect

    address, _ = served
    _open(page, address, "towel-hamstring-three-ways.stretch")
    page.locator("#play").click()
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    expect(page.locator("#title")).to_have_text("Towel Hamstring Stretch, Three Ways")
    page.get_by_label("harder").check()
    hold = page.locator("input[data-parameter=hold]")
    expect(hold).to_have_value("30")
    hold.fill("90")  # outside 20-45s: said here, with the compiler's words
    page.locator("#start").click()
    expect(page.locator("#status")).to_have_text("the routine cannot be played: it has errors")
    expect(page.locator("#problems li")).to_have_text(
        ["C003 12:13 `--set hold=90s`: `90s` is outside the range of `hold` (20-45s) "
         "(choose a value from 20-45s)"])
    hold.fill("40")
    page.locator("#start").click()
    page.wait_for_url("**/player?**")
    expect(page.locator("#parameters dd[data-parameter=hold]")).to_have_text("40 s")
    page.locator("#player #play").click()
    expect(page.locator("#step")).not_to_have_text("Press Play to start.")
