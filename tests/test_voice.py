"""The words a voice says, and the other fields of contract 2.2.0 (keys, pass marks,
sounds, progress), and the shared run choice every fixed output plays.

The style table of docs/voice.md is compiled row by row; the rules of good words are held
on every entry, cue, handler and announcement of every document the project compiles and
of generated routines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import typer
from conftest import EXAMPLES, ROOT, example_paths, plan_example_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import TEXT_CHARACTERS, routine_sources
from test_schema import compiled_documents

from dsl.cli.application import run_choice
from dsl.pipeline import compile_file
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine
from dsl.timeline.runs import RunChoice, chosen_run, run_length
from dsl.timeline.voice import entry_speech, sentence, speakable

KINDS = ("setup", "hold", "contract", "relax", "inhale", "exhale", "hold-breath",
         "breathe", "rest", "release", "deepen", "move", "restBetween", "waitForUser")


def compiled(source: str) -> dict[str, Any]:
    parsed = parse(source)
    assert parsed.routine is not None and parsed.ok, parsed.diagnostics
    return compile_routine(parsed.routine)  # type: ignore[return-value]


# --- the style table -----------------------------------------------------------------


def style_rows() -> list[tuple[str, str]]:
    text = (ROOT / "docs" / "voice.md").read_text(encoding="utf-8")
    return re.findall(r"^\| `([^`]+)` \| ([^|]+?) \|$", text, flags=re.MULTILINE)


def test_the_style_table_has_its_rows() -> None:
    assert len(style_rows()) >= 25


@pytest.mark.parametrize(("line", "said"), style_rows())
def test_every_row_of_the_style_table_is_what_speech_holds(line: str, said: str) -> None:
    document = compiled(f'routine "T"\n  {line}\n')
    assert document["timeline"][0]["speech"] == said


def test_a_switch_says_the_side_it_goes_to_and_its_time() -> None:
    timed = compiled('routine "T"\n  sides: each\n  switch 5s\n  hold 10s\n')
    untimed = compiled('routine "T"\n  sides: each\n  hold 10s\n')
    assert [e["speech"] for e in timed["timeline"]] == [
        "Left side. Hold for 10 seconds.", "Take 5 seconds to change to the right side.",
        "Hold for 10 seconds."]
    assert untimed["timeline"][1]["speech"] == (
        "Change to the right side. Go on when you are ready.")
    assert untimed["timeline"][1]["sideLabel"] == "Right side"


def test_a_rest_between_passes_says_its_time_and_text() -> None:
    document = compiled('routine "T"\n  repeat 2, rest 15s between "Shake out":\n'
                        '    hold 5s\n')
    assert document["timeline"][1]["speech"] == "Rest for 15 seconds. Shake out."


def test_cues_handlers_and_announcements_have_their_words() -> None:
    document = compiled(
        'routine "Hamstring - lying"\n'
        '  hold 30s "Reach"\n'
        '    cue at 10s "breathe out!"\n'
        '    partner "press the leg_up"\n'
        '  on pain "Ease off":\n'
        '    release "Come out slowly"\n'
        '    rest 30s\n')
    cues = document["timeline"][0]["cues"]
    assert [c["speech"] for c in cues] == [
        "Breathe out.", "For your partner: Press the leg up."]
    handler = document["safetyHandlers"][0]
    assert handler["speech"] == "Ease off."
    assert document["announcements"] == {
        "opening": "Hamstring, lying. If you feel pain: Ease off. Release. Come out slowly. "
                   "Go on when you are ready. Rest for 30 seconds.",
        "closing": "That is the end of Hamstring, lying. Well done."}


def test_without_a_pain_handler_the_opening_says_to_stop() -> None:
    document = compiled('routine "T"\n  hold 5s\n  on cramp:\n    rest 10s\n')
    assert document["announcements"]["opening"] == (
        "T. If you get a cramp: Stop. Rest for 10 seconds. If you feel pain, stop.")


def test_side_words_stay_templates_and_are_filled_per_side() -> None:
    document = compiled('routine "T"\n  sides: each\n  switch 3s\n  hold 10s "{side} knee up"\n'
                        '  on pain:\n    release "{side} leg down"\n')
    assert [e["speech"] for e in document["timeline"]] == [
        "Left side. Hold for 10 seconds. Left knee up.",
        "Take 3 seconds to change to the right side.",
        "Hold for 10 seconds. Right knee up."]
    assert document["safetyHandlers"][0]["timeline"][0]["speech"] == (
        "Release. {Side} leg down. Go on when you are ready.")


@pytest.mark.parametrize(("text", "said"), [
    ("hip-width apart_now", "Hip width apart now."),
    ("Stand - then sit", "Stand, then sit."),
    ("2m30s rest, then 1s", "2 minutes 30 seconds rest, then 1 second."),
    ("50% effort for 10-20s", "50 percent effort for 10 to 20 seconds."),
    ("3-4 times", "3 to 4 times."),
    ("Feel it?", "Feel it?"),
    ("Breathe!", "Breathe."),
    ("— pause —", "Pause."),
    ("-", ""),
])
def test_free_texts_become_speakable_sentences(text: str, said: str) -> None:
    assert sentence(text) == said


# --- the rules of good words, everywhere ---------------------------------------------

_UNIT_LETTERS = re.compile(r"\d\s?(s|m)\b")
_ONE_MANY = re.compile(r"(?<![\d.])1 (seconds|minutes|counts|breaths|repetitions)\b")


def word_problems(said: str, *, may_be_empty: bool = False) -> list[str]:
    """What breaks the rules of docs/voice.md in one spoken text."""
    if not said:
        return [] if may_be_empty else ["empty"]
    found = []
    for bad in ("-", "_", "null", "None", "hold-breath", "restBetween"):
        if bad in said:
            found.append(f"holds {bad!r}")
    if _UNIT_LETTERS.search(said):
        found.append("a unit letter")
    if _ONE_MANY.search(said):
        found.append("one with a plural")
    for piece in re.split(r"(?<=[.?])\s+", said):
        if not piece.endswith((".", "?")):
            found.append(f"a sentence without its full stop: {piece!r}")
        if not (piece[:1].isupper() or piece[:1].isdigit() or piece.startswith("{")):
            found.append(f"a sentence without its capital: {piece!r}")
    return found


def spoken_texts(document: dict[str, Any]) -> Iterator[tuple[str, str, bool]]:
    """(where, text, may it be empty) for every spoken text of a document."""
    def timeline(where: str, entries: list[dict[str, Any]]) -> Iterator[tuple[str, str, bool]]:
        for entry in entries:
            yield f"{where}[{entry['index']}]", entry["speech"], False
            for cue in entry["cues"]:  # a cue of punctuation alone says nothing
                yield f"{where}[{entry['index']}] cue", cue["speech"], True

    def run(where: str, doc: dict[str, Any]) -> Iterator[tuple[str, str, bool]]:
        yield from timeline(f"{where}timeline", doc["timeline"])
        for handler in doc.get("safetyHandlers", []):
            yield f"{where}handler {handler['id']}", handler["speech"], False
            yield from timeline(f"{where}{handler['id']}", handler["timeline"])
        for section in doc.get("sections", []):
            for handler in section["safetyHandlers"]:
                yield f"{where}handler {handler['id']}", handler["speech"], False
                yield from timeline(f"{where}{handler['id']}", handler["timeline"])
        if "announcements" in doc:
            yield f"{where}opening", doc["announcements"]["opening"], False
            yield f"{where}closing", doc["announcements"]["closing"], False

    yield from run("", document)
    for variant in document.get("variantTimelines", []):
        yield from run(f"variant {variant['variant']} ", variant)
    for part in document.get("parts", []):
        if part["kind"] == "routine":
            yield from run(f"part {part['index']} ", part["routine"])


def compiled_file(path: Path) -> dict[str, Any]:
    """A routine's or a session's document as `stretch compile` writes it."""
    result = compile_file(path)
    assert result.text is not None, result.diagnostics
    document: dict[str, Any] = json.loads(result.text)
    return document


def every_document() -> Iterator[tuple[str, dict[str, Any]]]:
    yield from compiled_documents()
    for path in plan_example_paths():
        document = compiled_file(path)
        if document["kind"] == "session":
            yield path.name, document


def test_every_spoken_text_of_every_document_keeps_the_rules() -> None:
    seen = 0
    for name, document in every_document():
        for where, said, may_be_empty in spoken_texts(document):
            assert word_problems(said, may_be_empty=may_be_empty) == [], (name, where, said)
            seen += 1
    assert seen > 1000


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(routine_sources())
def test_generated_routines_keep_the_rules_of_words(source: str) -> None:
    """Every entry of generated routines (every kind, amount, intensity, pace, side,
    repeat): the action keeps the rules, and the speech is the action, the author's text
    as a sentence, and the ending of an untimed step, in that order."""
    parsed = parse(source)
    if parsed.routine is None or not parsed.ok:
        return
    document: dict[str, Any] = compile_routine(parsed.routine)  # type: ignore[assignment]
    for timeline in all_timelines(document):
        side = None  # the side of the entries so far: a new one is announced
        for entry in timeline:
            action = entry_speech({**entry, "text": None, "waitForUser": False})
            assert word_problems(action) == [], action
            text = sentence(entry["text"] or "")
            said = " ".join(w for w in (action, text) if w)
            if entry["side"] is not None and entry["side"] != side:
                if entry["kind"] != "switch":
                    said = f"{entry['side'].capitalize()} side. {said}"
                side = entry["side"]
            if entry["waitForUser"]:
                said += " Go on when you are ready."
            assert entry["speech"] == said


@settings(max_examples=300, deadline=None)
@given(st.text(TEXT_CHARACTERS, max_size=40))
def test_any_text_becomes_a_sentence_without_hyphens_or_underscores(text: str) -> None:
    said = sentence(text)
    assert "-" not in said and "_" not in said
    assert said == "" or said.endswith((".", "?"))
    assert said == "" or not _UNIT_LETTERS.search(said) or re.search(r"[^\W\d_]\d", text)


# --- keys ----------------------------------------------------------------------------


def all_timelines(document: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    yield document["timeline"]
    for handler in document.get("safetyHandlers", []):
        yield handler["timeline"]
    for variant in document.get("variantTimelines", []):
        yield variant["timeline"]


def test_keys_are_unique_in_every_timeline() -> None:
    for name, document in every_document():
        for timeline in all_timelines(document):
            keys = [e["key"] for e in timeline]
            assert len(keys) == len(set(keys)), name


def insert_before_first_step(source: str, line: str) -> str:
    """The source with ``line`` added before its first step of the least indent (a step
    of the routine or of an exercise, not of a safety handler), at that indent."""
    lines = source.split("\n")

    def depth(text: str) -> int:
        return len(text) - len(text.lstrip())

    def in_handler(index: int) -> bool:
        parent = next(t for t in reversed(lines[:index])
                      if t.strip() and depth(t) < depth(lines[index]))
        return parent.lstrip().startswith("on ")

    steps = [(depth(text), index) for index, text in enumerate(lines)
             if re.match(r"\s+(setup|hold|contract|relax|inhale|exhale|breathe|rest|"
                         r"release|deepen|move)\b", text) and not in_handler(index)]
    indent, index = min(steps)
    return "\n".join([*lines[:index], " " * indent + line, *lines[index:]])


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.name)
def test_keys_stay_the_same_when_a_step_is_added_elsewhere(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    before = compiled(source)
    # Untimed, so that no open repeat capped by a total time loses a pass.
    after = compiled(insert_before_first_step(source, 'setup "A new step"'))
    old = [e["key"] for e in before["timeline"]]
    new = {e["key"] for e in after["timeline"]}
    assert set(old) <= new, sorted(set(old) - new)
    assert len(new) > len(old)


def test_changing_a_repeat_count_keeps_the_keys_of_its_passes() -> None:
    three = compiled('routine "T"\n  repeat 3:\n    hold 5s\n    rest 2s\n')
    four = compiled('routine "T"\n  repeat 4:\n    hold 5s\n    rest 2s\n')
    assert {e["key"] for e in three["timeline"]} < {e["key"] for e in four["timeline"]}


def test_keys_name_exercise_repeat_pass_step_and_side() -> None:
    document = compiled(
        'routine "T"\n  exercise "Calf":\n    id: calf\n    sides: each\n'
        '    repeat 2:\n      hold 5s\n      hold 5s\n')
    keys = [e["key"] for e in document["timeline"]]
    digest = keys[0].split("/")[2]
    assert re.fullmatch(r"hold-[0-9a-f]{6}", digest)
    assert keys == [
        f"calf/r1.1/{digest}/left", f"calf/r1.1/{digest}~2/left",
        f"calf/r1.2/{digest}/left", f"calf/r1.2/{digest}~2/left", "calf/switch/right",
        f"calf/r1.1/{digest}/right", f"calf/r1.1/{digest}~2/right",
        f"calf/r1.2/{digest}/right", f"calf/r1.2/{digest}~2/right"]


# --- pass marks, sounds, progress ----------------------------------------------------


def reference_marks(timeline: list[dict[str, Any]]) -> list[tuple[list[str], list[str]]]:
    """passStart and passEnd worked out the long way: an entry starts the pass of every
    repeat whose passes (with the outer ones) differ from the entry before's, and ends
    those that differ from the entry after's."""
    def place(entry: dict[str, Any] | None, level: int) -> tuple[tuple[str, int], ...]:
        if entry is None:
            return ()
        return tuple((p["repeat"], p["pass"]) for p in entry["passes"][: level + 1])

    marks = []
    for index, entry in enumerate(timeline):
        before = timeline[index - 1] if index > 0 else None
        after = timeline[index + 1] if index + 1 < len(timeline) else None
        levels = range(len(entry["passes"]))
        starts = [entry["passes"][lv]["repeat"] for lv in levels
                  if place(before, lv) != place(entry, lv)]
        ends = [entry["passes"][lv]["repeat"] for lv in reversed(levels)
                if place(after, lv) != place(entry, lv)]
        marks.append((starts, ends))
    return marks


