"""The repository's .pre-commit-hooks.yaml is valid for pre-commit itself, and each hook's
command does its job when run the way pre-commit runs it (the entry, then the staged
file names)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from pre_commit.clientlib import load_manifest

NEEDS_HANDLER = ('routine "Hamstring PNF"\n  limit cycles 3\n  # the work\n'
                 '  contract 6s gently "Push the heel down"  # push\n  relax 10s "Let go"\n')


def _hooks() -> dict[str, dict[str, object]]:
    return {hook["id"]: hook for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}


def test_manifest_is_valid_with_a_lint_a_fix_and_a_fmt_hook() -> None:
    hooks = _hooks()
    assert set(hooks) == {"stretch-lint", "stretch-lint-fix", "stretch-fmt"}
    assert hooks["stretch-lint"]["entry"] == "stretch lint"
    assert hooks["stretch-lint-fix"]["entry"] == "stretch lint --fix"
    assert hooks["stretch-lint-fix"]["require_serial"] is True
    assert hooks["stretch-fmt"]["entry"] == "stretch fmt"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert isinstance(hook["files"], str)
        assert re.search(hook["files"], "routines/calf.stretch")
        assert not re.search(hook["files"], "routines/calf.json")


def _run_hook(hook_id: str, files: list[Path], folder: Path) -> subprocess.CompletedProcess[str]:
    """The hook's entry with the file names appended, as pre-commit calls it (``stretch``
    is the package's console script: ``python -m dsl`` here)."""
    hook = _hooks()[hook_id]
    entry = shlex.split(str(hook["entry"]))
    assert entry[0] == "stretch"
    command = [sys.executable, "-m", "dsl", *entry[1:], *hook["args"],  # type: ignore[misc]
               *[f.name for f in files]]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)


def test_the_fix_hook_mends_the_staged_files_and_then_passes(tmp_path: Path) -> None:
    routine = tmp_path / "pnf.stretch"
    clean = tmp_path / "calf.stretch"
    routine.write_text(NEEDS_HANDLER, encoding="utf-8")
    clean.write_text('routine "Calf"\n  hold 30s "Lean in"\n', encoding="utf-8")
    first = _run_hook("stretch-lint-fix", [routine, clean], tmp_path)
    # Nothing remains, so the command succeeds; pre-commit fails the hook all the same,
    # because a file changed, and the author stages the fix.
    assert first.returncode == 0, first.stderr
    assert first.stderr == ("fixed 1 finding in 1 file; none remain\n"
                            "linted 2 files: no problems\n")
    assert routine.read_text(encoding="utf-8") == (
        'routine "Hamstring PNF"\n  limit cycles 3\n  on pain "Too far"\n'
        '    release "Ease off"\n    relax 30s\n  # the work\n'
        '  contract 6s gently "Push the heel down"  # push\n  relax 10s "Let go"\n')
    fixed = routine.read_bytes()
    second = _run_hook("stretch-lint-fix", [routine, clean], tmp_path)
    assert second.returncode == 0
    assert second.stderr.startswith("nothing fixed; none remain\n")
    assert routine.read_bytes() == fixed  # a second run changes nothing


def test_the_fix_hook_fails_on_what_it_cannot_fix(tmp_path: Path) -> None:
    routine = tmp_path / "broken.stretch"
    routine.write_text('routine "PNF"\n  limit cycles 1\n  on pain "x"\n    release\n'
                       '  repeat 2:\n    contract 5s\n    relax 5s\n', encoding="utf-8")
    result = _run_hook("stretch-lint-fix", [routine], tmp_path)
    assert result.returncode == 1
    assert "L101" in result.stdout
    assert result.stderr.startswith(
        "nothing fixed; 1 remains (1 fixable with --unsafe-fixes)\n")
