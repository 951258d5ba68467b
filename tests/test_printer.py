"""The one printer (dsl/model/printer.py): what it writes reads back exactly, every message
quotes amounts as `stretch fmt` writes them, and no other module turns amounts into text."""

from __future__ import annotations

import ast
import itertools
import re

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import floats, model_amounts

from dsl import model as m
from dsl.format.formatter import format_text
from dsl.lint.checker import check
from dsl.model import printer
from dsl.syntax.builder import seconds_of_duration
from dsl.syntax.parser import parse

PROPERTIES = settings(max_examples=300, deadline=None)
UNITS: tuple[m.Unit, ...] = ("s", "count", "breath")


def _read_step_amount(text: str) -> m.Amount | None:
    parsed = parse(f'routine "r"\n  hold {text}\n')
    assert parsed.diagnostics == (), [d.message for d in parsed.diagnostics]
    assert parsed.routine is not None
    step = parsed.routine.items[0]
    assert isinstance(step, m.Step)
    return step.amount


def _read_limit(text: str) -> m.Limit:
    parsed = parse(f'routine "r"\n  {text}\n')
    assert parsed.diagnostics == (), [d.message for d in parsed.diagnostics]
    assert parsed.routine is not None
    [limit] = parsed.routine.items
    assert isinstance(limit, m.Limit)
    return limit


# --- printing then parsing gives the piece back -------------------------------------------


@pytest.mark.parametrize("unit", UNITS)
@PROPERTIES
@given(data=st.data())
def test_an_amount_in_every_unit_reads_back_as_printed(unit: m.Unit, data: st.DataObject) -> None:
    amount = data.draw(model_amounts((unit,)))
    assert _read_step_amount(printer.amount(amount)) == amount


@PROPERTIES
@given(floats, st.sampled_from(UNITS))
def test_a_quantity_reads_back_as_printed(value: float, unit: m.Unit) -> None:
    quantity = m.Quantity(value, unit)
    assert _read_step_amount(printer.quantity(quantity)) == m.Amount(quantity, quantity)


COUNTED: tuple[m.LimitSubject, ...] = ("cycles", "contractions")
TIMED: tuple[m.LimitSubject, ...] = ("contraction", "hold", "breath-hold", "total")


def _limits() -> st.SearchStrategy[m.Limit]:
    """Every subject, every unit it takes, every scope it can have."""
    counted = st.builds(lambda s, v, per: m.Limit(s, v, "times", per),
                        st.sampled_from(COUNTED), st.integers(0, 99),
                        st.sampled_from(["side", "routine"]))
    effort = st.builds(lambda v: m.Limit("effort", v, "percent", "step"), floats)
    timed = st.builds(
        lambda s, v, unit, per: m.Limit(s, v, unit, "step" if s in m.STEP_LIMITS else per),
        st.sampled_from(TIMED), floats, st.sampled_from(UNITS),
        st.sampled_from(["side", "routine"]))
    return st.one_of(counted, effort, timed)


@PROPERTIES
@given(_limits())
def test_a_limit_reads_back_as_printed(limit: m.Limit) -> None:
    assert _read_limit(printer.limit(limit)) == limit


@pytest.mark.parametrize("subject", m.LIMIT_SUBJECTS)
@pytest.mark.parametrize("per", ["side", "routine"])
def test_every_subject_and_scope_prints_as_fmt_writes_it(subject: m.LimitSubject,
                                                         per: str) -> None:
    value = {"cycles": "3", "contractions": "6", "effort": "50%"}.get(subject, "90s")
    line = f"limit {subject} {value} per {per}"
    limit = _read_limit(line)
    formatted = format_text(f'routine "r"\n  {line}\n').formatted
    assert formatted is not None
    assert formatted.splitlines()[1].strip() == printer.limit(limit)
    # The default scope is left out; any other is written, even one that means nothing.
    said = printer.limit(limit)
    assert said.endswith(f" per {per}") == (per != m.default_scope(subject))


@PROPERTIES
@given(st.floats(0, 1e6, allow_nan=False, allow_infinity=False))
def test_the_printer_reads_durations_back_as_the_parser_does(value: float) -> None:
    for text in (printer.seconds(value), printer.seconds(value, minute_in_minutes=True),
                 printer.duration(value)):
        assert printer._read_back(text) == seconds_of_duration(text)


@pytest.mark.parametrize(("value", "text"), [
    (0, "0s"), (12.5, "12.5s"), (59.999, "59.999s"), (60, "60s"), (90, "1m30s"),
    (120, "2m"), (3600, "60m"), (10 / 3, "3.333s"), (90.0004, "1m30s"),
])
def test_a_worked_out_duration_is_to_the_millisecond(value: float, text: str) -> None:
    assert printer.duration(value) == text


@pytest.mark.parametrize(("low", "high", "unit", "text"), [
    (10, 30, "s", "10-30s"), (45, 60, "s", "45-60s"), (60, 90, "s", "1m-1m30s"),
    (120, 180, "s", "2-3m"), (30, 90, "s", "30s-1m30s"), (5, 15, "count", "5-15 counts"),
    (1, 2, "breath", "1-2 breaths"), (1, 1, "breath", "1 breath"), (2, 2, "count", "2 counts"),
])
def test_amounts_print_the_way_coaches_write_them(low: float, high: float, unit: m.Unit,
                                                  text: str) -> None:
    assert printer.amount(m.Amount(m.Quantity(low, unit), m.Quantity(high, unit))) == text


