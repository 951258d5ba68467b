"""The player page's screenshots in docs/images/: `python tests/regenerate_player_screenshots.py`
exports an example routine, plays it for 45 s on a fake clock in headless Chromium and
saves the page at a phone's size (360x640, player.png) and a desktop's (1280x800,
player-desktop.png). tests/test_web_player.py makes them too, in a temporary folder."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROUTINE = ROOT / "examples" / "hip-and-hamstring.stretch"
SIZES = (("player.png", 360, 640), ("player-desktop.png", 1280, 800))


def screenshots(browser: Any, folder: Path) -> list[Path]:
    from dsl.cli import app

    page_file = folder / "player.html"
    try:
        app(["export", "html", str(ROUTINE), "-o", str(page_file)], standalone_mode=False)
    except SystemExit as done:
        assert not done.code, done.code
    made = []
    for name, width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.add_init_script("speechSynthesis.speak = () => {};")
        page.clock.install(time=0)
        page.goto(page_file.as_uri())
        page.clock.pause_at(10)  # seconds
        page.click("#play")
        page.click("#ready")  # past the untimed setup step
        page.clock.run_for(12_000)
        page.evaluate("document.activeElement.blur()")
        target = folder / name
        page.screenshot(path=str(target))
        made.append(target)
        context.close()
    return made


def main() -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    with sync_playwright() as p, tempfile.TemporaryDirectory() as scratch:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu"])
        for made in screenshots(browser, Path(scratch)):
            target = ROOT / "docs" / "images" / made.name
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(made.read_bytes())
            print(f"wrote {target.relative_to(ROOT)}")
        browser.close()


if __name__ == "__main__":
    main()
