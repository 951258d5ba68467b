"""``stretch export html``: one self-contained player page a physiotherapist can e-mail.

The page holds the compiled document (JSON, as ``stretch compile`` writes it), the
JavaScript player (``dsl/web/player/engine.js``, the reference engine's behaviour, and
``page.js``, the screen and the voice), its style sheet, and the routine's local pictures
as data URIs; pictures on the web stay links. It fetches nothing (its Content Security
Policy forbids it), so it plays the same from a disk, a mail attachment or a server.
``player_page`` is also what ``stretch serve`` shows as its player page.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dsl.source.files import TooLarge, read_input

PLAYER = Path(__file__).resolve().parent.parent / "web" / "player"
"""The player's static files: engine.js, page.js, player.css and page.html."""

MAX_PICTURE_SIZE = 20_000_000
"""The largest picture embedded, in bytes: a page is e-mailed, and a photo is a few MB."""

PICTURE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
                 ".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml",
                 ".avif": "image/avif"}

_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SLOT = re.compile(r"<!--stretch:(title|css|routine|pictures|script)-->")


class ExportError(Exception):
    """A page that cannot be made; the message says why."""


@dataclass(frozen=True, slots=True)
class MissingPicture:
    """A local picture the routine names that is not there."""

    routine: Path | None  # the routine file that names it (a session's part), if known
    source: str  # as written
    looked_for: Path


class MissingPictures(ExportError):
    """Local pictures that do not exist: the page would show empty frames."""

    def __init__(self, missing: list[MissingPicture]) -> None:
        super().__init__("; ".join(f"image file `{m.source}` does not exist (looked for "
                                   f"{m.looked_for})" for m in missing))
        self.missing = missing


def player_page(document: dict[str, Any], *, base: Path | None,
                title: str | None = None, routine: Path | None = None) -> str:
    """The player page of a compiled routine or session, one HTML file.

    ``base`` is the folder the routine's picture paths are relative to (its file's
    folder); with None, local pictures are left out (their captions stay). ``title``
    defaults to the document's title; ``routine`` is the routine file, named in errors.
    Raises ``MissingPictures`` when a local picture is missing and ``ExportError`` when one
    cannot be embedded. The same document gives the same page, byte for byte."""
    pictures = embedded_pictures(document, base, routine)
    shown = title if title is not None else str(
        document.get("metadata", {}).get("title") or "Routine")
    parts = {
        "title": html.escape(shown, quote=False),
        "css": player_file("player.css"),
        "routine": _script_json(document),
        "pictures": _script_json(pictures),
        "script": player_script(),
    }
    return _SLOT.sub(lambda match: parts[match.group(1)], player_file("page.html"))


def player_file(name: str) -> str:
    """One of the player's static files, as text."""
    return (PLAYER / name).read_text(encoding="utf-8")


def player_script() -> str:
    """engine.js and page.js as one module script: the page cannot import another file
    (a page opened from disk may not load modules beside it)."""
    engine = re.sub(r"^export (?=(?:const|function|class) )", "", player_file("engine.js"),
                    flags=re.MULTILINE)
    page = re.sub(r'^import \{[^}]*\} from "\./engine\.js";\n', "", player_file("page.js"),
                  flags=re.MULTILINE)
    script = engine + "\n" + page
    # Inline, the script must not close its element; the player's code never needs to.
    assert "</script" not in script.lower() and "<!--" not in script
    return script


def embedded_pictures(document: dict[str, Any], base: Path | None,
                      routine: Path | None = None) -> dict[str, str]:
    """Each local picture of the document as a data URI, by its path as written (in a
    session, ``PART:path``: each part's paths are relative to its own routine file)."""
    found: dict[str, str] = {}
    missing: list[MissingPicture] = []
    if document.get("kind") == "session":
        for part in document.get("parts", []):
            inner = part.get("routine")
            if part.get("kind") != "routine" or not isinstance(inner, dict):
                continue
            where = None if base is None or not part.get("path") else \
                (base / str(part["path"])).parent
            named = None if base is None or not part.get("path") else base / str(part["path"])
            _collect(inner, where, named, f"{part['index']}:", found, missing)
    else:
        _collect(document, base, routine, "", found, missing)
    if missing:
        raise MissingPictures(missing)
    return dict(sorted(found.items()))


def _collect(document: dict[str, Any], base: Path | None, routine: Path | None,
             prefix: str, found: dict[str, str], missing: list[MissingPicture]) -> None:
    for source in sorted(set(_picture_sources(document))):
        if base is None or _REMOTE.match(source) or source.startswith("data:"):
            continue  # left as a link (or as written): the page fetches nothing
        path = base / source
        kind = PICTURE_TYPES.get(path.suffix.lower())
        if kind is None:
            raise ExportError(f"image file `{source}`: a page can show .png, .jpg, .gif, "
                              ".webp, .svg or .avif pictures, not "
                              f"`{path.suffix or '(no suffix)'}`")
        if not path.is_file():
            missing.append(MissingPicture(routine, source, path))
            continue
        try:
            data = read_input(path, MAX_PICTURE_SIZE)
        except TooLarge:
            raise ExportError(f"image file `{source}` is larger than "
                              f"{MAX_PICTURE_SIZE // 1_000_000} MB: make it smaller to "
                              "send it in a page") from None
        except OSError as error:
            raise ExportError(f"cannot read image file `{source}`: "
                              f"{error.strerror or error}") from error
        found[prefix + source] = f"data:{kind};base64,{base64.b64encode(data).decode()}"


def _picture_sources(value: Any) -> Iterator[str]:
    """The sources of every image in a compiled document: the routine's, each
    exercise's, each step's, in every timeline and in the tree."""
    if isinstance(value, dict):
        if value.get("kind") == "image" and isinstance(value.get("source"), str) \
                and "caption" in value:
            yield value["source"]
            return
        for item in value.values():
            yield from _picture_sources(item)
    elif isinstance(value, list):
        for item in value:
            yield from _picture_sources(item)


def _script_json(value: Any) -> str:
    """JSON to put inside a <script> element: ``<`` escaped, so no text in the routine
    can close the element or open a comment."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