def test_pass_marks_sounds_and_progress_of_every_document() -> None:
    for name, document in every_document():
        duration = document["summary"]["duration"]
        for timeline in all_timelines(document):
            assert [(e["passStart"], e["passEnd"]) for e in timeline] == \
                reference_marks(timeline), name
        for entry in document["timeline"]:
            kinds = [s["kind"] for s in entry["sounds"]]
            first = "switch" if entry["kind"] == "switch" else "start"
            expected = [first] if entry["duration"] is None else [
                first, "halfway", "lastSeconds", "lastSeconds", "lastSeconds"]
            assert kinds == expected, (name, entry["index"])
            for end in ("min", "max"):
                whole = duration[end]
                fraction = 0 if whole == 0 else min(1, entry["start"][end] / whole)
                assert abs(entry["progress"][end] - fraction) <= 0.0005 + 1e-9, (
                    name, entry["index"])
            assert entry["sideLabel"] == (
                None if entry["side"] is None else f"{entry['side'].capitalize()} side")


# --- the run a fixed output plays ----------------------------------------------------


@pytest.mark.parametrize("path", [*example_paths(), EXAMPLES / "morning-legs.stretch"],
                         ids=lambda p: p.name)
def test_a_chosen_run_lasts_what_the_summary_says(path: Path) -> None:
    document = compiled_file(path)
    summary = document["summary"]
    untimed = 7.5
    for ranges, passes, end in (("low", "fewest", "min"), ("high", "most", "max")):
        run = chosen_run(document, RunChoice(ranges, passes, untimed))  # type: ignore[arg-type]
        expected = summary["duration"][end] + untimed * summary["untimedSteps"][end]
        assert run_length(run) == pytest.approx(expected, abs=1e-6), (ranges, passes)
        assert len(run) == summary["steps"][end]
        for played, following in pairwise(run):
            assert following.start == pytest.approx(played.start + played.length)
            for time, cue in played.cues:
                assert played.start <= time <= played.start + played.length
                assert "{" not in cue["speech"] or document.get("kind") == "session"
            assert [t for t, _ in played.sounds] == sorted(t for t, _ in played.sounds)


