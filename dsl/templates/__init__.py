"""The starting routines ``stretch new`` writes.

Each template is a real ``.stretch`` file in this folder, shipped in the package: a coach
can read it as it is, ``stretch fmt`` leaves it unchanged, and ``stretch lint`` finds
nothing in it (tests/test_new_cli.py holds each one to that). ``TEMPLATES`` lists them in
the order ``stretch new --list`` shows them, with what each one is for.

A new routine takes its title and id from its file name (``hamstring-hold.stretch`` gives
``routine "Hamstring hold"`` and ``id: hamstring-hold``); everything else is the
template's, comments included, for the coach to change.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import resources

import msgspec

from dsl.model.printer import quote


class Template(msgspec.Struct, frozen=True):
    """A starting routine: its name (``--template NAME``) and what it is for."""

    name: str
    about: str

    @property
    def file_name(self) -> str:
        return f"{self.name}.stretch"

    def text(self) -> str:
        """The template as shipped, with its own title and id."""
        shipped = resources.files(__name__).joinpath(self.file_name)
        return shipped.read_text(encoding="utf-8")


TEMPLATES = (
    Template("static-hold", "a stretch held for a time, repeated on each side"),
    Template("contract-relax", "contract-relax (PNF) with a pain handler and a limit on "
             "cycles, contractions and effort"),
    Template("breathing", "a breathing exercise in counts, with breath holds and a time box"),
    Template("exercises", "several exercises in one routine, with a value the therapist "
             "sets and easier and harder variants"),
)
"""Every template, the default first."""

DEFAULT = TEMPLATES[0].name


def find(name: str) -> Template | None:
    """The template with this name (any case), or None."""
    wanted = name.strip().lower()
    return next((t for t in TEMPLATES if t.name == wanted), None)


# The template's title line and id line: each template has exactly one of each (tested).
_TITLE_LINE = re.compile(r'^routine "(?:[^"\\\n]|\\.)*"', re.MULTILINE)
_ID_LINE = re.compile(r"^  id: \S+\n", re.MULTILINE)
_SEPARATORS = re.compile(r"[\s_.-]+")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def named(template: Template, stem: str) -> str:
    """The template's text with the title and id a file name gives (``stem`` is the name
    without ``.stretch``). A name with no letter or digit keeps the template's title; a
    name with no Latin letter or digit has no id (an id is Latin letters, digits and
    ``-``, starting with a letter), and its id line is left out."""
    text = template.text()
    wanted = title(stem)
    if wanted:
        text = _TITLE_LINE.sub(lambda _: f"routine {quote(wanted)}", text, count=1)
    short = routine_id(stem)
    return _ID_LINE.sub(f"  id: {short}\n" if short else "", text, count=1)


def title(stem: str) -> str:
    """``hamstring-hold`` → ``Hamstring hold``: separators become spaces, the first letter
    a capital, the rest as written; characters that cannot be shown are left out."""
    words = _SEPARATORS.sub(" ", _CONTROLS.sub("", stem)).strip()
    return words[:1].upper() + words[1:]


def routine_id(stem: str) -> str:
    """``Hamstring Hold`` → ``hamstring-hold``: lower-case Latin letters and digits
    joined by ``-`` (accents dropped); ``routine-`` in front when it would start with a
    digit; "" when nothing is left."""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    short = "-".join(re.findall(r"[a-z0-9]+", plain.lower()))
    if short and not short[0].isalpha():
        short = f"routine-{short}"
    return short
