"""The JavaScript player (dsl/web/player/engine.js) passes the conformance suite: Node's
test runner plays every case of tests/conformance/ through it and compares the event log
with expected.log line by line (tests/js/). Node is a real component: the test skips
without it locally and fails in CI (tests/components.py)."""

from __future__ import annotations

import re
import subprocess

from components import program
from conftest import ROOT


def test_the_javascript_player_passes_the_conformance_suite() -> None:
    node = program("node", "apt-get install nodejs")
    done = subprocess.run([node, "--test", "--test-reporter=tap", "tests/js/"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    # Every case ran: one test per folder of the suite, none skipped.
    cases = sorted(p.name for p in (ROOT / "tests" / "conformance").iterdir()
                   if (p / "expected.log").is_file())
    for case in cases:
        assert re.search(rf"^ok \d+ - conformance {case}$", done.stdout, re.MULTILINE), case
    assert "# fail 0" in done.stdout and "# skipped 0" in done.stdout