def test_a_chosen_run_gives_only_the_cues_and_sounds_its_lengths_allow() -> None:
    document = compiled('routine "T"\n  hold 10-30s "Reach"\n    cue at 15s "Deeper"\n'
                        '  setup "Next"\n')
    low = chosen_run(document, RunChoice("low", "most", 12))
    high = chosen_run(document, RunChoice("high", "most", 12))
    assert [c["speech"] for _, c in low[0].cues] == []
    assert [(t, c["speech"]) for t, c in high[0].cues] == [(15, "Deeper.")]
    assert [(t, s["kind"], s["count"]) for t, s in low[0].sounds] == [
        (0, "start", None), (7, "lastSeconds", 3), (8, "lastSeconds", 2),
        (9, "lastSeconds", 1)]
    assert [(t, s["kind"]) for t, s in high[0].sounds][:2] == [(0, "start"), (15, "halfway")]
    assert (high[1].start, high[1].length, high[1].untimed) == (30, 12, True)
    assert [s["kind"] for _, s in high[1].sounds] == ["start"]


def test_a_chosen_run_fills_templates_with_the_side_in_progress() -> None:
    document = compiled('routine "T"\n  sides: each, right first\n  hold 10s\n')
    document["timeline"][0]["speech"] = "Hold. {Side} leg."  # as a handler's would be
    document["timeline"][0]["side"] = None
    run = chosen_run(document, RunChoice())
    assert run[0].entry["speech"] == "Hold. Right leg."


