"""The packages as PyPI gets them: `python -m build` makes an sdist and a wheel holding
exactly the intended files (the tracked files of the package's folders, the licence, no
editor build output, no stray files), with the MIT licence declared, and `twine check`
passes on both."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from dsl._version import __version__

SDIST_PARTS = ["dsl", "schema", "docs", "examples",
               "pyproject.toml", "README.md", "CHANGELOG.md", "LICENSE"]
NAME = f"stretch_dsl-{__version__}"


def _tracked(*parts: str) -> set[str]:
    """The files git tracks under these paths (what a fresh clone holds)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout to know which files are tracked")
    done = subprocess.run(["git", "ls-files", "-z", "--", *parts], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return {name for name in done.stdout.split("\0") if name}


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build backend (hatchling) is a test dependency already.
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir",
                           str(out), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def test_the_sdist_holds_exactly_the_intended_files(dist: Path) -> None:
    with tarfile.open(dist / f"{NAME}.tar.gz") as archive:
        names = {m.name for m in archive.getmembers() if m.isfile()}
        pkg_info = archive.extractfile(f"{NAME}/PKG-INFO")
        assert pkg_info is not None
        metadata = pkg_info.read().decode("utf-8")
    # hatchling always adds the metadata and the .gitignore it selected files with.
    added = {f"{NAME}/PKG-INFO", f"{NAME}/.gitignore"}
    expected = {f"{NAME}/{path}" for path in _tracked(*SDIST_PARTS)} | added
    assert names == expected
    assert not [n for n in names if "node_modules" in n or n.endswith(".vsix")]
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata


def test_the_wheel_holds_the_package_schema_and_licence(dist: Path) -> None:
    with zipfile.ZipFile(dist / f"{NAME}-py3-none-any.whl") as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"{NAME}.dist-info/METADATA").decode("utf-8")
        licence = archive.read(f"{NAME}.dist-info/licenses/LICENSE").decode("utf-8")
    info = {f"{NAME}.dist-info/{n}" for n in
            ("METADATA", "WHEEL", "entry_points.txt", "licenses/LICENSE", "RECORD")}
    schemas = {f"dsl/schema/{kind}.schema.json" for kind in ("routine", "session", "programme")}
    assert names == _tracked("dsl") | schemas | info
    assert "dsl/py.typed" in names  # the API's types reach type checkers (PEP 561)
    # `stretch new`'s templates are files of the package, read from the installed wheel.
    assert {"dsl/templates/static-hold.stretch", "dsl/templates/contract-relax.stretch",
            "dsl/templates/breathing.stretch"} <= names
    # `stretch export html` reads the player's files from the installed package.
    assert {f"dsl/web/player/{name}" for name in
            ("engine.js", "page.js", "player.css", "page.html")} <= names
    # `stretch serve` serves the playground's files (its editor bundle) from the package.
    assert {f"dsl/web/playground/{name}" for name in
            ("editor.js", "index.html", "play.html", "play.js", "playground.css",
             "playground.js")} <= names
    # The handout's style sheet is read beside its module (`stretch handout`).
    assert {"dsl/exports/handout.py", "dsl/exports/handout.css"} <= names
    assert "License-Expression: MIT" in metadata
    assert licence == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")


def test_twine_check_passes(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *files],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2, done.stdout


def test_the_extension_carries_the_same_licence() -> None:
    assert (ROOT / "editors" / "vscode" / "LICENSE").read_text(encoding="utf-8") == (
        ROOT / "LICENSE").read_text(encoding="utf-8")


def test_stretch_new_writes_its_templates_from_the_installed_wheel(dist: Path,
                                                                   tmp_path: Path) -> None:
    """The templates are read as package data: from the wheel alone (no checkout on the
    path), `stretch new` finds each one."""
    site = tmp_path / "site"
    with zipfile.ZipFile(dist / f"{NAME}-py3-none-any.whl") as archive:
        archive.extractall(site)
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import dsl; "
             "assert dsl.__file__.startswith(sys.argv[1]), dsl.__file__; "
             "from dsl.cli import run; run(sys.argv[2:])")
    for name in ("static-hold", "contract-relax", "breathing"):
        done = subprocess.run([sys.executable, "-c", probe, str(site), "new", "--template",
                               name, f"my-{name}"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        created = (tmp_path / f"my-{name}.stretch").read_text(encoding="utf-8")
        shipped = (ROOT / "dsl" / "templates" / f"{name}.stretch").read_text(encoding="utf-8")
        assert created.count("\n") == shipped.count("\n")
        assert f"\n  id: my-{name}\n" in created
