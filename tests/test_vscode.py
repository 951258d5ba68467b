"""The VS Code extension as a user gets it: `vsce package` builds the .vsix with only the
files that belong in it, and a real VS Code (code-server, in headless Chromium) installs
that .vsix, opens a routine with an error, shows the diagnostic in the Problems panel and
the hover text of a step keyword, through the extension's real `vscode-languageclient`
starting `stretch lsp` with the arguments it appends.

code-server comes from npm (.ci/install-code-server puts it in .ci/code-server/), Chromium
from apt, Playwright from PyPI; .ci/run installs all three and sets
STRETCH_REQUIRE_COMPONENTS=1, so in CI a missing one fails instead of skipping.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from components import program, require, stretch_command
from conftest import ROOT

VSCODE = ROOT / "editors" / "vscode"
VSCE = VSCODE / "node_modules" / ".bin" / "vsce"
CODE_SERVER = ROOT / ".ci" / "code-server" / "node_modules" / ".bin" / "code-server"
CHROMIUM = "/usr/bin/chromium"
NPM_CI = "npm ci --prefix editors/vscode"

# Everything in the .vsix outside node_modules: the extension's own files.
EXTENSION_FILES = {
    "extension/package.json", "extension/extension.js", "extension/readme.md",
    "extension/LICENSE.txt", "extension/language-configuration.json",
    "extension/syntaxes/stretch.tmLanguage.json",
}
PACKAGE_FILES = {"[Content_Types].xml", "extension.vsixmanifest"}

ROUTINE = """\
routine "Calf stretch"
  targets: calves
  hold 30 "Lean into the wall"
  rest 10s
"""


@pytest.fixture(scope="module")
def vsix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extension packaged by `vsce package`, as docs/editors.md says to build it."""
    program("node", "apt-get install nodejs npm")
    require("@vscode/vsce", VSCE.exists(), NPM_CI)
    out = tmp_path_factory.mktemp("vsix") / "stretch-vscode.vsix"
    done = subprocess.run([str(VSCE), "package", "--out", str(out)], cwd=VSCODE,
                          capture_output=True, text=True, timeout=180,
                          stdin=subprocess.DEVNULL)  # no terminal: vsce must not ask
    assert done.returncode == 0, done.stdout + done.stderr
    assert "DONE  Packaged:" in done.stdout
    return out


def _runtime_packages() -> set[str]:
    """The packages `npm ci --omit=dev` would install: the language client and what it
    needs, from the lock file."""
    lock = json.loads((VSCODE / "package-lock.json").read_text(encoding="utf-8"))
    return {
        path.removeprefix("node_modules/")
        for path, entry in lock["packages"].items()
        if path.startswith("node_modules/") and not entry.get("dev")
        and "/node_modules/" not in path.removeprefix("node_modules/")
    }


def test_vsix_holds_only_the_extension_and_its_runtime_packages(vsix: Path) -> None:
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
    own = {n for n in names if not n.startswith("extension/node_modules/")}
    assert own == EXTENSION_FILES | PACKAGE_FILES
    packages = {
        "/".join(n.split("/")[2:4]) if n.split("/")[2].startswith("@") else n.split("/")[2]
        for n in names - own
    }
    assert packages == _runtime_packages()
    assert "vscode-languageclient" in packages
    assert not {"@vscode/vsce", "vscode-textmate", "vscode-oniguruma"} & packages
    assert not any(n.endswith((".vsix", ".ts", ".map")) or "/test/" in n.split("node_modules")[0]
                   for n in names)
    assert manifest["license"] == "MIT"
    assert manifest["repository"]["url"].startswith("https://github.com/")


# --- a real VS Code -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def code_server(vsix: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[str, Path]]:
    """code-server with the packaged extension installed, serving a folder with a
    routine."""
    require("code-server 4.100.3", CODE_SERVER.exists(), "run .ci/install-code-server")
    require("chromium", Path(CHROMIUM).exists(), "apt-get install chromium")
    require("Playwright", importlib.util.find_spec("playwright") is not None,
            "pip install playwright")
    base = tmp_path_factory.mktemp("code-server")
    folder = base / "routines"
    folder.mkdir()
    (folder / "calf.stretch").write_text(ROUTINE, encoding="utf-8")
    user_data, extensions = base / "user-data", base / "extensions"
    settings = user_data / "User" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({
        "security.workspace.trust.enabled": False,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "extensions.ignoreRecommendations": True,
        "telemetry.telemetryLevel": "off",
        # A virtual environment's `stretch`, as docs/editors.md says to set it (the
        # extension host takes its PATH from a login shell, not from this process).
        "stretch.server.command": [stretch_command(), "lsp"],
    }), encoding="utf-8")
    env = {
        **os.environ,
        "XDG_CONFIG_HOME": str(base / "config"), "XDG_DATA_HOME": str(base / "data"),
        "HOME": str(base),
    }
    common = ["--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    installed = subprocess.run([str(CODE_SERVER), *common, "--install-extension", str(vsix)],
                               env=env, capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert "was successfully installed" in installed.stdout, installed.stdout
    assert (extensions / "stretch-dsl.stretch-vscode-0.1.0" / "extension.js").is_file()
    port = _free_port()
    log = (base / "code-server.log").open("w")
    process = subprocess.Popen(
        [str(CODE_SERVER), *common, "--auth", "none", "--bind-addr", f"127.0.0.1:{port}",
         "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
         str(folder)],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/?folder={folder}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.3)
        else:
            pytest.fail("code-server did not listen: " + (base / "code-server.log").read_text())
        yield url, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_vscode_shows_the_diagnostic_and_the_hover(code_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, base = code_server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.wait_for_selector(".monaco-workbench", timeout=60_000)
            time.sleep(2)  # the workbench restores its layout before it takes keys
            page.keyboard.press("Control+P")
            quick_open = page.locator(".quick-input-widget input")
            quick_open.wait_for(timeout=15_000)
            quick_open.fill("calf.stretch")
            page.locator(".quick-input-list .monaco-list-row").first.wait_for(timeout=15_000)
            page.keyboard.press("Enter")
            editor = page.locator(".monaco-editor .view-lines")
            expect(editor).to_contain_text('hold 30 "Lean into the wall"', timeout=20_000)

            page.keyboard.press("Control+Shift+M")
            problems = page.locator(".markers-panel")
            # The message of P102 and its code, as `stretch check` words it.
            expect(problems).to_contain_text("this amount has no unit, found text in quotes",
                                             timeout=60_000)
            expect(problems).to_contain_text("P102")

            keyword = editor.locator(".view-line span span", has_text="rest").last
            keyword.hover()
            # The markdown rendered: **rest** (step): a rest, in or out of the stretch
            hover = page.locator(".monaco-hover-content", has_text="(step):")
            expect(hover).to_contain_text("rest (step): a rest, in or out of the stretch",
                                          timeout=30_000)
        except Exception:
            page.screenshot(path=str(base / "failure.png"))
            raise
        finally:
            browser.close()
