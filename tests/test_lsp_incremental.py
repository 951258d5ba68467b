"""Re-parsing only the blocks an edit touched (``dsl.lsp.incremental``): after any edit
the result equals parsing the whole new text, positions included, and so do the
diagnostics, byte for byte. Random edits on generated routines prove it; examples show
which edits take the short way and which parse the whole text, in process and through
the real protocol."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from conftest import EXAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import routine_sources

from dsl import model as m
from dsl.lint.checker import check
from dsl.lsp import engine, incremental
from dsl.syntax.parser import ParsedFile
from dsl.timeline.expand import Expansion, expand

PATH = "/clinic/long.stretch"

_HEADER = """\
# A clinic session.
routine "Long Session"  # header comment
  id: long-session
  targets: hamstrings, calves
  sides: each, left first
  tempo: 1 count = 1s
  limit cycles 40
"""
_BLOCKS = [
    '\n  on pain "Too far: ease off"\n    release "Move back out"\n    relax 30s\n',
    '  repeat up to 3, rest 10s between:  # block\n'
    '    contract 5 counts gently "Press"\n      cue at 3 counts "Keep breathing"\n'
    '    relax 2 breaths "Let go"\n',
    '  hold 45-15s "Backwards range"\n',
    '\n  # a comment of its own\n  hold 30s to mild tension "Hold"\n    cue at 40s "Late"\n',
    '  contract 5 counts  # stretch: ignore[S103]\n',
    '  posture:\n    "Keep your spine long"\n\n',
    '  repeat 2:\n    repeat 2:\n      inhale 4 counts\n      exhale 0s\n',
    '  note "Stop if anything hurts."\n',
    '  video "https://example.org/clip.mp4"\n',
    '  repeat 60:\n    repeat 60:\n      hold 1s\n',  # two of these pass the step cap
]

# Variants that change steps: a step's new amount, `leave out`, steps in its place, and a
# block that runs only with one variant (the checker checks each variant too).
_VARIANT_BLOCKS = [
    '  hold 30s "Lean"\n    variant harder: 60s\n    variant easier: leave out\n',
    '  hold 20s "Reach"\n    variant harder:\n      hold 30s "Reach further"\n'
    '      repeat 2:\n        contract 5 counts\n        relax 5s\n',
    '  variant harder only:\n    contract 6s gently "Press"\n    relax 5s\n',
    '  hold 30s\n    variant easier: left 20s, right 30s\n',
]


def deep(value: Any) -> Any:
    """A model as plain tuples with every field, spans included (model equality leaves
    spans out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__,
                *(deep(getattr(value, f.name)) for f in dataclasses.fields(value)))
    if isinstance(value, tuple):
        return tuple(deep(v) for v in value)
    return value


def assert_same(got: ParsedFile, expected: ParsedFile) -> None:
    assert got.path == expected.path
    assert got.text.original == expected.text.original
    assert deep(got.routine) == deep(expected.routine)
    assert got.comments == expected.comments
    assert got.diagnostics == expected.diagnostics
    found, wanted = check(got), check(expected)
    assert found == wanted
    assert repr(found) == repr(wanted)  # byte for byte, spans and all


@st.composite
def clinic_routines(draw: st.DrawFn) -> str:
    """A header and a dozen blocks, some with lint findings, comments and suppressions."""
    blocks = draw(st.lists(st.sampled_from(_BLOCKS), min_size=1, max_size=12))
    return _HEADER + "".join(blocks) + '  release "Come out slowly"\n'


@st.composite
def routines_with_variants(draw: st.DrawFn) -> str:
    """Clinic routines with blocks that variants change."""
    blocks = draw(st.lists(st.sampled_from(_BLOCKS[:-1] + _VARIANT_BLOCKS), min_size=1,
                           max_size=8))
    return _HEADER + "".join(blocks) + '  release "Come out slowly"\n'


def _examples() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.stretch"))]


