"""Start-up: a one-file command imports what it needs and nothing more.

Each command runs as ``stretch`` runs it, in a fresh interpreter that then writes down
every module in ``sys.modules``; modules a command has no use for must not be among them.
The time itself is measured by ``bench/startup.py``, never here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from dsl.cli.application import COMMANDS

SEED = ROOT / "examples" / "hip-and-hamstring.stretch"

# Never needed to lint, check or compile one routine: schema validation (compiling writes
# JSON the tests validate, it does not validate it itself), the language server, the
# terminal display, worker processes, TOML (no configuration file here), the JSON report,
# Lark itself (the generated parser has its tables), the schema's loading (compiling needs
# only its version).
NOT_NEEDED = {"lark", "importlib.resources", "jsonschema", "pygls", "rich", "multiprocessing",
              "concurrent.futures", "tomllib", "dsl.outputs.json_report", "dsl.outputs.sarif",
              "dsl.lsp", "dsl.player", "dsl.format", "dsl.exports", "fit_tool", "icalendar"}
NOT_NEEDED_PREFIXES = tuple(f"{name}." for name in NOT_NEEDED)


# Runs the `stretch` entry point, then lists what the process imported.
DRIVER = """
import sys
from dsl.__main__ import main
sys.argv = ["stretch", *sys.argv[2:]]
try:
    main()
finally:
    with open(sys.argv_modules, "w") as listing:
        listing.write("\\n".join(sorted(sys.modules)))
"""


def imported(tmp_path: Path, *arguments: str) -> set[str]:
    """Every module `stretch ARGUMENTS` imports, run in a folder with no configuration."""
    shutil.copy(SEED, tmp_path / SEED.name)
    listing = tmp_path / "modules.txt"
    driver = DRIVER.replace("sys.argv_modules", repr(str(listing)))
    done = subprocess.run([sys.executable, "-c", driver, "-", *arguments],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    return set(listing.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("arguments", [
    ("lint", SEED.name), ("compile", SEED.name, "-o", "routine.json"), ("check", SEED.name),
], ids=lambda a: a[0])
def test_a_one_file_command_imports_only_what_it_needs(tmp_path: Path,
                                                       arguments: tuple[str, ...]) -> None:
    modules = imported(tmp_path, *arguments)
    assert "dsl.syntax.parser" in modules  # the check can see what was imported
    assert {m for m in modules if m in NOT_NEEDED or m.startswith(NOT_NEEDED_PREFIXES)} == set()
    # Typer builds every registered command before it runs one: only this one is there.
    others = {f"dsl.cli.{name}" for name in COMMANDS if name != arguments[0]}
    assert modules & others == set()


def test_the_check_would_see_a_module_that_is_not_needed(tmp_path: Path) -> None:
    modules = imported(tmp_path, "lint", "--format", "json", SEED.name)
    assert "dsl.outputs.json_report" in modules


def test_help_still_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "dsl", "--help"], capture_output=True,
                          text=True, timeout=120)
    listed = [line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines()
              if line.strip()]
    assert listed == list(COMMANDS)


def test_export_help_lists_its_formats_in_order() -> None:
    done = subprocess.run([sys.executable, "-m", "dsl", "export", "--help"],
                          capture_output=True, text=True, timeout=120)
    listed = [line.split()[0] for line in done.stdout.split("Commands:")[1].splitlines()
              if line.strip()]
    assert listed == ["ics", "fit", "html"]


def test_export_fit_help_lists_its_options_in_order() -> None:
    """The output first, then the shared run choice as every fixed output lists it, then
    what is the watch's own, then what compiling takes."""
    done = subprocess.run([sys.executable, "-m", "dsl", "export", "fit", "--help"],
                          capture_output=True, text=True, timeout=120)
    # `  -o, --output FILE  ...`, `  --flat  ...`: the long name of each option.
    listed = [next(w for w in line.split() if w.startswith("--"))
              for line in done.stdout.split("Options:")[1].splitlines()
              if line.startswith("  -")]
    assert listed == ["--output", "--ranges", "--passes", "--flat", "--set", "--variant",
                      "--help"]


@pytest.mark.parametrize("form", ["ics", "fit"])
def test_an_exports_help_imports_no_encoder(tmp_path: Path, form: str) -> None:
    """The encoders (icalendar, fit-tool) are imported when a file is written, not to
    build the command line."""
    modules = imported(tmp_path, "export", form, "--help")
    assert "dsl.cli.export" in modules
    assert {m for m in modules if m.split(".")[0] in ("icalendar", "fit_tool")} == set()


def test_new_imports_no_parser_linter_or_compiler(tmp_path: Path) -> None:
    """`stretch new` copies a template: it reads, checks and compiles nothing."""
    modules = imported(tmp_path, "new", "calf.stretch")
    assert "dsl.templates" in modules and (tmp_path / "calf.stretch").exists()
    heavy = ("lark", "dsl.syntax", "dsl.lint", "dsl.timeline", "dsl.format", "jsonschema")
    assert {m for m in modules if m in heavy or m.startswith(tuple(f"{h}." for h in heavy))} \
        == set()
