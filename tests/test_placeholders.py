"""The placeholder form in quoted text (dsl/model/placeholders.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dsl.model import placeholders as ph


def test_scan_finds_names_and_offsets() -> None:
    found, stray = ph.scan("Reach with your {side} hand, then {Other}")
    assert [(p.name, p.start, p.end) for p in found] == [("side", 16, 22), ("Other", 34, 41)]
    assert stray == []


def test_doubled_braces_are_literal_and_not_placeholders() -> None:
    found, stray = ph.scan("Say {{side}} aloud")
    assert found == [] and stray == []
    assert ph.fill("Say {{side}} aloud", {"side": "left"}) == "Say {side} aloud"


def test_stray_braces_are_reported_with_their_offset() -> None:
    found, stray = ph.scan("a { b } c {1x}")
    assert found == []
    assert [(s.brace, s.start) for s in stray] == [("{", 2), ("}", 6), ("{", 10), ("}", 13)]


def test_fill_with_side_words() -> None:
    words = ph.side_words("left")
    assert ph.fill("{Side} knee down, {other} leg long", words) == "Left knee down, right leg long"
    assert ph.side_words("right")["Other"] == "Left"


def test_unknown_names_stay_as_written() -> None:
    filled = ph.fill("Hold {hold} on the {side}", {"hold": "30 seconds"})
    assert filled == "Hold 30 seconds on the {side}"


def test_fill_partly_keeps_a_template() -> None:
    text = "{{tip}} hold {hold} on the {side}"
    partly = ph.fill_partly(text, {"hold": "30 {s}"})
    assert partly == "{{tip}} hold 30 {{s}} on the {side}"
    assert ph.fill(partly, {"side": "left"}) == "{tip} hold 30 {s} on the left"


@given(st.text(alphabet="ab{}side ", max_size=30), st.sampled_from(["left", "right"]))
def test_filling_in_two_steps_is_filling_in_one(text: str, side: str) -> None:
    values = {"hold": "30 seconds", **ph.side_words(side)}  # type: ignore[arg-type]
    params = {"hold": "30 seconds"}
    assert ph.fill(ph.fill_partly(text, params), values) == ph.fill(text, values)


@given(st.text(max_size=40))
def test_text_without_braces_is_unchanged(text: str) -> None:
    plain = text.replace("{", "").replace("}", "")
    assert ph.fill(plain, {}) == plain
    assert ph.scan(plain) == ([], [])