# What an author types: whole lines (statements at every depth, broken ones, comments,
# blank lines) and characters that open and close strings, blocks and comments.
_LINES = [
    "", "  ", '  hold 20s "New"', '    cue at 5s "More"', "      inhale 2 breaths",
    '  repeat 2:', "  repeat", '  hold 30 "no unit"', "    relax", "  # note",
    "# top", "  level: expert", 'routine "Second"', "\thold 5s", "   hold 5s",
    '  limit hold 10s', "  contract 90s", '  note "unterminated',
    "    variant harder: 90s", "    variant easier: leave out", "    variant harder:",
    "  variant harder only:", "      variant chair: 10s",
]
_CHARACTERS = st.sampled_from(['"', ":", " ", "\t", "#", "1", "s", "x", "\n", "  ", "-",
                               "\n  ", "\n    ", "hold ", "2"])


@st.composite
def edits(draw: st.DrawFn, text: str) -> str:
    """The text after one random edit."""
    lines = text.split("\n")
    kind = draw(st.sampled_from(["insert line", "delete lines", "replace line",
                                 "insert characters", "delete characters", "move line"]))
    row = draw(st.integers(0, len(lines) - 1))
    if kind == "insert line":
        lines.insert(row, draw(st.sampled_from(_LINES)))
    elif kind == "delete lines":
        del lines[row:row + draw(st.integers(1, 3))]
    elif kind == "replace line":
        lines[row] = draw(st.sampled_from(_LINES))
    elif kind == "move line":
        lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(row))
    else:
        start = sum(len(line) + 1 for line in lines[:row]) + draw(
            st.integers(0, len(lines[row])))
        start = min(start, len(text))
        if kind == "insert characters":
            return text[:start] + draw(st.lists(_CHARACTERS, min_size=1, max_size=3).map(
                "".join)) + text[start:]
        return text[:start] + text[start + draw(st.integers(1, 4)):]
    return "\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_after_any_edit_the_result_equals_a_whole_parse(data: st.DataObject) -> None:
    text = data.draw(st.one_of(clinic_routines(), clinic_routines(), routine_sources(),
                               routines_with_variants(), st.sampled_from(_examples())))
    state = incremental.update(None, text, PATH)
    assert_same(state.parsed, incremental.parse_text(text, PATH))
    uri = "untitled:Property"
    engine.forget(uri)
    assert engine.diagnose(text, uri) == check(incremental.parse_text(text, uri))
    history = [text]
    for _ in range(data.draw(st.integers(1, 8))):
        if len(history) > 1 and data.draw(st.integers(0, 3)) == 0:
            history.pop()  # undone: the error just typed is taken back, or the fix
            text = history[-1]
        else:
            text = data.draw(edits(text))
            history.append(text)
        state = incremental.update(state.snapshot, text, PATH)
        assert_same(state.parsed, incremental.parse_text(text, PATH))
        # The engine also expands again only the items the edit touched.
        diagnosed = engine.diagnose(text, uri)
        assert repr(diagnosed) == repr(check(incremental.parse_text(text, uri)))


def test_the_engine_diagnoses_each_version_as_a_whole_parse_would() -> None:
    uri = "file:///clinic/engine.stretch"
    text = _HEADER + "".join(_BLOCKS) * 3 + '  release "Come out slowly"\n'
    versions = [text, text.replace("hold 45-15s", "hold 15-45s", 1),
                text.replace('  note "Stop', '  note "Stop now', 2),
                text.replace("exhale 0s", "exhale 0s\n      exhale 1s", 1),
                text.replace("release", "relase"), text]
    try:
        for version in versions:
            # The outline asks first (an editor asks after every edit too), then diagnostics.
            whole = engine.parse_document(version, uri)
            outline = engine.outline(version, uri)
            if whole.routine is not None:  # else the last routine that parsed
                assert deep(outline) == deep(whole.routine)
            assert engine.diagnose(version, uri) == check(whole, engine.config_for(uri))
    finally:
        engine.forget(uri)


def test_an_expansion_after_an_edit_takes_the_untouched_items_from_the_earlier_one() -> None:
    text = _long()
    first = incremental.update(None, text, PATH)
    assert first.parsed.routine is not None
    earlier = expand(first.parsed.routine, earlier=Expansion(()))
    assert earlier == expand(first.parsed.routine)
    edited = text.replace("exhale 0s", "exhale 5s", 1)
    done = incremental.update(first.snapshot, edited, PATH)
    assert done.parsed.routine is not None
    again = expand(done.parsed.routine, earlier=earlier)
    assert again == expand(done.parsed.routine)
    # The very same performed steps as before, but for the items parsed again (the
    # edited one and the one above it).
    before = {id(p) for p in earlier.performed}
    reused = sum(id(p) in before for p in again.performed)
    assert len(again.performed) - 40 < reused < len(again.performed)
    # A tempo changed: nothing is taken over, and the result is still the same.
    slower = edited.replace("1 count = 1s", "1 count = 2s")
    routine = incremental.parse_text(slower, PATH).routine
    assert routine is not None
    assert expand(routine, earlier=again) == expand(routine)


