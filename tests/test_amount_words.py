"""Amounts read right at 1 and at 2 of every unit (seconds, counts, breaths) wherever the
toolchain words them: hover, completion and the outline (through the language server),
lint diagnostics and `stretch fmt`. "1 breath", "2 breaths"; never "1 breaths"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")

from lsp_client import LspClient

# unit -> (how a routine writes 1 and 2 of it, what hover says of 1 and of 2)
UNITS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "s": (("1s", "2s"), ("1 second", "2 seconds")),
    "count": (("1 count", "2 counts"),
              ("1 count = 1 s at 1 count = 1s", "2 counts = 2 s at 1 count = 1s")),
    "breath": (("1 breath", "2 breaths"),
               ("1 breath = 5 s at 1 breath = 5s", "2 breaths = 10 s at 1 breath = 5s")),
}
# What completion offers after a lone number.
AFTER_ONE = ["s", "min", "count", "breath", "second", "minute"]
AFTER_TWO = ["s", "min", "counts", "breaths", "seconds", "minutes"]


def _doc(unit: str) -> str:
    return (ROOT / "tests" / "fixtures" / "lsp" / f"amounts-{unit}.stretch").as_uri()


def _routine(one: str, two: str) -> str:
    return (f'routine "Amounts"\n'
            f"  limit hold {one}\n"
            f"  hold {one}\n"
            f'    cue at {one} "Breathe out"\n'
            f"  hold {two}\n"
            f"  switch {two}\n")


@pytest.mark.parametrize("unit", list(UNITS))
def test_hover_says_one_and_two_of_every_unit(server: LspClient, unit: str) -> None:
    (one, two), (said_one, said_two) = UNITS[unit]
    doc = _doc(unit)
    server.open(doc, _routine(one, two))

    def hover(line: int, character: int) -> Any:
        found = server.request("textDocument/hover", {
            "textDocument": {"uri": doc}, "position": {"line": line, "character": character}})
        return found["contents"]["value"].split(" (the default tempo)")[0]

    assert hover(2, 8) == f"`{one}`: {said_one}"   # hold 1 ...
    assert hover(3, 12) == f"`{one}`: {said_one}"  # cue at 1 ...
    assert hover(1, 14) == f"`{one}`: {said_one}"  # limit hold 1 ...
    assert hover(4, 8) == f"`{two}`: {said_two}"   # hold 2 ...


@pytest.mark.parametrize(("number", "units"), [("1", AFTER_ONE), ("2", AFTER_TWO),
                                                ("1.0", AFTER_ONE), ("0.5-1", AFTER_TWO)])
def test_completion_offers_units_that_agree_with_the_number(
        server: LspClient, number: str, units: list[str]) -> None:
    doc = _doc("completion")
    text = f'routine "x"\n  hold {number} \n'
    server.open(doc, text)
    found = server.request("textDocument/completion", {
        "textDocument": {"uri": doc},
        "position": {"line": 1, "character": len(f"  hold {number} ")}})
    assert [item["label"] for item in found["items"]] == units


@pytest.mark.parametrize("unit", list(UNITS))
def test_the_outline_says_one_and_two_of_every_unit(server: LspClient, unit: str) -> None:
    (one, two), _ = UNITS[unit]
    doc = _doc(f"outline-{unit}")
    server.open(doc, _routine(one, two))
    [routine] = server.request("textDocument/documentSymbol", {"textDocument": {"uri": doc}})
    shown = [(c["name"], c.get("detail")) for c in routine["children"]]
    assert shown == [("limit hold", one), (f"hold {one}", None), (f"hold {two}", None),
                     ("switch", two)]
    [cue] = routine["children"][1]["children"]
    assert cue["name"] == f"cue at {one}"


@pytest.mark.parametrize("unit", list(UNITS))
def test_diagnostics_say_one_and_two_of_every_unit(tmp_path: Path, unit: str) -> None:
    (one, two), _ = UNITS[unit]
    written = "2-1s" if unit == "s" else f"2-1 {unit}s"
    path = tmp_path / f"{unit}.stretch"
    path.write_text(f'routine "x"\n  hold {written} "Lean in"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dsl", "lint", "--format", "concise",
                           str(path)], capture_output=True, text=True, timeout=60)
    assert done.stdout == (f"{path}:2:8: V101 the low end of this range ({two}) is above "
                           f"its high end ({one})\n")


@pytest.mark.parametrize("unit", ["count", "breath"])
def test_fmt_makes_the_noun_agree_with_the_number(unit: str) -> None:
    # Written the wrong way round; the canonical layout says 1 breath, 2 breaths.
    source = (f'routine "x"\n  hold 1 {unit}s\n  hold 2 {unit}\n  limit hold 1 {unit}s\n'
              f"  tempo: 1 {unit}s = 4s\n")
    done = subprocess.run([sys.executable, "-m", "dsl", "fmt", "-"], input=source,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        f"  hold 1 {unit}", f"  hold 2 {unit}s", f"  limit hold 1 {unit}",
        f"  tempo: 1 {unit} = 4s"]


def test_fmt_writes_seconds_as_a_suffix() -> None:
    done = subprocess.run([sys.executable, "-m", "dsl", "fmt", "-"],
                          input='routine "x"\n  hold 1 second\n  hold 2 seconds\n',
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines()[1:] == ["  hold 1s", "  hold 2s"]
