"""`stretch new`: each template formatted, clean and valid; the routine named after its file;
never replacing anything (a file, a folder, a link, one that appears meanwhile); every
message with its code, path and wording; --list, --template, `-`, completion."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner
from unprivileged import run_as_nobody, shared_folder

from dsl import templates
from dsl.cli import app
from dsl.cli.new import _complete_template, target
from dsl.format.formatter import format_text
from dsl.lint.checker import check
from dsl.source import files
from dsl.syntax.parser import parse
from dsl.timeline.compiler import compile_routine
from dsl.timeline.contract import validation_errors

runner = CliRunner()
NAMES = [t.name for t in templates.TEMPLATES]
SHIPPED = ROOT / "dsl" / "templates"


def lint(text: str, name: str = "new.stretch") -> list[str]:
    """Every diagnostic at default settings, information included, as ``CODE message``."""
    return [f"{d.code} {d.message}" for d in check(parse(text, name))]


def leftovers(folder: Path) -> list[str]:
    """Temporary files a write could leave behind (``.NAME.xxxx.tmp``)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- the templates ---------------------------------------------------------------------------


def test_every_shipped_file_is_a_listed_template_and_the_default_comes_first() -> None:
    assert sorted(p.name for p in SHIPPED.glob("*.stretch")) == sorted(
        t.file_name for t in templates.TEMPLATES)
    assert NAMES == ["static-hold", "contract-relax", "breathing", "exercises"]
    assert templates.DEFAULT == "static-hold"


@pytest.mark.parametrize("name", NAMES)
def test_each_template_is_formatted_clean_and_compiles_to_valid_json(name: str) -> None:
    template = templates.find(name)
    assert template is not None
    text = template.text()
    assert text == (SHIPPED / template.file_name).read_text(encoding="utf-8")
    result = format_text(text, template.file_name)
    assert result.formatted == text and not result.changed  # as `stretch fmt` prints it
    assert lint(text, template.file_name) == []  # no finding, not even information
    parsed = parse(text, template.file_name)
    assert parsed.routine is not None
    document = compile_routine(parsed.routine, path=template.file_name)
    assert validation_errors(document) == []
    # It teaches by example: comments for the coach, a title and an id to replace.
    assert text.count("\n#") + text.startswith("#") >= 2
    assert text.count('\nroutine "') == 1 and text.count("\n  id: ") == 1


def test_the_templates_show_what_each_kind_of_routine_needs() -> None:
    relax = templates.find("contract-relax")
    breathing = templates.find("breathing")
    hold = templates.find("static-hold")
    assert relax is not None and breathing is not None and hold is not None
    assert "\n  on pain " in relax.text() and "\n  limit cycles " in relax.text()
    assert "\n  limit contractions " not in relax.text()  # cycles bound them here
    assert "\n    contract " in relax.text() and "\n    relax " in relax.text()
    assert "\n    inhale " in breathing.text() and "\n    hold-breath " in breathing.text()
    assert "\n    hold 20-30s " in hold.text() and "\n  targets: " in hold.text()
    exercises = templates.find("exercises")
    assert exercises is not None
    assert exercises.text().count("\n  exercise ") == 2
    assert "\n  parameter hold: " in exercises.text()
    assert "\n      variant harder: " in exercises.text()
    assert "\n    variant harder only:" in exercises.text()


def test_a_template_name_is_found_in_any_case() -> None:
    assert templates.find(" Contract-Relax ") is templates.TEMPLATES[1]
    assert templates.find("contract") is None


@pytest.mark.parametrize(("stem", "title", "short"), [
    ("hamstring-hold", "Hamstring hold", "hamstring-hold"),
    ("calf_wall stretch", "Calf wall stretch", "calf-wall-stretch"),
    ("Hip.Flexor--Lunge", "Hip Flexor Lunge", "hip-flexor-lunge"),
    ("étirement du mollet", "Étirement du mollet", "etirement-du-mollet"),
    ("2024-calf", "2024 calf", "routine-2024-calf"),
    ('say "ouch"\\now', 'Say "ouch"\\now', "say-ouch-now"),
    ("ストレッチ", "ストレッチ", ""),
    ("bell\x07\u202eend", "Bellend", "bell-end"),
])
def test_a_routine_is_named_after_its_file(stem: str, title: str, short: str) -> None:
    assert templates.title(stem) == title
    assert templates.routine_id(stem) == short


