"""Every ```stretch example in the docs and the README parses with no diagnostics.

A block that does not start with `routine` (or `session`, `programme`) is part of a
routine: the test puts it under a `routine` line, as the docs say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, invisible_decoded

from dsl.syntax.parser import parse

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```stretch\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append((f"{path.relative_to(ROOT)}:{line}", invisible_decoded(match.group(1))))
    return found


def as_routine(block: str) -> str:
    first = next(line for line in block.splitlines() if line.strip() and
                 not line.lstrip().startswith("#"))
    if first.startswith(("routine", "session", "programme")):
        return block
    indented = "".join(f"  {line}" if line.strip() else line
                       for line in block.splitlines(keepends=True))
    return 'routine "Example"\n' + indented


def test_the_language_reference_has_examples() -> None:
    assert sum(1 for where, _ in blocks() if where.startswith("docs/language.md")) >= 15


@pytest.mark.parametrize(("where", "block"), blocks(), ids=[w for w, _ in blocks()])
def test_doc_example_parses(where: str, block: str) -> None:
    parsed = parse(as_routine(block), where)
    assert parsed.diagnostics == (), [d.message for d in parsed.diagnostics]


def test_the_documented_error_example_is_what_check_prints() -> None:
    from dsl.outputs.text import render_text

    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(error\[P102\].*?)```", text, re.DOTALL)
    assert shown is not None
    source = 'routine "Calf"\n  hold 30 "Lean into the wall"\n'
    [diagnostic] = parse(source, "calf.stretch").diagnostics
    assert render_text(diagnostic, source) + "\n" == shown.group(1)


def test_every_step_kind_is_documented() -> None:
    from dsl.model import STEP_KINDS

    text = Path(ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    for kind in STEP_KINDS:
        assert re.search(rf"^\| [^|]*`{kind}`", text, re.MULTILINE), kind


@pytest.mark.filterwarnings("error::DeprecationWarning")  # it shows the current names
def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", readme, re.DOTALL)
    assert code is not None
    monkeypatch.chdir(ROOT)
    exec(compile(code.group(1), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("S106 52 ")
    assert printed[-2] == "{'min': 110, 'max': 390}"
    assert printed[-1] == "True"


@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_the_lint_guides_python_example_runs(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    code = re.search(r"## From Python\n\n```python\n(.*?)```", guide, re.DOTALL)
    assert code is not None
    (tmp_path / "routines").mkdir()
    for name, example in (("hip", "hip-and-hamstring"), ("calf", "calf-wall-stretch")):
        (tmp_path / "routines" / f"{name}.stretch").write_bytes(
            (ROOT / "examples" / f"{example}.stretch").read_bytes())
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), "docs/lint.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("R101 16 image file `images/hip-and-hamstring.svg`")
    assert printed[-1].isdigit() and int(printed[-1]) >= len(printed) - 1


def test_readme_lint_message_is_what_lint_prints() -> None:
    from dsl.lint.checker import check
    from dsl.outputs.text import render_text

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(error\[L101\].*?)```", readme, re.DOTALL)
    assert shown is not None
    source = (ROOT / "tests/fixtures/compile/bad/too-many-cycles.stretch").read_text()
    [diagnostic] = [d for d in check(parse(source, "routines/hamstring.stretch"))
                    if d.severity == "error"]
    assert render_text(diagnostic, source) + "\n" == shown.group(1)
