"""The repository's .pre-commit-hooks.yaml is valid for pre-commit itself."""

from __future__ import annotations

import re

from conftest import ROOT
from pre_commit.clientlib import load_manifest


def test_manifest_is_valid_with_a_lint_and_a_fmt_hook() -> None:
    hooks = {hook["id"]: hook for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"stretch-lint", "stretch-fmt"}
    assert hooks["stretch-lint"]["entry"] == "stretch lint"
    assert hooks["stretch-fmt"]["entry"] == "stretch fmt"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert re.search(hook["files"], "routines/calf.stretch")
        assert not re.search(hook["files"], "routines/calf.json")