def test_the_title_and_id_replace_the_templates_own() -> None:
    hold = templates.TEMPLATES[0]
    text = templates.named(hold, "Calf wall")
    assert text == hold.text().replace(
        'routine "Seated hamstring stretch"', 'routine "Calf wall"').replace(
        "id: seated-hamstring-stretch", "id: calf-wall")
    quoted = templates.named(hold, 'my "best" \\ one')
    assert '\nroutine "My \\"best\\" \\\\ one"\n' in quoted
    assert parse(quoted, "x.stretch").routine.title == 'My "best" \\ one'  # type: ignore[union-attr]
    no_id = templates.named(hold, "ストレッチ")
    assert "\n  id:" not in no_id and '\nroutine "ストレッチ"\n' in no_id
    # No letter or digit: the template's title stays, and there is no id.
    assert templates.named(hold, "---") == hold.text().replace(
        "  id: seated-hamstring-stretch\n", "")


@settings(max_examples=150, deadline=None)
@given(stem=st.text(min_size=0, max_size=40), name=st.sampled_from(NAMES))
def test_any_file_name_gives_a_routine_that_is_formatted_and_clean(stem: str, name: str) -> None:
    template = templates.find(name)
    assert template is not None
    text = templates.named(template, stem)
    assert lint(text) == []
    assert format_text(text, "new.stretch").formatted == text
    parsed = parse(text, "new.stretch")
    assert parsed.routine is not None
    wanted = templates.title(stem)
    assert parsed.routine.title == (wanted or parse(template.text(), "t").routine.title)  # type: ignore[union-attr]
    assert parsed.routine.id == (templates.routine_id(stem) or None)


# --- creating a file --------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_new_creates_a_clean_routine_from_each_template(tmp_path: Path, name: str) -> None:
    path = tmp_path / "hamstring-hold.stretch"
    result = runner.invoke(app, ["new", "--template", name, str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f"created {path} from the {name} template\n"
        f"next: change the words in quotes, then check it with `stretch lint {path}`\n")
    text = path.read_text(encoding="utf-8")
    template = templates.find(name)
    assert template is not None
    assert text == templates.named(template, "hamstring-hold")
    assert '\nroutine "Hamstring hold"\n  id: hamstring-hold\n' in text
    assert leftovers(tmp_path) == []
    linted = runner.invoke(app, ["lint", str(path)])
    assert (linted.exit_code, linted.stdout) == (0, "")
    assert linted.stderr == "linted 1 file: no problems\n"
    formatted = runner.invoke(app, ["fmt", "--check", str(path)])
    assert formatted.exit_code == 0 and formatted.stderr == "1 file already formatted\n"


def test_the_default_template_is_the_static_hold(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", str(tmp_path / "calf.stretch")])
    assert result.exit_code == 0
    assert (tmp_path / "calf.stretch").read_text() == templates.named(
        templates.TEMPLATES[0], "calf")


def test_short_option_and_the_suffix_added_to_a_name_without_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "-t", "breathing", "evening-breath"])
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "created evening-breath.stretch from the breathing template\n")
    assert '\nroutine "Evening breath"\n' in Path("evening-breath.stretch").read_text()
    assert not Path("evening-breath").exists()
    assert target("notes.txt") == Path("notes.txt")  # a name's own extension is kept
    other = runner.invoke(app, ["new", "notes.txt"])
    assert other.exit_code == 0
    assert other.stderr == (
        "created notes.txt from the static-hold template\n"
        "note: the name does not end in .stretch, so a search of its folder "
        "(`stretch lint FOLDER`) will not find it\n"
        "next: change the words in quotes, then check it with `stretch lint notes.txt`\n")
    assert '\nroutine "Notes"\n' in Path("notes.txt").read_text()
    assert target("a/b") == Path("a/b.stretch")
    assert target(".stretch") == Path(".stretch")


def test_the_new_file_has_the_mode_a_plain_open_gives(tmp_path: Path) -> None:
    path = tmp_path / "calf.stretch"
    assert runner.invoke(app, ["new", str(path)]).exit_code == 0
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
    assert path.stat().st_nlink == 1  # the staged name is gone


