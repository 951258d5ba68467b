"""Emacs with eglot against `stretch lsp`: `emacs --batch` loads the set-up docs/editors.md
gives, opens a routine with an error and reads the diagnostic Flymake got from the
server. Emacs 28 and eglot come from apt (emacs-nox, elpa-eglot; .ci/run installs them)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from components import program, require, stretch_command
from conftest import ROOT

SNIPPET = re.compile(r"```elisp\n(.*?)```", re.DOTALL)

# Test harness only: start what the documented hook starts (eglot-ensure waits for the
# next command, which never comes in batch mode), then wait for Flymake's diagnostics.
DRIVER = """\
(require 'eglot)
(require 'flymake)
(load (expand-file-name "setup.el" default-directory) nil t)
;; A folder without version control is a project of its own here.
(add-hook 'project-find-functions (lambda (dir) (cons 'transient dir)))
(find-file (expand-file-name "calf.stretch" default-directory))
(princ (format "mode: %s\\n" major-mode))
(run-hooks 'post-command-hook)
(let ((deadline (+ (float-time) 30)))
  (while (and (null (flymake-diagnostics)) (< (float-time) deadline))
    (accept-process-output nil 0.2)))
(dolist (d (flymake-diagnostics))
  (princ (format "%d:%d %s %s\\n"
                 (line-number-at-pos (flymake-diagnostic-beg d))
                 (save-excursion (goto-char (flymake-diagnostic-beg d)) (current-column))
                 (flymake-diagnostic-type d) (flymake-diagnostic-text d))))
"""


def run_emacs(tmp_path: Path, driver: str, routine: str) -> subprocess.CompletedProcess[str]:
    """Emacs in batch mode in ``tmp_path``, set up as docs/editors.md says, running the
    ``driver`` Lisp on ``calf.stretch`` holding ``routine`` (skips without Emacs or eglot)."""
    emacs = program("emacs", "apt-get install emacs-nox elpa-eglot")
    has_eglot = subprocess.run([emacs, "--batch", "--eval", "(require 'eglot)"],
                               capture_output=True, timeout=60).returncode == 0
    require("eglot", has_eglot, "apt-get install elpa-eglot")
    [snippet] = SNIPPET.findall((ROOT / "docs" / "editors.md").read_text(encoding="utf-8"))
    (tmp_path / "setup.el").write_text(snippet, encoding="utf-8")
    (tmp_path / "driver.el").write_text(driver, encoding="utf-8")
    (tmp_path / "calf.stretch").write_text(routine, encoding="utf-8")
    env = {**os.environ, "HOME": str(tmp_path),
           "PATH": f"{Path(stretch_command()).parent}:{os.environ.get('PATH', '')}"}
    return subprocess.run([emacs, "--batch", "-l", "driver.el"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=90)


def test_eglot_shows_the_server_diagnostic(tmp_path: Path) -> None:
    done = run_emacs(tmp_path, DRIVER,
                     'routine "Calf stretch"\n  hold 30 "Lean into the wall"\n')
    assert done.returncode == 0, done.stderr
    assert "mode: stretch-mode" in done.stdout, done.stdout + done.stderr
    assert "[eglot] Connected!" in done.stderr, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "2:10 eglot-error stretch [P102]: this amount has no unit, found text in quotes",
        "help: amounts need a unit: `30s`, `1m30s`, `5 counts` or `3 breaths`",
    ]


# After the diagnostics: the quick fix for the misspelt word, then "fix all" for the rest,
# each chosen as a user does with M-x eglot-code-actions (one action of the kind: applied).
FIXING = """\
(eglot-code-actions (point-min) (point-max) "quickfix" t)
(princ (format "quick fix:\\n%s" (buffer-string)))
(eglot-code-actions (point-min) (point-max) "source.fixAll.stretch" t)
(princ (format "fix all:\\n%s" (buffer-string)))
"""


def test_eglot_applies_a_quick_fix_and_fix_all(tmp_path: Path) -> None:
    done = run_emacs(tmp_path, DRIVER + FIXING,
                     'routine "Calf stretch"\n  limit cycles 3\n'
                     '  contract 5s gentley "Push"  # push\n  relax 10s\n')
    assert done.returncode == 0, done.stderr
    output = done.stdout.partition("quick fix:\n")[2]
    quick, _, fixed = output.partition("fix all:\n")
    assert quick == ('routine "Calf stretch"\n  limit cycles 3\n'
                     '  contract 5s gently "Push"  # push\n  relax 10s\n')
    assert fixed == ('routine "Calf stretch"\n  limit cycles 3\n  on pain "Too far"\n'
                     '    release "Ease off"\n    relax 30s\n'
                     '  contract 5s gently "Push"  # push\n  relax 10s\n')
