"""The formatter: the canonical layout (fixtures, examples, the docs' before/after pairs),
comments and blank lines kept, and the self-checks that refuse to write a changed meaning.

A case in tests/fixtures/fmt/ is `<case>.stretch` with the canonical text beside it in
`<case>.expected.stretch`; a case without an expected file is canonical already and must
come out unchanged. Set STRETCH_UPDATE_FIXTURES=1 to rewrite the expected files.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, UPDATE, example_paths

from dsl import model as m
from dsl.format import formatter
from dsl.format.formatter import UnsafeFormatting, format_bytes, format_routine, format_text
from dsl.model.printer import amount, number, quote, seconds, tempo_rate
from dsl.source.text import Source
from dsl.syntax.parser import ParsedFile, parse

CASES = FIXTURES / "fmt"


def case_paths() -> list[Path]:
    return sorted(p for p in CASES.glob("*.stretch") if not p.name.endswith(".expected.stretch"))


def expected_path(case: Path) -> Path:
    return case.with_name(case.name.removesuffix(".stretch") + ".expected.stretch")


@pytest.mark.parametrize("case", case_paths(), ids=lambda p: p.stem)
def test_fixture_formats_as_expected(case: Path) -> None:
    result = format_bytes(case.read_bytes(), case.name)
    assert result.formatted is not None, result.diagnostics
    expected = expected_path(case)
    if not expected.exists():
        assert not result.changed, "a case without an expected file must be canonical"
        return
    if UPDATE:
        expected.write_text(result.formatted, encoding="utf-8", newline="\n")
    assert result.formatted == expected.read_text(encoding="utf-8")
    assert format_text(result.formatted).formatted == result.formatted


def test_the_awkward_fixtures_really_are_awkward() -> None:
    # Editors and git settings can "fix" these files; then the cases test nothing.
    assert b"\r\n" in (CASES / "crlf.stretch").read_bytes()
    assert (CASES / "bom.stretch").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (CASES / "bom-crlf.stretch").read_bytes().startswith(b"\xef\xbb\xbf#")
    assert b"\r\n" in (CASES / "bom-crlf.stretch").read_bytes()
    trailing = (CASES / "trailing-spaces.stretch").read_bytes()
    assert b" \n" in trailing and b"\t\n" in trailing and not trailing.endswith(b"\n")
    assert b"\n\t\thold" in (CASES / "tabs.stretch").read_bytes()
    assert len(case_paths()) >= 10


@pytest.mark.parametrize("path", example_paths(), ids=lambda p: p.stem)
def test_every_example_is_already_formatted(path: Path) -> None:
    result = format_bytes(path.read_bytes(), str(path))
    assert result.formatted is not None, result.diagnostics
    assert not result.changed, f"{path.name} is not in the canonical layout"


# --- the documented before/after pairs ------------------------------------------------------

# The formatting page may be merged into the language reference: look in both.
DOCS = [ROOT / "docs" / "language.md"]
PAIR = re.compile(
    r"<!-- fmt: before -->\n```stretch\n(.*?)```\n.*?<!-- fmt: after -->\n```stretch\n(.*?)```",
    re.DOTALL,
)


def doc_pairs() -> list[tuple[str, str, str]]:
    pairs = []
    for doc in (d for d in DOCS if d.exists()):
        text = doc.read_text(encoding="utf-8")
        for pair in PAIR.finditer(text):
            where = f"{doc.name}:{text.count(chr(10), 0, pair.start()) + 1}"
            pairs.append((where, pair.group(1), pair.group(2)))
    return pairs


def test_the_formatting_doc_has_before_and_after_examples() -> None:
    assert len(doc_pairs()) >= 4


@pytest.mark.parametrize(("where", "before", "after"), doc_pairs(),
                         ids=[w for w, _, _ in doc_pairs()])
def test_doc_example_formats_as_shown(where: str, before: str, after: str) -> None:
    assert format_text(before, where).formatted == after
    assert format_text(after, where).formatted == after


def canonical_doc_blocks() -> list[tuple[str, str]]:
    """Every ```stretch block in the README and docs/ except the "before" halves of the
    formatting examples, as test_docs.py reads them."""
    from test_docs import as_routine, blocks

    befores = {before for _, before, _ in doc_pairs()}
    return [(where, as_routine(block)) for where, block in blocks() if block not in befores]


@pytest.mark.parametrize(("where", "routine"), canonical_doc_blocks(),
                         ids=[w for w, _ in canonical_doc_blocks()])
def test_every_doc_example_is_in_the_canonical_layout(where: str, routine: str) -> None:
    result = format_text(routine, where)
    assert result.formatted == routine


# --- values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "text"), [
    (3, "3"), (3.0, "3"), (1.5, "1.5"), (0.25, "0.25"), (1e-05, "0.00001"),
    (1e16, "10000000000000000"), (12.5, "12.5"),
])
def test_numbers_are_written_plainly(value: float, text: str) -> None:
    assert number(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (30, "30s"), (59.5, "59.5s"), (60, "60s"), (61, "1m1s"), (90, "1m30s"), (120, "2m"),
    (600, "10m"), (90.3, "1m30.3s"), (100.5, "1m40.5s"), (3600, "60m"),
])
def test_seconds_up_to_a_minute_then_minutes_and_seconds(value: float, text: str) -> None:
    assert seconds(value) == text
    assert parse(f'routine "x"\n  hold {text}\n').routine == m.Routine(
        "x", (m.Step("hold", m.Amount(m.Quantity(value, "s"), m.Quantity(value, "s"))),))


@pytest.mark.parametrize(("low", "high", "unit", "text"), [
    (10, 30, "s", "10-30s"), (45, 60, "s", "45-60s"), (45, 90, "s", "45s-1m30s"),
    (60, 90, "s", "1m-1m30s"), (120, 180, "s", "2-3m"), (60, 120, "s", "1-2m"),
    (90, 150, "s", "1m30s-2m30s"), (5, 15, "count", "5-15 counts"),
    (1, 2, "breath", "1-2 breaths"), (7, 7, "count", "7 counts"), (1, 1, "breath", "1 breath"),
])
def test_amounts_and_ranges(low: float, high: float, unit: m.Unit, text: str) -> None:
    assert amount(m.Amount(m.Quantity(low, unit), m.Quantity(high, unit))) == text


def test_a_tempo_with_no_short_decimal_is_written_over_several_counts() -> None:
    assert tempo_rate(m.TempoRate("count", 1 / 3)) == "3 counts = 1s"
    assert tempo_rate(m.TempoRate("breath", 6.0)) == "1 breath = 6s"
    assert tempo_rate(m.TempoRate("count", 0.75)) == "1 count = 0.75s"


def test_text_escapes_only_quotes_and_backslashes() -> None:
    assert quote('Say "stop"') == '"Say \\"stop\\""'
    assert quote("a\\b") == '"a\\\\b"'
    assert quote("tab\there, 'single' quotes") == "\"tab\there, 'single' quotes\""
    # An unknown escape is a backslash and a letter; it is written so it reads back so.
    assert format_text('routine "a\\qb"\n').formatted == 'routine "a\\\\qb"\n'


def test_a_counted_amount_before_an_effort_reads_back() -> None:
    # `5 counts at 30%` once lexed `at` as the `a` of `3 times a day`.
    source = 'routine "x"\n  contract 5 counts at 30% "Push"\n'
    assert format_text(source).formatted == source
    assert format_text('routine "x"\n  contract 5-5 counts at 30% "Push"\n').formatted == source
    step = m.Step("contract", m.Amount(m.Quantity(5, "count"), m.Quantity(5, "count")),
                  m.Intensity(None, 30, 30))
    printed = format_routine(m.Routine("x", (step,)))
    assert parse(printed).routine == m.Routine("x", (step,))


def test_a_routine_built_in_code_prints_without_blank_lines() -> None:
    routine = m.Routine("Built", (
        m.Sides("each", "right"),
        m.Repeat(m.RepeatCount("times", 2, 2), (m.Step("hold", text="Hold"),)),
        m.Step("release"),
    ))
    assert format_routine(routine) == (
        'routine "Built"\n  sides: each, right first\n  repeat 2:\n    hold "Hold"\n'
        "  release\n"
    )


# --- files that cannot be formatted -------------------------------------------------------


def test_a_syntax_error_gives_diagnostics_and_no_text() -> None:
    result = format_text('routine "Calf"\n  hold 30 "Lean in"\n', "calf.stretch")
    assert result.formatted is None and not result.changed and not result.ok
    [problem] = result.diagnostics
    assert (problem.code, problem.path, problem.span.line, problem.span.column) == (
        "P102", "calf.stretch", 2, 11)


def test_a_value_error_is_not_formatted_either() -> None:
    # The model holds a stand-in for a value it could not read; printing it would lose
    # the author's word.
    result = format_text('routine "x"\n  level: expert\n  hold 30s\n')
    assert result.formatted is None
    assert [d.code for d in result.diagnostics] == ["P201"]


def test_bytes_that_are_not_text_give_a_diagnostic() -> None:
    result = format_bytes(b'routine "x"\n  hold \xff\n', "bad.stretch")
    assert result.formatted is None
    assert [d.code for d in result.diagnostics] == ["P121"]


# --- the self-checks --------------------------------------------------------------------------

SOURCE = 'routine "Calf"  # the title\n  hold 30s "Lean in"\n  # closing words\n'


def test_a_changed_meaning_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = formatter.lay_out
    monkeypatch.setattr(formatter, "lay_out",
                        lambda *a, **k: real(*a, **k).replace("30s", "40s"))
    with pytest.raises(UnsafeFormatting) as raised:
        format_text(SOURCE, "calf.stretch")
    assert str(raised.value) == (
        "formatting calf.stretch would change its meaning "
        "(the formatted routine reads differently)")
    assert raised.value.path == "calf.stretch"


def test_a_lost_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = formatter.lay_out
    monkeypatch.setattr(formatter, "lay_out",
                        lambda *a, **k: real(*a, **k).replace("  # closing words\n", ""))
    with pytest.raises(UnsafeFormatting, match=r"\(a comment would be lost or moved\)$"):
        format_text(SOURCE, "calf.stretch")


def test_an_unstable_layout_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    real = formatter.lay_out
    # Each call adds one more blank line at the end (the first one too: a text that formats
    # to itself is not checked again, as a formatter that depends only on its input must
    # give it back once more).
    calls = itertools.count(1)
    monkeypatch.setattr(formatter, "lay_out",
                        lambda *a, **k: real(*a, **k) + "\n" * next(calls))
    with pytest.raises(UnsafeFormatting,
                       match=r"\(formatting twice gives a different text\)$"):
        format_text(SOURCE, "calf.stretch")


def test_a_tidy_text_is_parsed_once_and_a_changed_one_is_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []

    def counting(text: str | Source, path: str = "<string>") -> ParsedFile:
        parsed.append(path)
        return parse(text, path)

    monkeypatch.setattr(formatter, "parse", counting)
    tidy = format_text(SOURCE, "calf.stretch")
    assert (tidy.formatted, tidy.changed, len(parsed)) == (SOURCE, False, 1)
    # A word spelled another way: the canonical text is read back by the parser.
    messy = format_text(SOURCE.replace("hold 30s", "hold   30 seconds"), "calf.stretch")
    assert (messy.formatted, messy.changed, len(parsed)) == (SOURCE, True, 3)
    # Only the layout changes (spaces, indentation, a byte order mark, \r\n line ends):
    # the same words on the same lines, nested as deep, are checked without a second parse.
    untidy = format_text('routine   "Calf"   # the title\n    hold  30s\t"Lean in"\n'
                         '        # closing words\n\n\n', "calf.stretch")
    assert (untidy.formatted, untidy.changed, len(parsed)) == (SOURCE, True, 4)
    marked = format_text("\ufeff" + SOURCE.replace("\n", "\r\n"), "calf.stretch")
    assert (marked.formatted, marked.changed, len(parsed)) == (SOURCE, True, 5)
    # Two words run together read differently (30 s is a number and a unit; 30s, one
    # duration): the parser decides.
    joined = format_text(SOURCE.replace("30s", "30 s"), "calf.stretch")
    assert (joined.formatted, joined.changed, len(parsed)) == (SOURCE, True, 7)


def test_output_that_does_not_parse_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formatter, "lay_out", lambda *a, **k: 'routine "Calf\n')
    with pytest.raises(UnsafeFormatting, match=r"\(the formatted text does not parse\)$"):
        format_text(SOURCE, "calf.stretch")


@pytest.mark.parametrize("end", ["\x0c", "\x0b", "\x0c\x0b", "\u3000", "\xa0"])
def test_a_comment_keeps_what_ends_it_but_spaces_and_tabs(end: str) -> None:
    """A form feed or vertical tab at the end of a comment is part of its words (it was
    stripped); only spaces and tabs after the last character go."""
    tidy = f'routine "Calf"  # a{end}\n  hold 30s  # b{end}\n  # c{end}\n'
    assert format_text(tidy).formatted == tidy
    messy = f'routine "Calf"  # a{end} \t\n  hold 30s  # b{end}\t\n  # c{end}  \n'
    assert format_text(messy).formatted == tidy
