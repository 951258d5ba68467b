"""Project configuration: nearest file wins, select/ignore, severities, extra targets,
excluded paths, and clear errors for bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from dsl.lint.checker import check_file, lint_paths
from dsl.lint.config import DEFAULT, Config, ConfigError, Resolver, load
from dsl.source.files import discover

CONFIG = FIXTURES / "lint" / "config"
PROJECT = CONFIG / "project"


def _found(path: Path, config: Config) -> list[tuple[str, str]]:
    return [(d.code, d.severity) for d in check_file(path, config)]


def test_pyproject_table_is_used_for_files_below_it() -> None:
    config = Resolver().for_file(PROJECT / "routine.stretch")
    assert config.source == str(PROJECT / "pyproject.toml")
    assert _found(PROJECT / "routine.stretch", config) == [
        ("T101", "warning"),   # hamstrigns; `wobbly bits` comes from extend-targets
        ("S102", "info"),      # long-hold = "info" beats the `S` prefix
        ("S104", "error"),     # S = "error"
        ("S105", "error"),
    ]


def test_nearest_file_wins_and_stretch_toml_beats_pyproject() -> None:
    config = Resolver().for_file(PROJECT / "sub" / "deeper" / "routine.stretch")
    assert config.source == str(PROJECT / "sub" / "stretch.toml")
    codes = [code for code, _ in _found(PROJECT / "sub" / "deeper" / "routine.stretch",
                                        config)]
    assert codes == ["S106", "S102", "S104", "S105"]  # only S rules, default severities


def test_pyproject_without_a_stretch_table_is_passed_over() -> None:
    config = Resolver().for_file(CONFIG / "nostretch" / "inner" / "routine.stretch")
    assert config.source is None or not config.source.startswith(str(CONFIG / "nostretch"))


def test_exclude_skips_matching_files() -> None:
    files = discover([PROJECT])
    assert any("drafts" in str(f) for f in files)
    linted = [f.path for f in lint_paths(files, jobs=1).files]
    assert linted and not any("drafts" in p for p in linted)


def test_explicit_config_and_command_line_overrides() -> None:
    resolver = Resolver(PROJECT / "sub" / "stretch.toml")
    run = lint_paths([PROJECT / "routine.stretch"], resolver=resolver, select=("S104", "T"),
                     ignore=("unknown-target",), jobs=1)
    assert [d.code for d in run.diagnostics] == ["S104"]


def test_selectors_by_code_prefix_name_and_all(tmp_path: Path) -> None:
    path = tmp_path / "stretch.toml"
    path.write_text('select = ["ALL"]\nignore = ["S1", "unknown-target", "R101"]\n')
    enabled = load(path).enabled()
    assert "L101" in enabled and "X101" in enabled
    assert not {"S101", "T101", "R101"} & set(enabled)
    assert DEFAULT.enabled()["S106"] == "info"


@pytest.mark.parametrize(("text", "message"), [
    ("selct = []\n", "unknown setting `selct` (did you mean `select`?)"),
    ('select = ["Z9"]\n', "`Z9` is not a rule code, prefix or name"),
    ("ignore = 3\n", "`ignore` must be a list of strings"),
    ('[severity]\nS104 = "fatal"\n', "severity of `S104` must be one of error, warning, info"),
    ("select = [\n", "not valid TOML"),
])
def test_bad_settings_are_reported(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "stretch.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as error:
        load(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_tool_table_in_stretch_toml_and_missing_table_in_explicit_pyproject(
    tmp_path: Path,
) -> None:
    stretch = tmp_path / "stretch.toml"
    stretch.write_text('[tool.stretch]\nignore = ["S"]\n')
    assert "S101" not in load(stretch).enabled()
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"has no \[tool.stretch\] table"):
        load(pyproject)