def test_dash_prints_the_template_as_shipped(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in NAMES:
        result = runner.invoke(app, ["new", "--template", name, "-"])
        assert result.exit_code == 0
        assert result.stdout == (SHIPPED / f"{name}.stretch").read_text(encoding="utf-8")
        assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []


def test_list_shows_each_template_with_what_it_is_for() -> None:
    result = runner.invoke(app, ["new", "--list"])
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == (
        "static-hold     a stretch held for a time, repeated on each side (default)\n"
        "contract-relax  contract-relax (PNF) with a pain handler and a limit on cycles, "
        "contractions and effort\n"
        "breathing       a breathing exercise in counts, with breath holds and a time box\n"
        "exercises       several exercises in one routine, with a value the therapist sets "
        "and easier and harder variants\n")


def test_template_names_complete_with_what_they_are_for() -> None:
    assert _complete_template("") == [(t.name, t.about) for t in templates.TEMPLATES]
    assert _complete_template("c") == [("contract-relax", templates.TEMPLATES[1].about)]
    assert _complete_template("x") == []


def test_the_help_says_what_new_does() -> None:
    result = runner.invoke(app, ["new", "--help"])
    assert result.exit_code == 0
    assert "Start a routine file from a template that lints clean" in result.stdout
    assert "--template" in result.stdout and "--list" in result.stdout
    said = " ".join(result.stdout.split())  # however the help is wrapped
    assert all(name in said for name in NAMES)
    assert "static-hold (the default)" in said
    listed = runner.invoke(app, ["--help"]).stdout
    assert "  new " in listed


# --- never replacing anything -----------------------------------------------------------


N001_FILE = ("error[N001]: this file already exists: nothing was written\n"
             "  --> {path}:1:1\n"
             "  = help: stretch new never replaces a file: choose another name, or move the "
             "existing file away first\n")


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    path = tmp_path / "calf.stretch"
    path.write_bytes(b'routine "Mine"\n  hold 30s "My words"\n')
    before = path.stat()
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == N001_FILE.format(path=path)
    assert path.read_bytes() == b'routine "Mine"\n  hold 30s "My words"\n'
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_ino == before.st_ino
    assert leftovers(tmp_path) == []


def test_the_file_the_suffix_names_is_not_replaced_either(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("calf.stretch").write_text("mine")
    result = runner.invoke(app, ["new", "calf"])
    assert result.exit_code == 2
    assert result.stderr == N001_FILE.format(path="calf.stretch")
    assert Path("calf.stretch").read_text() == "mine"


def test_a_link_even_to_nothing_is_not_replaced_or_followed(tmp_path: Path) -> None:
    link = tmp_path / "calf.stretch"
    link.symlink_to(tmp_path / "elsewhere.stretch")
    result = runner.invoke(app, ["new", str(link)])
    assert result.exit_code == 2
    assert result.stderr == N001_FILE.format(path=link)
    assert link.is_symlink() and not (tmp_path / "elsewhere.stretch").exists()


def saved_while_staging(monkeypatch: pytest.MonkeyPatch, path: Path, text: str) -> None:
    """Another program saves ``path`` after ``stretch new`` has checked the name is free
    and staged its file, before the file is put in place."""
    real_stage = files.stage

    def stage_then_someone_saves(where: Path, data: str | bytes | Iterable[bytes], *,
                                 flush: bool = False) -> files.Staged:
        staged = real_stage(where, data, flush=flush)
        path.write_text(text)
        return staged

    monkeypatch.setattr(files, "stage", stage_then_someone_saves)


def test_a_file_appearing_while_new_writes_is_not_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "calf.stretch"
    saved_while_staging(monkeypatch, path, "saved meanwhile by an editor")
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 2
    assert result.stderr == N001_FILE.format(path=path)
    assert path.read_text() == "saved meanwhile by an editor"
    assert leftovers(tmp_path) == []


def test_without_hard_links_the_file_is_created_exclusively(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_hard_links(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(os, "link", no_hard_links)
    path = tmp_path / "calf.stretch"
    assert runner.invoke(app, ["new", str(path)]).exit_code == 0
    assert path.read_text() == templates.named(templates.TEMPLATES[0], "calf")
    assert leftovers(tmp_path) == []
    # ... and a file appearing meanwhile is still not replaced.
    other = tmp_path / "hip.stretch"
    saved_while_staging(monkeypatch, other, "saved meanwhile")
    result = runner.invoke(app, ["new", str(other)])
    assert result.exit_code == 2 and result.stderr == N001_FILE.format(path=other)
    assert other.read_text() == "saved meanwhile"
    assert leftovers(tmp_path) == []


def test_a_folder_is_not_a_routine_file(tmp_path: Path) -> None:
    (tmp_path / "routines").mkdir()
    for written in (str(tmp_path / "routines"), str(tmp_path / "routines") + "/"):
        result = runner.invoke(app, ["new", written])
        assert result.exit_code == 2
        assert result.stderr == (
            "error[N001]: this is a folder: nothing was written\n"
            f"  --> {written}:1:1\n"
            "  = help: name the routine file to create in it: `stretch new "
            f"{os.path.join(written, 'my-routine.stretch')}`\n")
    assert list((tmp_path / "routines").iterdir()) == []
    assert not (tmp_path / "routines.stretch").exists()


# --- folders that are not there, and files that cannot be written -----------------------


def test_a_missing_folder_is_refused_not_made(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "routnes/calf.stretch"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error[N002]: the folder `routnes` does not exist: nothing was written\n"
        "  --> routnes/calf.stretch:1:1\n"
        "  = help: check the path, or make the folder first: `mkdir -p routnes`\n")
    assert list(tmp_path.iterdir()) == []
    spaced = runner.invoke(app, ["new", "my routines/calf"])
    assert spaced.stderr.endswith("`mkdir -p 'my routines'`\n")
    folder = runner.invoke(app, ["new", "later/"])  # a folder, named as one, not there
    assert folder.exit_code == 2
    assert folder.stderr == (
        "error[N002]: the folder `later/` does not exist: nothing was written\n"
        "  --> later/:1:1\n"
        "  = help: check the path, or make the folder first: `mkdir -p later/`\n")
    assert list(tmp_path.iterdir()) == []


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("mine")
    result = runner.invoke(app, ["new", "notes.txt/calf.stretch"])
    assert result.exit_code == 2
    assert result.stderr == (
        "error[N002]: `notes.txt` is a file, not a folder: nothing was written\n"
        "  --> notes.txt/calf.stretch:1:1\n"
        "  = help: check the path: the routine file goes in a folder\n")
    assert Path("notes.txt").read_text() == "mine"


def test_a_file_the_system_refuses_is_reported_and_nothing_is_left(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "link", disk_full)
    path = tmp_path / "calf.stretch"
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        "error[N003]: cannot create this file: No space left on device; nothing was written\n"
        f"  --> {path}:1:1\n"
        "  = help: check the folder's permissions and free space, or write the routine "
        "somewhere else\n")
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_folder_is_reported_for_real() -> None:
    with shared_folder() as folder:
        folder.chmod(0o555)
        done = run_as_nobody(folder, "new", "calf.stretch")
        folder.chmod(0o755)
        assert done.returncode == 2, done.stderr
        assert done.stderr == (
            "error[N003]: cannot create this file: Permission denied; nothing was written\n"
            "  --> calf.stretch:1:1\n"
            "  = help: check the folder's permissions and free space, or write the routine "
            "somewhere else\n")
        assert list(folder.iterdir()) == []


def test_a_name_with_control_characters_is_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "calf\x1b[2J.stretch"
    path.write_text("mine")
    result = runner.invoke(app, ["new", str(path)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "calf\\x1b[2J.stretch:1:1" in result.stderr
    folder = tmp_path / "new\nline"
    missing = runner.invoke(app, ["new", str(folder / "calf.stretch")])
    assert missing.exit_code == 2
    assert missing.stderr.count("\n") == 3  # the message, the path and the hint
    assert "new\\x0aline` does not exist" in missing.stderr
    made = runner.invoke(app, ["new", str(tmp_path / "hip\x07.stretch")])
    assert made.exit_code == 0 and "\x07" not in made.stderr
    assert f"created {tmp_path}/hip\\x07.stretch from" in made.stderr


def test_the_next_step_quotes_a_name_for_the_shell(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "my calf.stretch"])
    assert result.exit_code == 0
    assert result.stderr.endswith("check it with `stretch lint 'my calf.stretch'`\n")
    Path("my routines").mkdir()
    folder = runner.invoke(app, ["new", "my routines"])
    assert folder.stderr.endswith(
        "name the routine file to create in it: `stretch new 'my routines/my-routine.stretch'`\n")


# --- usage errors -----------------------------------------------------------------------


@pytest.mark.parametrize(("arguments", "message"), [
    (["new", "--template", "contract", "x.stretch"],
     "no template `contract`; did you mean `contract-relax`? (`stretch new --list` lists them)"),
    (["new", "--template", "yoga", "x.stretch"],
     "no template `yoga` (`stretch new --list` lists them)"),
    (["new"], "name the routine file to create: `stretch new hamstring-hold.stretch` "
              "(or - to print the template)"),
    (["new", ""], "name the routine file to create: `stretch new hamstring-hold.stretch` "
                  "(or - to print the template)"),
    (["new", "--list", "x.stretch"],
     "--list only lists the templates: leave out FILE and --template"),
    (["new", "--list", "--template", "breathing"],
     "--list only lists the templates: leave out FILE and --template"),
])
def test_usage_errors_say_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     arguments: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, arguments)
    assert result.exit_code == 2
    assert result.stderr == f"stretch: error: {message}\n"
    assert list(tmp_path.iterdir()) == []


# --- the codes, and the command as users run it -----------------------------------------


def test_the_codes_are_documented_and_explained() -> None:
    for code, name in (("N001", "already-exists"), ("N002", "no-such-folder"),
                       ("N003", "cannot-create")):
        result = runner.invoke(app, ["explain", code])
        assert result.exit_code == 0
        assert result.stdout.startswith(f"{code} {name} (stretch new: always an error)\n\n")
    rules_md = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "## Codes of `stretch new` (N)\n" in rules_md
    assert "### N001 already-exists\n" in rules_md


def test_the_documented_message_is_what_new_prints(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    text = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(error\[N001\].*?)```", text, re.DOTALL)
    assert shown is not None
    monkeypatch.chdir(tmp_path)
    Path("routines").mkdir()
    Path("routines/calf.stretch").write_text("mine")
    assert runner.invoke(app, ["new", "routines/calf.stretch"]).stderr == shown.group(1)


def test_stretch_new_as_installed(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "dsl", "new", "-t", "contract-relax",
                           "partner-pnf"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    created = tmp_path / "partner-pnf.stretch"
    assert '\nroutine "Partner pnf"\n  id: partner-pnf\n' in created.read_text()
    again = subprocess.run([sys.executable, "-m", "dsl", "new", "partner-pnf.stretch"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2
    assert again.stderr == N001_FILE.format(path="partner-pnf.stretch")


def test_the_readme_quick_start_runs(tmp_path: Path) -> None:
    """The README's first commands, as a new user types them (the package installed)."""
    import json
    import re
    import shlex

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first, then = re.findall(r"```sh\n(.*?)```", start, re.DOTALL)[:2]
    assert first.startswith("python -m pip install . && stretch new ")
    typed = first.removeprefix("python -m pip install . && ") + then
    stretch = f"stretch() {{ {shlex.quote(sys.executable)} -m dsl \"$@\"; }}\n"
    done = subprocess.run(["bash", "-e", "-c", stretch + typed], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    metadata = json.loads(done.stdout)["metadata"]
    assert (metadata["title"], metadata["id"]) == ("Hamstring hold", "hamstring-hold")
    assert "linted 1 file: no problems" in done.stderr


def test_the_language_guides_commands_run(tmp_path: Path) -> None:
    import re
    import shlex

    guide = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    section = guide.split("## Starting a routine", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)[0].splitlines()
    assert len(commands) == 4
    (tmp_path / "routines").mkdir()
    stretch = f"stretch() {{ {shlex.quote(sys.executable)} -m dsl \"$@\"; }}\n"
    shown = []
    for command in commands:
        done = subprocess.run(["bash", "-c", stretch + command], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (command, done.stderr)
        shown.append(done.stdout)
    assert (tmp_path / "hamstring-hold.stretch").exists()
    created = (tmp_path / "routines" / "hamstring-pnf.stretch").read_text()
    assert '\nroutine "Hamstring pnf"\n  id: hamstring-pnf\n' in created
    assert shown[2].startswith("static-hold ")
    assert shown[3] == (SHIPPED / "breathing.stretch").read_text(encoding="utf-8")
