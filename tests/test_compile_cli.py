"""`stretch compile`: stdout, -o, --out-dir, errors, atomic writes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from typer.testing import CliRunner, Result

from dsl.cli import app

SEED = ROOT / "examples" / "hip-and-hamstring.stretch"
GOLDEN = ROOT / "tests" / "fixtures" / "compile" / "hip-and-hamstring.json"
BAD = ROOT / "tests" / "fixtures" / "compile" / "bad" / "no-unit.stretch"
GOOD = ROOT / "tests" / "fixtures" / "compile" / "good"
EXAMPLE_FILES = sorted((ROOT / "examples").glob("*.stretch"))


def invoke(*args: str, cwd: Path = ROOT) -> Result:
    import os

    previous = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args))
    finally:
        os.chdir(previous)


def test_one_file_goes_to_stdout() -> None:
    result = invoke("compile", "examples/hip-and-hamstring.stretch")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    assert result.stderr == ""


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "seed.json"
    result = invoke("compile", "examples/hip-and-hamstring.stretch", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert [p.name for p in target.parent.iterdir()] == ["seed.json"]  # no temporary left


def test_errors_block_compilation_and_leave_the_output_untouched(tmp_path: Path) -> None:
    target = tmp_path / "routine.json"
    target.write_text("previous\n", encoding="utf-8")
    shutil.copy(BAD, tmp_path / "no-unit.stretch")
    result = invoke("compile", "no-unit.stretch", "-o", "routine.json", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error[P102]: this amount has no unit, found the end of the line\n"
        "  --> no-unit.stretch:2:10\n"
        "  |\n"
        "2 |   hold 30\n"
        "  |          ^\n"
        "  = help: amounts need a unit: `30s`, `1m30s`, `5 counts` or `3 breaths`\n"
        "\n"
        "not compiled: no-unit.stretch has errors\n"
    )
    assert target.read_text(encoding="utf-8") == "previous\n"


def test_a_broken_limit_blocks_compilation_like_lint_says(tmp_path: Path) -> None:
    target = tmp_path / "routine.json"
    target.write_text("previous\n", encoding="utf-8")
    shutil.copy(BAD.parent / "too-many-cycles.stretch", tmp_path / "cycles.stretch")
    result = invoke("compile", "cycles.stretch", "-o", "routine.json", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.startswith("error[L101]: ")
    assert "  --> cycles.stretch:" in result.stderr
    assert result.stderr.endswith("not compiled: cycles.stretch has errors\n")
    assert "warning[" not in result.stderr  # warnings are lint's to report
    assert target.read_text(encoding="utf-8") == "previous\n"


def test_several_files_need_out_dir() -> None:
    result = invoke("compile", "examples")
    assert result.exit_code == 2
    assert result.stderr == (f"stretch: error: {len(EXAMPLE_FILES)} routines to compile: use "
                             "--out-dir DIR to write "
                             "them (-o and standard output take one routine)\n")
    result = invoke("compile", str(SEED), str(GOOD / "minimal.stretch"), "-o", "x.json")
    assert result.exit_code == 2


def test_output_and_out_dir_together_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("compile", str(SEED), "-o", "x.json", "--out-dir", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == "stretch: error: use -o FILE or --out-dir DIR, not both\n"


def test_out_dir_mirrors_paths_below_the_common_folder(tmp_path: Path) -> None:
    tree = tmp_path / "library"
    (tree / "legs").mkdir(parents=True)
    shutil.copy(SEED, tree / "legs" / "hip.stretch")
    shutil.copy(GOOD / "minimal.stretch", tree / "minimal.stretch")
    out = tmp_path / "out"
    result = invoke("compile", "library", "--out-dir", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "compiled 2 of 2 routines into out\n"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.json")) == [
        "legs/hip.json", "minimal.json"]
    hip = json.loads((out / "legs" / "hip.json").read_text(encoding="utf-8"))
    assert hip["source"]["path"] == "library/legs/hip.stretch"


def test_out_dir_writes_the_good_ones_and_reports_the_bad(tmp_path: Path) -> None:
    shutil.copy(BAD, tmp_path / "bad.stretch")
    shutil.copy(GOOD / "minimal.stretch", tmp_path / "good.stretch")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "bad.json").write_text("kept\n", encoding="utf-8")
    result = invoke("compile", "bad.stretch", "good.stretch", "--out-dir", "out", cwd=tmp_path)
    assert result.exit_code == 1
    assert "error[P102]" in result.stderr
    assert result.stderr.endswith("compiled 1 of 2 routines into out: 1 not compiled\n")
    assert (tmp_path / "out" / "bad.json").read_text(encoding="utf-8") == "kept\n"
    assert (tmp_path / "out" / "good.json").is_file()


def test_standard_input_cannot_go_to_out_dir(tmp_path: Path) -> None:
    result = invoke("compile", "-", "--out-dir", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == ("stretch: error: `-` (standard input) cannot be compiled into "
                             "--out-dir; use -o FILE\n")


def test_standard_input_and_the_real_command() -> None:
    # One real process: the entry point, stdin, and byte-for-byte output.
    result = subprocess.run(
        [sys.executable, "-m", "dsl", "compile", "-"], input=SEED.read_bytes(),
        capture_output=True, cwd=ROOT, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["source"]["path"] is None
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    golden["source"]["path"] = None
    assert document == golden


# --- many files: -j, and outputs written together ----------------------------------------------


# Five examples by name (the library below does not change when examples are added).
LIBRARY_EXAMPLES = [ROOT / "examples" / f"{name}.stretch" for name in (
    "box-breathing", "calf-wall-stretch", "hip-and-hamstring", "hip-flexor-lunge",
    "partner-hamstring-pnf")]
EXAMPLE_COUNT = len(LIBRARY_EXAMPLES)


def _library(folder: Path) -> Path:
    """Five examples twice in two folders, and two routines with errors."""
    library = folder / "library"
    for index, example in enumerate(LIBRARY_EXAMPLES * 2):
        target = library / f"group-{index % 2}" / f"{index:02d}-{example.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(example, target)
    shutil.copy(BAD, library / "group-0" / "bad.stretch")
    shutil.copy(BAD, library / "group-1" / "worse.stretch")
    return library


def _compile(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dsl", "compile", "library", *args],
                          capture_output=True, text=True, cwd=folder, timeout=120)


def _outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def test_workers_write_what_one_process_writes(tmp_path: Path) -> None:
    library = _library(tmp_path)
    serial = _compile(tmp_path, "--out-dir", "serial", "-j1")
    parallel = _compile(tmp_path, "--out-dir", "parallel", "--jobs", "2")
    assert serial.returncode == parallel.returncode == 1
    # The same errors in the same order (the order of the paths), the same summary.
    assert parallel.stderr == serial.stderr.replace("serial", "parallel")
    assert serial.stderr.count("error[P102]") == 2
    assert serial.stderr.index("bad.stretch") < serial.stderr.index("worse.stretch")
    good = 2 * EXAMPLE_COUNT
    assert serial.stderr.endswith(
        f"compiled {good} of {good + 2} routines into serial: 2 not compiled\n")
    written = _outputs(tmp_path / "serial")
    assert len(written) == good and written == _outputs(tmp_path / "parallel")
    # Each is exactly what `compile_file` gives for that routine.
    example = library / "group-0" / "00-box-breathing.stretch"
    import dsl

    compiled = dsl.compile_file(example,
                                source_path="library/group-0/00-box-breathing.stretch")
    assert compiled.text is not None
    assert written["group-0/00-box-breathing.json"] == compiled.text.encode()


def test_jobs_must_be_a_positive_number(tmp_path: Path) -> None:
    result = invoke("compile", str(SEED), "-j", "0")
    assert result.exit_code == 2
    assert "Invalid value for '--jobs' / '-j'" in result.stderr


def test_an_output_that_cannot_be_written_replaces_none(tmp_path: Path) -> None:
    _library(tmp_path)
    out = tmp_path / "out"
    first = _compile(tmp_path, "--out-dir", "out", "-j2")
    assert first.returncode == 1
    before = _outputs(out)
    for path in out.rglob("*.json"):
        path.write_bytes(b"old\n")
    # A folder where one output should go: that file cannot be written.
    blocked = f"03-{LIBRARY_EXAMPLES[3].stem}.json"  # the fourth routine goes to group-1
    (out / "group-1" / blocked).unlink()
    (out / "group-1" / blocked).mkdir()
    for jobs in ("1", "2"):
        again = _compile(tmp_path, "--out-dir", "out", "-j", jobs)
        assert again.returncode == 2
        assert (f"stretch: error: cannot write out/group-1/{blocked}: a folder, "
                "not a regular file; nothing was written\n") in again.stderr
        assert "Traceback" not in again.stderr
        assert {p.read_bytes() for p in out.rglob("*.json") if p.is_file()} == {b"old\n"}
        assert not [p for p in out.rglob(".*")]  # no temporary file left behind
    assert len(before) == 2 * EXAMPLE_COUNT


def test_the_json_never_replaces_a_stretch_file(tmp_path: Path) -> None:
    routine = tmp_path / "calf.stretch"
    routine.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("compile", str(routine), "-o", str(routine))
    assert result.exit_code == 2
    assert result.stderr == (f"stretch: error: -o {routine}: the JSON is not written to a "
                             ".stretch file (write it to a .json file, such as "
                             "routine.json)\n")
    assert routine.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")


def test_set_and_variant_are_refused_for_a_session() -> None:
    session = ROOT / "examples" / "morning-legs.stretch"
    result = invoke("compile", str(session.relative_to(ROOT)), "--set", "hold=40s")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error[C009]: --set is for a routine; a session sets its routines' values and "
        "variants itself\n  --> examples/morning-legs.stretch:4:1\n")
    assert "= help: write them in the file: `set NAME: VALUE` and `variant:` under its " \
        "`do` lines\n" in result.stderr
    result = invoke("compile", "examples/six-weeks-looser-legs.stretch", "--variant", "harder")
    assert result.exit_code == 1
    assert "error[C009]: --variant is for a routine; a programme sets its routines' " \
        "values and variants itself" in result.stderr
