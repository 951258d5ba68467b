"""The player page in a real browser: the page `stretch export html` writes, opened from
disk in headless Chromium (Playwright with the system browser), with no network. A fake
clock plays it; `speechSynthesis.speak` and `navigator.wakeLock.request` are replaced by
recorders before the page's scripts run. The page must play a routine exactly as the
reference player does (the conformance log, line for line), say the JSON's words at their
moments, keep the screen awake, fit 360x640 and work from the keyboard alone.

Chromium and Playwright are real components: the tests skip without them locally and fail
in CI (tests/components.py)."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from components import require
from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from dsl.cli import app
from dsl.player import switched
from dsl.player.scripted import parse_inputs, run
from dsl.timeline.document import Document

CHROMIUM = "/usr/bin/chromium"
VOICE = ROOT / "tests" / "conformance" / "18-voice"
START = 10_000
"""The fake clock's time (ms) when the tests press Play: the page has loaded by then."""

RECORDERS = """
window.__spoken = [];
window.__wake = [];
window.__visibility = "visible";
speechSynthesis.speak = (utterance) => window.__spoken.push([Date.now(), utterance.text]);
Object.defineProperty(Navigator.prototype, "wakeLock", {configurable: true, get() {
  return {request: async (type) => {
    window.__wake.push([Date.now(), type]);
    return {release: async () => {}, addEventListener() {}};
  }};
}});
Object.defineProperty(Document.prototype, "visibilityState", {configurable: true,
  get() { return window.__visibility; }});
"""

runner = CliRunner()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require("chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    require("Playwright", importlib.util.find_spec("playwright") is not None,
            "pip install playwright")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            yield launched
        finally:
            launched.close()


def export(routine: Path, target: Path, *options: str) -> Path:
    result = runner.invoke(app, ["export", "html", str(routine), "-o", str(target), *options])
    assert result.exit_code == 0, result.stderr
    return target


class Player:
    """A page of the browser opened on an exported file, its clock paused at START."""

    def __init__(self, browser: Any, page_file: Path, width: int = 360,
                 height: int = 640) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.fetched: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", self._request)
        self.page.add_init_script(RECORDERS)
        self.page.clock.install(time=0)
        self.page.goto(page_file.as_uri())
        self.page.clock.pause_at(START / 1000)  # seconds since the epoch, here

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:  # no network: anything else is refused, and remembered
            self.fetched.append(route.request.url)
            route.abort()

    def _request(self, request: Any) -> None:
        if not request.url.startswith(("file://", "data:")):
            self.fetched.append(request.url)

    def at(self, seconds: float) -> None:
        """Let the fake clock run until `seconds` after START."""
        now = self.page.evaluate("Date.now()")
        self.page.clock.run_for(round(START + seconds * 1000 - now))

    def text(self, element: str) -> str:
        return str(self.page.inner_text(f"#{element}"))

    def lines(self) -> list[str]:
        return list(self.page.evaluate("window.stretchPlayer.lines"))

    def spoken(self) -> list[tuple[float, str]]:
        return [((when - START) / 1000, text)
                for when, text in self.page.evaluate("window.__spoken")]

    def close(self) -> None:
        assert self.errors == []
        assert self.fetched == []
        self.context.close()


def reference(document: Document, inputs: str) -> list[Any]:
    return list(run(document, parse_inputs(inputs)))


def test_the_page_plays_a_routine_as_the_reference_player(browser: Any,
                                                          tmp_path: Path) -> None:
    page_file = export(VOICE / "routine.stretch", tmp_path / "voice.html")
    player = Player(browser, page_file)
    page = player.page
    assert player.text("step") == "Press Play to start."
    assert player.text("left") == "2:05 in all"  # 2 x (24 + 37) + 3 s
    page.click("#play")
    player.at(1)
    # What the screen shows: side, step, countdown, what comes next.
    assert player.text("side") == "Left side"
    assert player.text("step") == "Reach for the left foot"
    assert player.text("countdown") == "23"
    assert player.text("next-step") == "Press the heel down (0:04)"
    player.at(6.5)
    assert player.text("cue") == "breathe out - slowly"
    player.at(22.5)
    page.click("#pause")
    player.at(25.5)
    assert player.text("countdown") == "2"  # paused: no time passed for the step
    assert "(paused)" in player.text("left")
    page.click("#play")
    player.at(28)
    assert player.text("step") == "Press the heel down"
    assert player.text("pass") == "Round 1 of 2"
    player.at(73)
    page.click("#pain")
    assert player.text("step") == "Lower the right leg"  # the handler, side in progress
    assert player.text("exercise") == "Ease off"
    player.at(80)
    page.click("#ready")
    assert player.text("step") == "Go on when you are ready, or press End."
    player.at(85)
    page.click("#ready")
    player.at(130)
    assert player.text("step") == "Well done: that is the end."
    # Event for event what the reference player writes for the same inputs.
    expected = (VOICE / "expected.log").read_text(encoding="utf-8").splitlines()
    assert player.lines() == expected
    # The voice: every `say` of the log spoken, with the JSON's words, at its moment (the
    # page's clock ticks every 0.1 s).
    document = json.loads((VOICE / "routine.json").read_text(encoding="utf-8"))
    said = [(e.time, dict(e.fields)["text"]) for e in
            reference(document, (VOICE / "inputs.txt").read_text(encoding="utf-8"))
            if e.name == "say"]
    spoken = player.spoken()
    assert [text for _, text in spoken] == [text for _, text in said]
    for (when, _), (due, text) in zip(spoken, said, strict=True):
        assert due <= when <= due + 0.1, (text, when, due)
    entries = document["timeline"]
    assert spoken[0] == (0.0, entries[0]["speech"])
    assert (6.0, entries[0]["cues"][0]["speech"]) in spoken
    player.close()