# --- messages quote what fmt writes -------------------------------------------------------


def test_a_lint_message_quotes_a_limit_as_fmt_writes_it() -> None:
    # Before the one printer, L101 said `limit hold 1m` where fmt writes `limit hold 60s`.
    source = 'routine "r"\n  limit hold 1m\n  hold 90s\n'
    formatted = format_text(source).formatted
    assert formatted is not None and "  limit hold 60s\n" in formatted
    [found] = [d for d in check(parse(source)) if d.code == "L101"]
    assert found.message == ("this hold lasts 1m30s, longer than `limit hold 60s` "
                             "allows")
    assert found.hint == "shorten it to 60s at most, or raise the limit if it is too strict"


def test_an_inverted_range_is_fixed_in_canonical_text() -> None:
    # Before: `10s-30s`; fmt writes a range of seconds with one unit.
    [found] = [d for d in check(parse('routine "r"\n  hold 30-10s\n'))
               if d.code == "V101"]
    assert found.hint == "write the smaller amount first: `10-30s`"


# --- nobody else prints amounts -----------------------------------------------------------

PRINTER = ROOT / "dsl" / "model" / "printer.py"
OLD_HELPERS = {"seconds_text", "quantity_text", "limit_text", "_limit_value", "_clock",
               "_number", "_range_text"}
"""Names of the amount printers that lived outside the printer before it existed."""
UNIT_AFTER_VALUE = re.compile(r"(s|%|\s*(counts?|breaths?|sec|secs|min|mins))(?![A-Za-z])")
"""A literal that makes the value before it an amount: ``{x}s``, ``{x}%``, ``{x} counts``."""
EXEMPT: dict[str, str] = {
    # The live player shows a running session (a clock, a countdown) from the compiled
    # JSON's seconds, not model pieces; its event log's number format is a contract of its
    # own (docs/json.md).
    "dsl/player/live.py": "session clock",
    "dsl/player/engine.py": "event log times",
}
SPLICED = {("dsl/lsp/hover.py", "low"), ("dsl/lsp/hover.py", "high")}
"""Hover repeats a percentage exactly as the author typed it (text, not a number)."""


def _printer_call(node: ast.expr) -> bool:
    """``duration(x)`` imported from the printer, or ``printer.duration(x)``."""
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name):
        return node.func.id in vars(printer)
    return (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "printer")


def _amount_printing(source: str, relative: str) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        where = f"{relative}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in OLD_HELPERS:
            found.append(f"{where}: defines {node.name}")
        if (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.FloorDiv, ast.Mod))
                and isinstance(node.right, ast.Constant) and node.right.value == 60):
            found.append(f"{where}: splits minutes and seconds")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "divmod" and len(node.args) == 2
                and isinstance(node.args[1], ast.Constant) and node.args[1].value == 60):
            found.append(f"{where}: splits minutes and seconds")
        if isinstance(node, ast.JoinedStr):
            for value, after in itertools.pairwise(node.values):
                if not (isinstance(value, ast.FormattedValue) and isinstance(after, ast.Constant)
                        and isinstance(after.value, str)
                        and UNIT_AFTER_VALUE.match(after.value)):
                    continue
                expression = value.value
                if _printer_call(expression):
                    continue
                if isinstance(expression, ast.Name) and (
                        expression.id.isupper() or (relative, expression.id) in SPLICED):
                    continue  # a regular expression's constant, or the author's own text
                found.append(f"{where}: writes a unit after {ast.unparse(expression)}")
    return found


def test_no_module_but_the_printer_turns_amounts_into_text() -> None:
    modules = [p for p in sorted((ROOT / "dsl").rglob("*.py"))
               if p != PRINTER and p.relative_to(ROOT).as_posix() not in EXEMPT]
    assert len(modules) > 50
    found = [problem for path in modules for problem in
             _amount_printing(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())]
    assert found == []


def test_the_check_finds_amount_printing() -> None:
    sample = ("def seconds_text(x: float) -> str:\n"
              "    minutes, rest = divmod(x, 60)\n"
              "    return f'{minutes}m{rest:g}s' + f'{x // 60}' + f'{x} counts' + f'{x:g}%'\n"
              "def fine(x: float) -> str:\n"
              "    return f'{printer.duration(x)} and {PATTERN}%' + f'{x} times'\n")
    found = _amount_printing(sample, "dsl/sample.py")
    assert sorted(f.split(": ", 1)[1] for f in found) == [
        "defines seconds_text", "splits minutes and seconds", "splits minutes and seconds",
        "writes a unit after rest", "writes a unit after x", "writes a unit after x",
    ]


def test_the_printer_imports_only_the_model() -> None:
    tree = ast.parse(PRINTER.read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert {name for name in imported if name and name.startswith("dsl")} == {"dsl", "dsl.model"}
