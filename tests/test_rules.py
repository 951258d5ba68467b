"""The lint rules: each rule's findings on its fixture files (code, position, wording,
hint and notes, as rustc-style text in ``<fixture>.expected``), the examples in each rule's
documentation, the examples folder, and the checks across files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT, UPDATE, example_paths, invisible_decoded

from dsl.codes import find_rule as find
from dsl.codes import lookup_selector
from dsl.codes import rules as all_rules
from dsl.diagnostics import Diagnostic
from dsl.lint.checker import check, check_file, lint_paths
from dsl.model import vocabulary
from dsl.outputs.text import render_text
from dsl.syntax.parser import parse, parse_file

RULES_FIXTURES = FIXTURES / "lint" / "rules"
FIXTURE_FILES = sorted(RULES_FIXTURES.glob("*.stretch"))


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in the expected output are relative to the repository.
    monkeypatch.chdir(ROOT)


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _rendered(path: Path) -> str:
    parsed = parse_file(_relative(path))
    return "".join(render_text(d, parsed.source) + "\n\n" for d in check(parsed))


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_rule_fixture(fixture: Path) -> None:
    expected_file = fixture.with_suffix(".expected")
    actual = _rendered(fixture)
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_every_rule_has_a_fixture_that_triggers_it() -> None:
    found = set()
    for expected in RULES_FIXTURES.glob("*.expected"):
        found.update(re.findall(r"^(?:error|warning|info)\[([A-Z]\d{3})\]", expected.read_text(),
                                re.M))
    missing = {r.code for r in all_rules()} - found - {"R103"}  # R103: see below
    assert not missing


def test_clean_fixture_has_nothing_to_report() -> None:
    assert _rendered(RULES_FIXTURES / "clean.stretch") == ""


def _codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def _doc_examples(doc: str, label: str) -> list[str]:
    part = doc.split(label, 1)[1]
    if label.startswith("Bad"):
        part = part.split("Good:", 1)[0]
    return [invisible_decoded(text) for text in re.findall(r"```stretch\n(.*?)```", part, re.S)]


@pytest.mark.parametrize("rule", [r for r in all_rules() if r.code != "R103"],
                         ids=lambda r: r.code)
def test_documented_examples(rule: object) -> None:
    """The bad example in a rule's documentation triggers it; the good one does not."""
    from dsl.codes import Rule

    assert isinstance(rule, Rule)
    bad = _doc_examples(rule.doc, "Bad:")
    good = _doc_examples(rule.doc, "Good:")
    assert bad and good
    for text in bad:
        assert rule.code in _codes(check(parse(text, "bad.stretch"))), text
    for text in good:
        assert rule.code not in _codes(check(parse(text, "good.stretch"))), text


def test_rule_metadata_is_well_formed() -> None:
    codes = [r.code for r in all_rules()]
    names = [r.name for r in all_rules()]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for rule in all_rules():
        assert re.fullmatch(r"[LVTRSX]\d{3}", rule.code)
        assert rule.severity in ("error", "warning", "info")
        for section in ("**What it catches.**", "**Why it matters.**", "Bad", "Good:"):
            assert section in rule.doc, (rule.code, section)
        if rule.family == "S":
            assert "**Sources.**" in rule.doc, rule.code
    assert find("s104") is find("contractions-without-limit") is not None
    assert {r.code for r in lookup_selector("S1")} == {c for c in codes if c.startswith("S1")}


def test_limit_points_at_the_step_with_a_note_on_the_limit() -> None:
    (diagnostic,) = check_file("tests/fixtures/lint/rules/L101-cycles.stretch")
    assert (diagnostic.code, diagnostic.name, diagnostic.severity) == (
        "L101", "limit-exceeded", "error")
    assert (diagnostic.span.line, diagnostic.span.column) == (12, 5)
    assert diagnostic.message == "contract-relax cycle 4 on the left side breaks `limit cycles 3`"
    (related,) = diagnostic.related
    assert (related.message, related.span.line, related.span.column) == (
        "the limit is declared here", 5, 3)


def test_upper_end_of_ranges_and_up_to_repeats_are_taken() -> None:
    text = ('routine "r"\n  limit cycles 2\n  on pain "x"\n    relax 5s\n'
            '  repeat 1-{n}:\n    contract 5s\n    relax 5s\n')
    assert _codes(check(parse(text.format(n=2)))) == []
    assert _codes(check(parse(text.format(n=3)))) == ["L101"]
    up_to = text.replace("repeat 1-{n}", "repeat up to {n}")
    assert _codes(check(parse(up_to.format(n=3)))) == ["L101"]


def test_rules_do_not_run_on_a_file_with_syntax_errors() -> None:
    diagnostics = check(parse('routine "r"\n  limit cycles 30s\n  contract 99m\n'))
    assert _codes(diagnostics) == ["P204"]


def test_duplicate_ids_across_files() -> None:
    folder = FIXTURES / "lint" / "duplicate-ids"
    run = lint_paths(sorted(folder.glob("*.stretch")), jobs=1)
    found = run.diagnostics
    assert _codes(found) == ["R103"]
    (duplicate,) = found
    assert duplicate.path.endswith("b.stretch")
    assert (duplicate.span.line, duplicate.span.column) == (2, 3)
    assert duplicate.message.startswith("the id `calf-stretch` is already used by ")
    assert duplicate.message.endswith("a.stretch")
    (related,) = duplicate.related
    assert related.path is not None and related.path.endswith("a.stretch")
    text = render_text(duplicate, run.sources()[duplicate.path])
    assert "2 |   id: calf-stretch" in text


def test_duplicate_id_can_be_silenced_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "a.stretch").write_text('routine "a"\n  id: same\n')
    (tmp_path / "b.stretch").write_text(
        'routine "b"\n  id: same  # stretch: ignore[duplicate-id]\n')
    run = lint_paths(sorted(tmp_path.glob("*.stretch")), jobs=1)
    assert run.diagnostics == []


def test_parallel_and_serial_runs_agree() -> None:
    paths = FIXTURE_FILES + sorted((FIXTURES / "lint" / "duplicate-ids").glob("*.stretch"))
    serial = lint_paths(paths, jobs=1)
    parallel = lint_paths(paths, jobs=2)
    assert serial == parallel
    assert [f.path for f in serial.files] == [str(p) for p in paths]


# --- the examples --------------------------------------------------------------------

@pytest.mark.parametrize("example", example_paths(), ids=lambda p: p.stem)
def test_examples_have_no_errors_and_no_warnings(example: Path) -> None:
    found = check_file(example.relative_to(ROOT))
    assert [d for d in found if d.severity in ("error", "warning")] == []


def test_vocabulary_knows_the_examples_targets_and_plurals() -> None:
    for example in sorted(EXAMPLES.glob("*.stretch")):
        routine = parse_file(example).routine
        assert routine is not None
        for target in routine.targets:
            for named in (target, *target.details):
                assert vocabulary.is_known(named.name), named.name
    for name in ("hamstring", "Calf", "calves", "glute", "Hip  Flexor", "quadriceps",
                 "achilles tendon", "IT band"):
        assert vocabulary.is_known(name), name
    assert not vocabulary.is_known("wobbly bits")
    assert vocabulary.is_known("wobbly bits", ("wobbly bits",))
    assert vocabulary.suggest("hamstrigns") == "hamstrings"
    assert len(vocabulary.target_names()) > 150