CASES = sorted(p for p in (ROOT / "tests" / "conformance").iterdir()
               if (p / "expected.log").is_file())
BUTTONS = {"pause": "#pause", "resume": "#play", "ready": "#ready", "skip": "#skip",
           "back": "#back", "stop": "#stop", "pain": "#pain", "quit": "#quit"}


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_page_passes_the_conformance_suite(browser: Any, tmp_path: Path,
                                               case: Path) -> None:
    """Every case of the suite, compiled from its .stretch file and exported, played by
    pressing the page's buttons (Space for `toggle`) at the inputs' times. The page never
    goes on by itself: where the scripted player went on after --auto-ready (`auto=yes`),
    the test presses Go on at that moment, and the line reads `auto=no`."""
    variant = case / "variant.txt"
    options = ["--variant", variant.read_text("utf-8").strip()] if variant.is_file() else []
    # A variant is chosen on the page, from the document compiled as written.
    player = Player(browser, export(case / "routine.stretch", tmp_path / "case.html"))
    page = player.page
    if options:
        page.select_option("#variant", options[1])
    expected = (case / "expected.log").read_text(encoding="utf-8").splitlines()
    inputs = [(i.time, i.name) for i in
              parse_inputs((case / "inputs.txt").read_text(encoding="utf-8"))]
    automatic = [(float(line.split()[0][2:]), "ready") for line in expected
                 if "auto=yes" in line]
    page.click("#play")
    for when, name in sorted(automatic + inputs, key=lambda item: item[0]):
        player.at(when)
        if name == "toggle":
            page.evaluate("document.activeElement.blur()")
            page.keyboard.press("Space")
        elif name in BUTTONS:
            page.click(BUTTONS[name])
        else:  # cramp, dizziness, numbness: no button of their own
            page.evaluate("(name) => window.stretchPlayer.input(name)", name)
    player.at(float(expected[-1].split()[0][2:]) + 1)
    assert player.lines() == [line.replace("auto=yes", "auto=no") for line in expected]
    player.close()


def test_standing_cues_and_the_exercise_are_shown(browser: Any, tmp_path: Path) -> None:
    """A posture block's cue beside each step, its side words filled with the step's side;
    the safety handler's text while it runs, the exercise's title again after it."""
    sides = ROOT / "tests" / "conformance" / "12-side-words"
    player = Player(browser, export(sides / "routine.stretch", tmp_path / "sides.html"))
    page = player.page
    page.click("#play")
    player.at(1)
    assert player.text("standing") == "Right hip level"
    assert player.text("step") == "Reach with your right hand"
    player.at(14)  # the switch to the left
    assert player.text("standing") == "Left hip level"
    player.close()
    exercises = ROOT / "tests" / "conformance" / "13-exercises"
    player = Player(browser, export(exercises / "routine.stretch", tmp_path / "two.html"))
    page = player.page
    page.click("#play")
    player.at(1)
    title = player.text("exercise")
    page.click("#pain")
    assert player.text("exercise") == "Ouch: ease off"
    player.at(5)  # the handler's 3 s are over: the prompt
    page.click("#ready")
    assert player.text("exercise") == title == "Calf stretch"
    player.close()


def test_the_screen_is_kept_awake_on_play_and_when_visible_again(browser: Any,
                                                                 tmp_path: Path) -> None:
    player = Player(browser, export(VOICE / "routine.stretch", tmp_path / "voice.html"))
    page = player.page
    assert page.evaluate("window.__wake") == []
    page.click("#play")
    player.at(0.1)
    assert page.evaluate("window.__wake") == [[START, "screen"]]

    def visibility(state: str) -> None:
        page.evaluate("(state) => { window.__visibility = state; "
                      "document.dispatchEvent(new Event('visibilitychange')); }", state)

    player.at(5)
    visibility("hidden")
    player.at(6)
    assert len(page.evaluate("window.__wake")) == 1  # not while hidden
    visibility("visible")
    player.at(6.1)
    assert page.evaluate("window.__wake") == [[START, "screen"], [START + 6000, "screen"]]
    player.close()


TAB_ORDER = ["variant", "play", "pause", "back", "skip", "ready", "stop", "pain", "quit"]


