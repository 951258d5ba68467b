"""The public Python API (docs/api.md): each name works as documented, `__all__` is the
documented list, deprecated names warn once and still work, `import dsl` loads nothing
heavy, and a program using the API type-checks under mypy strict."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT

import dsl

EXAMPLE = EXAMPLES / "hip-and-hamstring.stretch"
API_DOC = ROOT / "docs" / "api.md"
BAD = ROOT / "tests" / "fixtures" / "compile" / "bad" / "too-many-cycles.stretch"


def documented_names() -> set[str]:
    """The names in the first column of docs/api.md's tables, deprecated ones apart."""
    text = API_DOC.read_text(encoding="utf-8")
    current = text.partition("## Deprecated names")[0]
    names = set()
    for cell in re.findall(r"^\| ([^|]+) \|", current, re.MULTILINE):
        names.update(re.findall(r"`(\w+)`", cell))
    return names


def deprecated_names() -> dict[str, str]:
    text = API_DOC.read_text(encoding="utf-8").partition("## Deprecated names")[2]
    return dict(re.findall(r"^\| `(\w+)` \| `(\w+)`", text, re.MULTILINE))


def test_all_is_the_documented_list() -> None:
    assert set(dsl.__all__) == documented_names() | {"__version__"}
    assert sorted(dsl.__all__) == dsl.__all__
    for name in dsl.__all__:
        assert getattr(dsl, name) is not None, name


def test_no_public_name_shadows_a_builtin() -> None:
    import builtins

    assert not set(dsl.__all__) & set(dir(builtins))


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="module 'dsl' has no attribute 'lint'"):
        dsl.__getattr__("lint")


def test_parse_file_parse_and_parse_bytes_agree() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    from_file = dsl.parse_file(EXAMPLE)
    assert isinstance(from_file, dsl.ParsedFile)
    assert from_file.ok and from_file.routine is not None
    assert dsl.parse(text, str(EXAMPLE)).routine == from_file.routine
    assert dsl.parse_bytes(text.encode("utf-8"), str(EXAMPLE)).routine == from_file.routine


def test_parse_file_reports_an_unreadable_file(tmp_path: Path) -> None:
    parsed = dsl.parse_file(tmp_path / "missing.stretch")
    assert parsed.routine is None and not parsed.ok
    assert all(isinstance(d, dsl.Diagnostic) for d in parsed.diagnostics)


def test_lint_parsed_and_lint_file_are_what_stretch_lint_reports() -> None:
    found = dsl.lint_file(BAD)
    assert found == dsl.lint_parsed(dsl.parse_file(BAD))
    assert [d.code for d in found if d.severity == "error"] == ["L101"]
    run = dsl.lint_paths([BAD])
    assert isinstance(run, dsl.LintRun)
    assert run.diagnostics == found
    shown = subprocess.run([sys.executable, "-m", "dsl", "lint", "--format", "json", str(BAD)],
                           capture_output=True, text=True, cwd=ROOT)
    codes = [d["code"] for d in json.loads(shown.stdout)["diagnostics"]]
    assert codes == [d.code for d in found]


def test_lint_with_the_nearest_configuration(tmp_path: Path) -> None:
    routine = tmp_path / "hamstring.stretch"
    routine.write_bytes(BAD.read_bytes())
    (tmp_path / "stretch.toml").write_text('ignore = ["L101"]\n', encoding="utf-8")
    config = dsl.config_for(routine)
    assert isinstance(config, dsl.Config)
    assert "L101" in {d.code for d in dsl.lint_file(routine)}  # the built-in configuration
    assert "L101" not in {d.code for d in dsl.lint_file(routine, config)}


def test_config_for_a_bad_configuration_raises(tmp_path: Path) -> None:
    (tmp_path / "stretch.toml").write_text("select = [\n", encoding="utf-8")
    with pytest.raises(dsl.ConfigError):
        dsl.config_for(tmp_path / "x.stretch")