def test_past_the_step_cap_the_expansion_is_cut_where_a_whole_one_is() -> None:
    text = _HEADER + _BLOCKS[-1] * 3 + '  release "Come out slowly"\n'
    routine = incremental.parse_text(text, PATH).routine
    assert routine is not None
    earlier = expand(routine, earlier=Expansion(()))
    assert earlier.truncated and earlier == expand(routine)
    edited = text.replace("hold 1s", "hold 2s", 1)
    state = incremental.update(incremental.update(None, text, PATH).snapshot, edited, PATH)
    assert state.parsed.routine is not None
    assert expand(state.parsed.routine, earlier=earlier) == expand(state.parsed.routine)


# --- which edits take the short way -----------------------------------------------------------


def _long() -> str:
    return _HEADER + "".join(_BLOCKS[1:-1]) * 20 + '  release "Come out slowly"\n'


def test_an_edit_inside_a_step_parses_only_the_blocks_around_it() -> None:
    text = _long()
    first = incremental.update(None, text, PATH)
    assert first.blocks_parsed is None and first.snapshot is not None
    middle = text.index("hold 45-15s", len(text) // 2)
    edited = text[:middle] + "hold 15-45s" + text[middle + len("hold 45-15s"):]
    done = incremental.update(first.snapshot, edited, PATH)
    assert done.blocks_parsed is not None and 1 <= done.blocks_parsed <= 3
    assert_same(done.parsed, incremental.parse_text(edited, PATH))


def test_lines_added_above_move_every_position_below() -> None:
    text = _long()
    first = incremental.update(None, text, PATH)
    cut = text.index("\n  note", len(text) // 3) + 1
    edited = text[:cut] + '  note "One more line"\n  note "And another"\n' + text[cut:]
    done = incremental.update(first.snapshot, edited, PATH)
    assert done.blocks_parsed is not None
    assert_same(done.parsed, incremental.parse_text(edited, PATH))
    assert done.parsed.routine is not None and first.parsed.routine is not None
    assert done.parsed.routine.items[-1].span.line == \
        first.parsed.routine.items[-1].span.line + 2


@pytest.mark.parametrize("change", [
    ("routine \"Long Session\"", "routine \"Renamed\""),  # the header
    ("  id: long-session\n", "  id: long-session\n  # before the first item?\n"),
    ("hold 45-15s", "hold 45-15"),  # a syntax error
])
def test_uncertain_edits_parse_the_whole_text(change: tuple[str, str]) -> None:
    text = _long()
    first = incremental.update(None, text, PATH)
    edited = text.replace(*change)
    done = incremental.update(first.snapshot, edited, PATH)
    if change[0] == "  id: long-session\n":
        assert done.blocks_parsed is not None  # a comment inside the first block
    else:
        assert done.blocks_parsed is None
    assert_same(done.parsed, incremental.parse_text(edited, PATH))


def test_after_a_syntax_error_the_fix_parses_whole_then_edits_are_short_again() -> None:
    text = _long()
    broken = text.replace("hold 45-15s", "hold 45-15", 1)
    state = incremental.update(None, text, PATH)
    state = incremental.update(state.snapshot, broken, PATH)
    assert state.snapshot is None and [d.code for d in state.parsed.diagnostics] == ["P102"]
    state = incremental.update(state.snapshot, text, PATH)
    assert state.blocks_parsed is None and state.snapshot is not None
    again = text.replace("Come out slowly", "Come out very slowly")
    state = incremental.update(state.snapshot, again, PATH)
    assert state.blocks_parsed == 2  # the last block, and the one above it
    assert_same(state.parsed, incremental.parse_text(again, PATH))


def _with_variants() -> str:
    return _HEADER + "".join(_BLOCKS[1:-1] + _VARIANT_BLOCKS) * 5 + \
        '  release "Come out slowly"\n'


@pytest.mark.parametrize("change", [
    ('      hold 30s "Reach further"', '      hold 45s "Reach further"'),  # a step's steps
    ("        relax 5s\n", "        relax 5s\n        rest 5s\n"),  # a line more in them
    ("    variant harder: 60s", "    variant harder: 90s"),  # past `limit` with harder
    ('    contract 6s gently "Press"', '    contract 6s gently "Press"\n    contract 6s'),
    ("    variant easier: leave out\n", "    variant easier: leave out\n"
     "    variant easier: 10s\n"),  # the same variant twice: P141, parsed whole
    ("  variant harder only:\n", "  variant harder only:\n    variant harder only:\n"),
    ("    variant easier: left 20s", "    variant easier: left 20"),  # no unit: P102
])
def test_edits_inside_what_a_variant_changes_give_a_whole_parse_s_result(
        change: tuple[str, str]) -> None:
    text = _with_variants()
    first = incremental.update(None, text, PATH)
    assert first.snapshot is not None
    middle = text.index(change[0], len(text) // 2)
    edited = text[:middle] + change[1] + text[middle + len(change[0]):]
    done = incremental.update(first.snapshot, edited, PATH)
    whole = incremental.parse_text(edited, PATH)
    if whole.diagnostics:
        assert done.blocks_parsed is None
    else:
        assert done.blocks_parsed is not None and 1 <= done.blocks_parsed <= 3
    assert_same(done.parsed, whole)
    uri = "untitled:Variants"
    engine.forget(uri)
    try:
        engine.diagnose(text, uri)
        wanted = check(incremental.parse_text(edited, uri))
        assert repr(engine.diagnose(edited, uri)) == repr(wanted)
    finally:
        engine.forget(uri)


def test_the_diagnostics_after_an_edit_include_what_only_a_variant_gets_wrong() -> None:
    # `variant harder: 90s` passes `limit hold 60s` only when harder is chosen.
    text = _HEADER + "  limit hold 60s\n" + _VARIANT_BLOCKS[0]
    uri = "untitled:Harder"
    engine.forget(uri)
    try:
        assert engine.diagnose(text, uri) == []
        found = engine.diagnose(text.replace("harder: 60s", "harder: 90s"), uri)
    finally:
        engine.forget(uri)
    assert [(d.code, d.span.line, d.message) for d in found] == [
        ("L101", 9, "with variant `harder`, this hold lasts 1m30s, longer than `limit hold "
         "60s` allows")]


def test_a_parameter_s_amount_in_an_exercise_is_diagnosed_as_a_whole_check_does() -> None:
    # The engine's expansion is of the routine as written ({hold} not filled in): the
    # checker fills the values in itself, so it must not be handed that expansion.
    text = ('routine "x"\n  parameter hold: 30s, 20-60s "Hold"\n  exercise "A":\n'
            '    hold {hold} "Lean"\n')
    uri = "untitled:Parameters"
    engine.forget(uri)
    try:
        assert engine.diagnose(text, uri) == check(incremental.parse_text(text, uri)) == []
    finally:
        engine.forget(uri)


@pytest.mark.parametrize("block", ["  variant harder only:\n    hold 5s\n",
                                   "  left only:\n    hold 5s\n"])
def test_a_block_of_steps_added_beside_exercises_is_reported_as_a_whole_parse_does(
        block: str) -> None:
    text = 'routine "x"\n  exercise "A":\n    hold 5s\n  note "n"\n'
    first = incremental.update(None, text, PATH)
    edited = text + block
    done = incremental.update(first.snapshot, edited, PATH)
    assert done.blocks_parsed is None
    assert [d.code for d in done.parsed.diagnostics] == ["P135"]
    assert_same(done.parsed, incremental.parse_text(edited, PATH))


def test_moving_a_node_moves_every_span_in_it_and_nothing_else() -> None:
    parsed = incremental.parse_text(_long(), PATH)
    assert parsed.routine is not None
    for item in parsed.routine.items:
        shifted = incremental.moved(item, 7)
        assert shifted == item  # the same values (spans are left out of equality)

        def lines(value: Any) -> list[int]:
            flat = deep(value)
            found: list[int] = []

            def walk(node: Any) -> None:
                if isinstance(node, tuple):
                    if node and node[0] == "Span":
                        found.extend([node[1], node[3]])
                    else:
                        for part in node:
                            walk(part)
            walk(flat)
            return found

        assert lines(shifted) == [n + 7 if n else 0 for n in lines(item)]
    assert incremental.moved(m.NO_SPAN, 3) is m.NO_SPAN


# --- through the protocol -------------------------------------------------------------------


def _published(text: str, uri: str) -> list[dict[str, Any]]:
    """The diagnostics a server that parses the whole text would publish, as JSON."""
    from lsprotocol import converters

    from dsl.lsp.positions import LineIndex
    from dsl.lsp.server import to_protocol

    found = check(incremental.parse_text(text, engine.path_of(uri)), engine.config_for(uri))
    index = LineIndex(text)
    converter = converters.get_converter()
    return [converter.unstructure(to_protocol(d, index, uri)) for d in found]


def _range(line: int, start: int, end_line: int, end: int) -> dict[str, Any]:
    return {"start": {"line": line, "character": start},
            "end": {"line": end_line, "character": end}}


def test_edits_through_the_protocol_publish_what_a_whole_parse_finds() -> None:
    pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")
    from lsp_client import LspClient

    uri = "untitled:Long"
    text = _long()
    client = LspClient()
    try:
        client.initialize()
        assert client.open(uri, text)["diagnostics"] == _published(text, uri) != []
        rows = text.split("\n")
        middle = next(n for n in range(len(rows) // 2, len(rows)) if "45-15s" in rows[n])
        column = rows[middle].index("45-15s")
        # Each edit as (range, new text); the expected text is applied here the same way.
        steps = [
            (_range(middle, column, middle, column + 5), "15-45"),  # a finding fixed
            (_range(middle, 0, middle, 0), '  note "Above"\n  note "Twice"\n'),  # lines move
            (_range(middle + 2, column + 4, middle + 2, column + 5), ""),  # no unit: P102
            (_range(middle + 2, column + 4, middle + 2, column + 4), "s"),  # fixed again
            (_range(middle, 0, middle + 2, 0), ""),  # the two lines taken away
            (_range(3, 0, 3, 0), "  # a comment in the first block\n"),
        ]
        for version, (where, new) in enumerate(steps, start=2):
            rows = text.split("\n")
            start = sum(len(r) + 1 for r in rows[:where["start"]["line"]]) \
                + where["start"]["character"]
            end = sum(len(r) + 1 for r in rows[:where["end"]["line"]]) \
                + where["end"]["character"]
            text = text[:start] + new + text[end:]
            published = client.change(uri, version, [{"range": where, "text": new}])
            assert published["diagnostics"] == _published(text, uri), version
    finally:
        client.close()


def test_a_burst_of_edits_on_a_long_routine_is_diagnosed_once_as_a_whole_parse_would(
) -> None:
    pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")
    import json

    from lsp_client import LspClient

    uri = "untitled:Burst"
    text = _long()
    rows = text.split("\n")
    line = next(n for n in range(len(rows) // 2, len(rows)) if "rest 10s" in rows[n])
    column = rows[line].index("rest 10s") + 5

    def frame(version: int, new: str) -> bytes:
        body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": _range(line, column, line, column + 1),
                                "text": new}]}}).encode()
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    client = LspClient()
    try:
        client.initialize()
        client.open(uri, text)
        # 199 edits written at once: the digit goes round and ends on `rest 00s`, a zero
        # amount (V102) the whole parse reports too.
        client.send_bytes(b"".join(frame(v, str(v % 10)) for v in range(2, 201)))
        published = 0
        while True:
            params = client.wait_for("textDocument/publishDiagnostics", uri)
            published += 1
            if params["version"] == 200:
                break
        final = rows[line][:column] + "0" + rows[line][column + 1:]
        expected = "\n".join([*rows[:line], final, *rows[line + 1:]])
        assert "V102" in [d["code"] for d in params["diagnostics"]]
        assert params["diagnostics"] == _published(expected, uri)
        assert published < 50  # coalesced: far fewer than one a edit
    finally:
        client.close()
