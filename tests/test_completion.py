"""Shell completion, round-tripped through real interactive shells: in a terminal (a pty)
with an empty home folder, the user types `stretch --install-completion`, starts the shell
again, types a partial command and presses Tab; the test reads what the shell shows.
bash is always here; zsh and fish come from apt (.ci/run installs them)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import termios
import time
from pathlib import Path

import pytest
from components import program, stretch_command

SHELLS = {
    "bash": "apt-get install bash",
    "zsh": "apt-get install zsh",
    "fish": "apt-get install fish",
}
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]|\r")


class Terminal:
    """An interactive shell in a pseudo-terminal, 50 rows by 200 columns."""

    def __init__(self, shell: str, home: Path) -> None:
        bin_folder = str(Path(stretch_command()).parent)
        env = {
            "HOME": str(home), "PATH": f"{bin_folder}:/usr/local/bin:/usr/bin:/bin",
            "TERM": "xterm", "LANG": "C.UTF-8", "SHELL": shell,
        }
        self.main, secondary = pty.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
        self.process = subprocess.Popen(
            [shell, "-i"], stdin=secondary, stdout=secondary, stderr=secondary, env=env,
            cwd=home, start_new_session=True,
            # The pty becomes the shell's controlling terminal, as in a terminal window.
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(secondary)
        self.seen = ""

    def type(self, keys: str) -> None:
        os.write(self.main, keys.encode())

    def settle(self, quiet: float = 0.8, timeout: float = 15.0) -> None:
        """Wait until the shell has started and printed its prompt: no output for a while."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.main], [], [], quiet)
            if not ready:
                return
            try:
                chunk = os.read(self.main, 65536)
            except OSError:
                return
            self.seen += _ESCAPES.sub("", chunk.decode("utf-8", "replace"))

    def read_until(self, *words: str, timeout: float = 20.0) -> str:
        """What the terminal shows (escape codes removed) once every word has appeared,
        or all it showed when the time is up."""
        deadline = time.monotonic() + timeout
        while not all(w in self.seen for w in words) and time.monotonic() < deadline:
            ready, _, _ = select.select([self.main], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.main, 65536)
                except OSError:  # the shell ended
                    break
                self.seen += _ESCAPES.sub("", chunk.decode("utf-8", "replace"))
        return self.seen

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_: object) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.main)


@pytest.mark.parametrize("shell", list(SHELLS))
def test_install_completion_then_tab_completes(shell: str, tmp_path: Path) -> None:
    path = program(shell, SHELLS[shell])
    (tmp_path / ".zshrc").touch()  # or zsh opens its set-up menu for a new user
    with Terminal(path, tmp_path) as terminal:
        terminal.settle()
        terminal.type("stretch --install-completion\r")
        shown = terminal.read_until("completion installed in", "restart the terminal")
    assert f"{shell} completion installed in {tmp_path}" in shown, shown
    assert "Completion will take effect once you restart the terminal" in shown, shown

    # Each question in a new terminal, as after restarting it.
    def tab(keys: str, *expected: str) -> str:
        with Terminal(path, tmp_path) as terminal:
            terminal.settle()  # zsh runs compinit, fish greets
            terminal.type(keys)
            return terminal.read_until(*expected)

    # Words, not split on spaces: a shell's pager may move the cursor between two of them
    # with nothing but escape codes.
    commands = ["new", "check", "compile", "lint", "fmt", "explain", "rules", "schema"]
    shown = tab("stretch \t\t", *commands)
    assert all(name in shown for name in commands), shown
    formats = ["text", "concise", "json", "github", "sarif"]
    shown = tab("stretch lint --format \t\t", *formats)
    assert all(name in shown for name in formats), shown
    codes = [f"S10{n}" for n in range(1, 7)]
    shown = tab("stretch explain S10\t\t", *codes)
    assert all(code in shown for code in codes), shown
    templates = ["static-hold", "contract-relax", "breathing"]
    shown = tab("stretch new --template \t\t", *templates)
    assert all(name in shown for name in templates), shown


@pytest.mark.parametrize("shell", list(SHELLS))
def test_show_completion_prints_the_script_for_the_shell_it_runs_in(shell: str) -> None:
    path = program(shell, SHELLS[shell])
    # `; exit 0` keeps the shell alive as stretch's parent: stretch asks which shell it is.
    done = subprocess.run([path, "-c", f"{stretch_command()} --show-completion; exit 0"],
                          capture_output=True, text=True, timeout=30, env={
                              "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"})
    assert done.returncode == 0, done.stderr
    first_line = {
        "bash": "_stretch_completion() {",
        "zsh": "#compdef stretch",
        "fish": "complete --command stretch --no-files --arguments "
                '"(env _STRETCH_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args '
                '_TYPER_COMPLETE_ARGS=(commandline -cp) stretch)" --condition '
                '"env _STRETCH_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=is-args '
                '_TYPER_COMPLETE_ARGS=(commandline -cp) stretch"',
    }[shell]
    assert done.stdout.splitlines()[0] == first_line