def test_compile_file_is_what_stretch_compile_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    compiled = dsl.compile_file("examples/hip-and-hamstring.stretch")
    assert isinstance(compiled, dsl.CompiledFile)
    assert compiled.errors == [] and compiled.document is not None
    golden = ROOT / "tests" / "fixtures" / "compile" / "hip-and-hamstring.json"
    assert compiled.text == golden.read_text(encoding="utf-8")
    assert compiled.text == dsl.dumps(compiled.document)
    routine = dsl.parse_file(EXAMPLE).routine
    assert routine is not None
    assert dsl.compile_routine(routine, path="examples/hip-and-hamstring.stretch") \
        == compiled.document


def test_compile_file_with_errors_has_no_document() -> None:
    compiled = dsl.compile_file(BAD)
    assert compiled.document is None and compiled.text is None
    assert [d.code for d in compiled.errors] == ["L101"]


def test_compile_routine_of_a_routine_too_long_raises() -> None:
    parsed = dsl.parse('routine "Long"\n  repeat 20000:\n    hold 1s "Hold"\n')
    assert parsed.routine is not None
    with pytest.raises(dsl.RoutineTooLong):
        dsl.compile_routine(parsed.routine)


def test_format_text() -> None:
    result = dsl.format_text('routine "Calf"\n  hold   20 seconds "Lean in"\n')
    assert isinstance(result, dsl.FormatResult)
    assert result.changed and result.formatted == 'routine "Calf"\n  hold 20s "Lean in"\n'
    broken = dsl.format_text('routine "Calf"\n  hold 20 "Lean in"\n')
    assert broken.formatted is None and broken.diagnostics
    assert issubclass(dsl.UnsafeFormatting, Exception)


@pytest.mark.parametrize(("old", "new"), sorted(deprecated_names().items()))
def test_deprecated_name_warns_once_and_still_works(old: str, new: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        function = getattr(dsl, old)
    assert len(caught) == 1
    [warning] = caught
    assert warning.category is DeprecationWarning
    assert str(warning.message) == (
        f"dsl.{old} is deprecated and will be removed in stretch 0.3.0: use dsl.{new} "
        "(same arguments)")
    assert warning.filename == __file__  # points at the caller's line
    assert function is getattr(dsl, new)
    parsed = dsl.parse_file(BAD)
    assert function(parsed) == dsl.lint_parsed(parsed)


def test_deprecated_names_are_documented_and_not_in_all() -> None:
    assert deprecated_names() == {"check": "lint_parsed"}
    assert not set(deprecated_names()) & set(dsl.__all__)


def test_import_dsl_loads_nothing_heavy() -> None:
    code = ("import sys, dsl; heavy = [m for m in ('lark', 'jsonschema', 'orjson', 'typer', "
            "'pygments', 'dsl.syntax', 'dsl.lint') if m in sys.modules]; print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_package_ships_py_typed() -> None:
    assert (ROOT / "dsl" / "py.typed").is_file()


def test_a_program_using_the_api_type_checks(tmp_path: Path) -> None:
    # The README's example, and the mistakes a type checker must catch with the API.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    good = tmp_path / "good.py"
    good.write_text(example.group(1), encoding="utf-8")
    bad = tmp_path / "bad.py"
    bad.write_text("import dsl\n"
                   "found: list[str] = dsl.lint_file('x.stretch')\n"
                   "dsl.compile_file('x.stretch').document['title']\n", encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
               "--cache-dir", str(tmp_path / "cache")]
    done = subprocess.run([*command, str(good)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([*command, str(bad)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert 'Incompatible types in assignment (expression has type "list[Diagnostic]"' \
        in done.stdout
    # The document is typed as the JSON contract (dsl.timeline.document), so a field the
    # contract does not have is caught too.
    assert 'TypedDict "Document" has no key "title"' in done.stdout


def test_fix_text_mends_what_lint_fix_mends() -> None:
    fixed = dsl.fix_text('routine "Calf"\n  hold 30s gentley "Lean in"  # soft\n')
    assert isinstance(fixed, dsl.Fixed)
    assert fixed.text == 'routine "Calf"\n  hold 30s gently "Lean in"  # soft\n'
    assert (fixed.fixed, fixed.remaining, fixed.changed) == (1, (), True)