@pytest.mark.parametrize(("options", "message"), [
    (("middle", "most", "10s"), "--ranges takes `high` or `low`, not `middle`"),
    (("low", "all", "10s"), "--passes takes `most` or `fewest`, not `all`"),
    (("low", "most", "soon"), "--untimed takes a time such as `10s`, `1m` or `1m30s` "
     "(more than 0, at most 1h), not `soon`"),
    (("low", "most", "0s"), "--untimed takes a time such as `10s`, `1m` or `1m30s` "
     "(more than 0, at most 1h), not `0s`"),
])
def test_the_shared_flags_refuse_what_they_cannot_take(
        options: tuple[str, str, str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as exited:
        run_choice(*options)
    assert exited.value.exit_code == 2
    assert capsys.readouterr().err == f"stretch: error: {message}\n"


@pytest.mark.parametrize(("written", "seconds"), [
    ("10s", 10), ("1m", 60), ("1m30s", 90), ("45", 45), ("2.5s", 2.5)])
def test_the_untimed_flag_takes_times_as_the_language_writes_them(
        written: str, seconds: float) -> None:
    assert run_choice("high", "most", written) == RunChoice("high", "most", seconds)


def test_speakable_keeps_side_placeholders() -> None:
    assert speakable("{side}-leg_up {{x}}") == "{side} leg up {{x}}"