def test_the_page_fits_360_by_640_and_tabs_in_order(browser: Any, tmp_path: Path) -> None:
    towel = EXAMPLES / "towel-hamstring-three-ways.stretch"
    player = Player(browser, export(towel, tmp_path / "towel.html"))
    page = player.page
    width = "document.documentElement.scrollWidth"
    assert page.evaluate(width) <= 360
    reached = []
    for _ in TAB_ORDER:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id"))
        # The focus is visible: a thick outline on the focused control.
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
        assert outline == "4px", (reached[-1], outline)
    assert reached == TAB_ORDER
    # While playing, with every part of the screen filled, nothing scrolls sideways.
    page.keyboard.press("Space")
    player.at(45)
    assert player.text("step") and player.text("countdown")
    assert page.evaluate(width) <= 360
    player.close()


def test_the_keyboard_alone_plays_a_routine(browser: Any, tmp_path: Path) -> None:
    player = Player(browser, export(VOICE / "routine.stretch", tmp_path / "voice.html"))
    page = player.page
    page.keyboard.press("Tab")  # the first control: Play (no variants here)
    assert page.evaluate("document.activeElement.id") == "play"
    page.keyboard.press("Enter")
    player.at(2)
    page.keyboard.press("n")  # skip
    player.at(3)
    page.keyboard.press("ArrowLeft")  # back
    player.at(4)
    page.keyboard.press("Space")  # pause (the focused Play button is not pressed)
    player.at(5)
    page.keyboard.press("Space")  # resume
    player.at(6)
    page.keyboard.press("ArrowRight")  # skip
    player.at(7)
    page.keyboard.press("p")  # pain: the handler's untimed step
    player.at(8)
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("Enter")  # ready: the handler is over, the prompt
    page.keyboard.press("Enter")  # ready: go on
    player.at(9)
    page.keyboard.press("q")
    events = [line.split()[1] for line in player.lines() if line.split()[1]
              not in ("say", "sound", "cue")]
    assert events == ["start", "step", "skip-step", "step", "back", "step", "pause",
                      "resume", "skip-step", "step", "signal", "handler", "handler-step",
                      "ready", "handler-end", "prompt", "continue", "step", "quit", "end"]
    assert player.lines()[-1] == "t=9.0 end reason=quit"
    assert player.text("step") == "Ended."
    player.close()


def test_a_variant_is_chosen_before_playing_and_parameters_are_shown(
        browser: Any, tmp_path: Path) -> None:
    towel = EXAMPLES / "towel-hamstring-three-ways.stretch"
    player = Player(browser, export(towel, tmp_path / "towel.html", "--set", "hold=40s"))
    page = player.page
    assert page.inner_text("#parameters dd[data-parameter=hold]") == "40 s"
    options = page.eval_on_selector_all("#variant option", "os => os.map(o => o.value)")
    assert options == ["", "chair", "easier", "harder"]
    page.focus("#variant")
    page.keyboard.press("ArrowDown")  # chair, from the keyboard
    page.keyboard.press("ArrowDown")  # easier
    page.click("#play")
    player.at(1)
    page.click("#ready")  # the untimed setup step
    player.at(300)
    assert page.is_disabled("#variant")
    compiled: Document = json.loads(runner.invoke(
        app, ["compile", str(towel), "--set", "hold=40s"]).stdout)
    easier = switched(compiled, ("easier",), towel)
    played = run(easier, parse_inputs("ready@1"), auto_ready=1e9, max_seconds=1e10)
    expected = [e.line() for e in played if e.time <= 300]
    lines = player.lines()
    assert lines == expected[:len(lines)] and len(lines) >= 10
    as_written = run(compiled, parse_inputs("ready@1"), auto_ready=1e9, max_seconds=1e10)
    assert [e.line() for e in as_written][:len(lines)] != lines  # the variant was played
    player.close()


def test_pictures_are_embedded_or_left_as_links(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "wall.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    routine = tmp_path / "wall.stretch"
    routine.write_text('routine "Wall"\n  image "images/wall.svg" "Heel down"\n'
                       '  image "https://example.org/wall.jpg" "On the web"\n'
                       '  hold 20s "Lean into the wall"\n', encoding="utf-8")
    player = Player(browser, export(routine, tmp_path / "wall.html"))
    page = player.page
    page.click("#play")
    player.at(1)
    assert page.get_attribute("#pictures img", "src").startswith("data:image/svg+xml;base64,")
    assert page.get_attribute("#pictures img", "alt") == "Heel down"
    assert page.get_attribute("#pictures a", "href") == "https://example.org/wall.jpg"
    assert page.inner_text("#pictures a") == "Picture: On the web (opens on the web)"
    player.close()  # and nothing was fetched


def test_screenshots_of_the_player(browser: Any, tmp_path: Path) -> None:
    """The page renders at both sizes (tests/regenerate_player_screenshots.py keeps the
    copies in docs/images/)."""
    from regenerate_player_screenshots import screenshots

    made = screenshots(browser, tmp_path)
    assert [p.name for p in made] == ["player.png", "player-desktop.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in made)
