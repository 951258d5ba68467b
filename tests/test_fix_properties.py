"""Property tests of fixing: for generated routines, with fixable mistakes injected,
``--fix`` removes every finding it can fix, the result parses and lints with no finding
the routine did not have before the mistakes were injected, and fixing again changes
nothing. Once through ``fix_text`` for many routines, and through the command line for a
few."""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import routine_sources
from typer.testing import CliRunner

from dsl import model as m
from dsl.cli import app
from dsl.lint.checker import check
from dsl.lint.fixing import fix_text, fixes
from dsl.lint.rules import Context
from dsl.lint.rules.duplicate_setting import _SETTINGS
from dsl.syntax.parser import ParsedFile, parse

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
MISTAKES = ("misspelt hold", "misspelt step", "curly title", "unused suppression",
            "duplicate setting", "lone contraction")


def _codes(parsed: ParsedFile) -> Counter[str]:
    return Counter(d.code for d in check(parsed))


def _newline(text: str) -> str:
    found = re.search(r"\r\n|\r|\n", text)
    return found.group() if found else "\n"


def inject(text: str, chosen: list[str]) -> tuple[str, list[str]]:
    """The routine with the chosen mistakes made where they can be (each has a fix), and
    the mistakes made."""
    parsed = parse(text)
    assert parsed.routine is not None
    routine = parsed.routine
    context = Context(parsed, routine, _Defaults())
    newline = _newline(text)
    lines = text.split(newline)
    made: list[str] = []
    if "duplicate setting" in chosen:
        setting = next((i for i in routine.items if type(i) in _SETTINGS
                        and i.span.line == i.span.end_line), None)
        if setting is not None:
            copy = context.indent_of(setting.span.line) + context.text_of(
                context.first_line(setting.span))
            lines.insert(setting.span.line, copy)
            made.append("duplicate setting")
    indent = context.indent_of(routine.items[0].span.line) if routine.items else "  "
    if routine.exercises:  # steps go at the end of the last exercise (P135 outside them)
        indent = context.indent_of(routine.exercises[-1].items[0].span.line)
    for mistake, line in (("lone contraction", "contract 5s"), ("misspelt step", "hodl 30s")):
        if mistake in chosen and not _bounded(routine, parsed):
            if lines[-1] != "":
                lines.append("")
            lines.insert(len(lines) - 1, indent + line)
            made.append(mistake)
    header = routine.span.line - 1
    title = lines[header]
    if "unused suppression" in chosen and "#" not in title:
        lines[header] = title + "  # stretch: ignore[S106]"
        made.append("unused suppression")
    if "curly title" in chosen:
        quoted = _PLAIN_TITLE.fullmatch(lines[header])
        if quoted is not None:
            lines[header] = f"{quoted[1]}\u201c{quoted[2]}\u201d{quoted[3]}"
            made.append("curly title")
    if "misspelt hold" in chosen:
        for number, line in enumerate(lines):
            found = re.match(r"(\s+)hold(?=[ \t]|$)", line)
            if found is not None and number > header:
                lines[number] = f"{found[1]}hodl{line[found.end():]}"
                made.append("misspelt hold")
                break
    return newline.join(lines), made


# A title in straight quotes with nothing in it a curly pair could not hold.
_PLAIN_TITLE = re.compile('(\ufeff?\\s*routine\\s+)"([^"\\\\\u201c\u201d\u201e\u00ab\u00bb]*)"(.*)')


class _Defaults:
    extend_targets: tuple[str, ...] = ()

    def option(self, key: str, default: float) -> float:
        return default


def _bounded(routine: m.Routine, parsed: ParsedFile) -> bool:
    """Whether one more contraction could break something declared (any limit), or the
    routine is too long to check: then the mistake is not injected."""
    holders = [routine, *routine.exercises]
    if any(isinstance(i, m.Limit | m.Group) for h in holders for i in h.items):
        return True
    return "L103" in {d.code for d in check(parsed)}


def _assert_fixed(before: str, after: str, baseline: Counter[str]) -> None:
    parsed = parse(after)
    assert parsed.ok, [d.message for d in parsed.diagnostics]
    remaining = check(parsed)
    assert fixes(parsed, remaining) == []  # every fixable finding is gone
    found = Counter(d.code for d in remaining)
    assert found <= baseline, (found - baseline, before, after)  # no new finding
    again = fix_text(after)
    assert again.fixed == 0 and again.text == after  # a second fix changes nothing


@SETTINGS
@given(routine_sources(), st.lists(st.sampled_from(MISTAKES), unique=True))
def test_fixing_removes_the_injected_mistakes_and_adds_nothing(
        source: str, chosen: list[str]) -> None:
    parsed = parse(source)
    assume(parsed.ok and parsed.routine is not None)
    # The routine as it is, with what it already had fixed: the baseline.
    clean = fix_text(source)
    assert clean.dropped == ()
    _assert_fixed(source, clean.text, _codes(parse(source)))
    baseline = _codes(parse(clean.text))
    broken, made = inject(clean.text, chosen)
    fixed = fix_text(broken)
    assert fixed.dropped == ()
    if made:
        assert fixed.fixed >= len(made)
    _assert_fixed(broken, fixed.text, baseline)


runner = CliRunner()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.filter_too_much])
@given(routine_sources(), st.lists(st.sampled_from(MISTAKES), unique=True, min_size=1))
def test_lint_fix_on_the_command_line_does_the_same(source: str, chosen: list[str]) -> None:
    parsed = parse(source)
    assume(parsed.ok and parsed.routine is not None)
    clean = fix_text(source).text
    broken, _ = inject(clean, chosen)
    expected = fix_text(broken).text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "routine.stretch"
        path.write_bytes(broken.encode("utf-8"))
        cwd = os.getcwd()
        os.chdir(folder)  # no project configuration from the repository
        try:
            first = runner.invoke(app, ["lint", "--fix", "--format", "concise", path.name])
            written = path.read_bytes().decode("utf-8")
            second = runner.invoke(app, ["lint", "--fix", "--format", "concise", path.name])
        finally:
            os.chdir(cwd)
        assert first.exit_code in (0, 1), first.output
        assert written == expected
        assert second.stderr.startswith("nothing fixed; ")
        assert path.read_bytes().decode("utf-8") == written


@SETTINGS
@given(routine_sources())
def test_unsafe_fixes_too_leave_a_routine_that_parses_and_need_no_second_pass(
        source: str) -> None:
    # Unsafe fixes change the routine, so they may bring findings of their own (sides
    # doubled can break a limit); they still never break the file, and finish the job.
    parsed = parse(source)
    assume(parsed.ok and parsed.routine is not None)
    fixed = fix_text(source, unsafe=True)
    assert fixed.dropped == ()
    again = parse(fixed.text)
    assert again.ok, [d.message for d in again.diagnostics]
    assert fixes(again, check(again), unsafe=True) == []
    assert fix_text(fixed.text, unsafe=True).text == fixed.text
