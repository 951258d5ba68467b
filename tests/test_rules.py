"""The lint rules, one fixture folder per rule (the way ruff tests its rules).

``tests/fixtures/lint/rules/<CODE>-<name>/`` holds that rule's cases:

- ``bad-*.stretch``: the rule fires; ``bad-*.expected`` next to it is what
  ``stretch lint --select <CODE>`` prints for it, rustc-style (code, position, wording,
  hint and notes), and holds that rule's diagnostics only, so a change to one rule
  touches one folder. A case named after another rule (``bad-V101-inverted-range``) is
  that rule's fixture, kept here because this rule fires on it too.
- ``good-*.stretch``: the rule stays silent (the rule documentation's good example and
  near misses).
- A case may be a folder of files linted in one run (``duplicate-id`` needs two files).

``tests/fixtures/lint/whole/`` holds cases about the rules together (suppressions, a
routine with nothing to report), checked with every rule on.

After a deliberate change to what a rule prints (its wording, a position), regenerate
the expected files with one command and read the diff before committing it::

    STRETCH_UPDATE_FIXTURES=1 python -m pytest tests/test_rules.py

The rest: the examples in each rule's documentation, the examples folder, and the
checks across files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT, UPDATE, example_paths, invisible_decoded

from dsl.codes import Rule, lookup_selector
from dsl.codes import find_rule as find
from dsl.codes import rules as all_rules
from dsl.diagnostics import Diagnostic
from dsl.lint.checker import LintRun, check, check_file, lint_paths
from dsl.model import vocabulary
from dsl.outputs.text import render_text
from dsl.syntax.parser import parse, parse_file

RULES_FIXTURES = FIXTURES / "lint" / "rules"
WHOLE_FIXTURES = FIXTURES / "lint" / "whole"
DUPLICATE_IDS = RULES_FIXTURES / "R103-duplicate-id" / "bad-same-id"

RUN_ALSO: dict[str, tuple[str, ...]] = {"X101": ("ALL",)}
"""Rules a rule's cases run with besides itself. An unused suppression is only known once
the rules it names have run (and X101 is not reported for rules that are turned off), so
X101's cases run every rule; their expected output still holds X101's findings only."""


def _rule_folders() -> dict[str, Path]:
    """Each registered rule's folder (whether or not it exists yet), by code."""
    return {rule.code: RULES_FIXTURES / f"{rule.code}-{rule.name}" for rule in all_rules()}


def _cases(folder: Path) -> list[Path]:
    """A folder's cases: its ``bad-*``/``good-*`` files and folders of files."""
    found = [p for p in folder.iterdir()
             if p.name.startswith(("bad-", "good-")) and (p.is_dir() or p.suffix == ".stretch")]
    return sorted(found)


def _rule_cases() -> list[tuple[str, Path]]:
    return [(code, case) for code, folder in _rule_folders().items() if folder.is_dir()
            for case in _cases(folder)]


def _case_id(value: tuple[str, Path]) -> str:
    code, case = value
    return f"{code}/{case.name.removesuffix('.stretch')}"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths in the expected output are relative to the repository.
    monkeypatch.chdir(ROOT)


def _relative(path: Path) -> Path:
    return Path(path.relative_to(ROOT).as_posix())


def _files(case: Path) -> list[Path]:
    return sorted(_relative(p) for p in case.glob("*.stretch")) if case.is_dir() else [
        _relative(case)]


def _lint(case: Path, select: tuple[str, ...] | None) -> LintRun:
    return lint_paths(_files(case), select=select, jobs=1)


def _rendered(run: LintRun, diagnostics: list[Diagnostic]) -> str:
    sources = run.sources()
    return "".join(render_text(d, sources[d.path]) + "\n\n" for d in diagnostics)


def _compare(actual: str, expected_file: Path) -> None:
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.is_file(), f"{expected_file}: run with STRETCH_UPDATE_FIXTURES=1"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("code_and_case", _rule_cases(), ids=_case_id)
def test_rule_case(code_and_case: tuple[str, Path]) -> None:
    """A bad case prints exactly its ``.expected`` (this rule's findings only); a good
    case prints nothing. Either way the case must parse: a syntax error would stop the
    rules and make the case say nothing."""
    code, case = code_and_case
    run = _lint(case, (code, *RUN_ALSO.get(code, ())))
    assert [d for d in run.diagnostics if d.code.startswith("P")] == []
    own = [d for d in run.diagnostics if d.code == code]
    expected_file = case.with_suffix(".expected") if case.is_file() else case.with_name(
        case.name + ".expected")
    if case.name.startswith("good-"):
        assert own == []
        assert not expected_file.exists(), "a good case has no expected output"
        return
    assert own, f"{code} does not fire on {case.name}"
    _compare(_rendered(run, own), expected_file)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: f"{r.code}-{r.name}")
def test_every_rule_has_a_folder_with_bad_and_good_cases(rule: Rule) -> None:
    folder = _rule_folders()[rule.code]
    assert folder.is_dir(), f"{rule.code} has no fixture folder {folder.name}"
    names = [case.name for case in _cases(folder)]
    assert any(n.startswith("bad-") for n in names), f"no case where {rule.code} fires"
    assert any(n.startswith("good-") for n in names), f"no case where {rule.code} is silent"


def test_the_folders_are_the_registered_rules() -> None:
    """No folder for a rule that is gone or renamed, no stray expected output, and the
    two look-alike safety rules keep their codes (users' suppressions name them)."""
    folders = {p.name for p in RULES_FIXTURES.iterdir() if p.is_dir()}
    assert folders == {p.name for p in _rule_folders().values()}
    assert {"S101", "S102"} <= set(_rule_folders())
    for expected in RULES_FIXTURES.glob("*/*.expected"):
        case = expected.with_suffix(".stretch")
        assert expected.name.startswith("bad-") and (
            case.is_file() or expected.with_suffix("").is_dir()), expected


@pytest.mark.parametrize("case", sorted(WHOLE_FIXTURES.glob("*.stretch")), ids=lambda p: p.stem)
def test_whole_lint_case(case: Path) -> None:
    """Every rule on at once: what they do together (suppressions) and a routine that
    gives none of them anything to say."""
    run = _lint(case, None)
    _compare(_rendered(run, run.diagnostics), case.with_suffix(".expected"))


def test_clean_fixture_has_nothing_to_report() -> None:
    assert _lint(WHOLE_FIXTURES / "clean.stretch", None).diagnostics == []


def _codes(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def _doc_examples(doc: str, label: str) -> list[str]:
    part = doc.split(label, 1)[1]
    if label.startswith("Bad"):
        part = part.split("Good:", 1)[0]
    return [invisible_decoded(text) for text in re.findall(r"```stretch\n(.*?)```", part, re.S)]


@pytest.mark.parametrize("rule", [r for r in all_rules()
                                  if r.code != "R103" and r.runs != "on plans"],
                         ids=lambda r: r.code)
def test_documented_examples(rule: Rule) -> None:
    """The bad example in a rule's documentation triggers it; the good one does not.
    (The examples of the rules of sessions and programmes name routines of a library: their
    fixture cases, folders of files, are where they are shown to fire.)"""
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
    (diagnostic,) = check_file("tests/fixtures/lint/rules/L101-limit-exceeded/bad-cycles.stretch")
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
    run = lint_paths(sorted(DUPLICATE_IDS.glob("*.stretch")), jobs=1)
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
    paths = sorted(RULES_FIXTURES.glob("**/*.stretch"))
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
        parsed = parse_file(example)
        if parsed.plan is not None:  # a session or programme names no targets
            continue
        routine = parsed.routine
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
