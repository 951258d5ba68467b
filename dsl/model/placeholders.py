"""Placeholders in quoted text: ``"Reach with your {side} hand"``, ``"Hold {hold}"``.

One form serves every name a text can stand for: the side being worked (``{side}``,
``{other}``, capitalised ``{Side}``, ``{Other}``) and the routine's parameters
(``{hold}``). ``{{`` and ``}}`` stand for a literal brace. The model keeps texts exactly
as written (so fmt prints them back unchanged); the compiler fills them in, and the
checker reports names it does not know and braces that open nothing.

This module only reads and fills texts: it knows no routine, so the parser, the checker,
the compiler and the players can all use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Literal

import msgspec

SIDE_WORDS: tuple[str, ...] = ("side", "Side", "other", "Other")
"""The placeholders that name a side: the one being worked and the other one, in lower
case or with a capital (to start a sentence)."""

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
"""What may stand between the braces: a word, as for ids and parameter names."""

_PIECE = re.compile(r"\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_-]*)\}|[{}]")


class Placeholder(msgspec.Struct, frozen=True):
    """One ``{name}`` in a text; ``start`` and ``end`` are offsets in the text (the
    braces included), for diagnostics."""

    name: str
    start: int
    end: int


class StrayBrace(msgspec.Struct, frozen=True):
    """A ``{`` or ``}`` that is neither a placeholder nor a doubled (literal) brace."""

    brace: Literal["{", "}"]
    start: int


def scan(text: str) -> tuple[list[Placeholder], list[StrayBrace]]:
    """The placeholders of a text and the braces that open or close nothing, in order."""
    found: list[Placeholder] = []
    stray: list[StrayBrace] = []
    if "{" not in text and "}" not in text:
        return found, stray
    for match in _PIECE.finditer(text):
        piece = match.group(0)
        if match.group(1) is not None:
            found.append(Placeholder(match.group(1), match.start(), match.end()))
        elif piece in ("{", "}"):
            stray.append(StrayBrace("{" if piece == "{" else "}", match.start()))
    return found, stray


def names(text: str) -> list[str]:
    """The names a text's placeholders use, in order (repeats kept)."""
    return [p.name for p in scan(text)[0]]


def has_placeholders(text: str) -> bool:
    return bool(scan(text)[0])


def fill(text: str, value: Callable[[str], str | None] | Mapping[str, str]) -> str:
    """The text with each placeholder replaced by its value and doubled braces undoubled.

    A placeholder whose value is None (or missing from the mapping) is kept as written,
    ``{name}``: a player fills it (docs/json.md, "Placeholders"). A stray brace is kept as
    it stands (the checker reports it)."""
    if "{" not in text and "}" not in text:
        return text
    lookup = value.get if isinstance(value, Mapping) else value

    def one(match: re.Match[str]) -> str:
        piece = match.group(0)
        if piece == "{{":
            return "{"
        if piece == "}}":
            return "}"
        name = match.group(1)
        if name is None:
            return piece
        filled = lookup(name)
        return piece if filled is None else filled

    return _PIECE.sub(one, text)


def fill_partly(text: str, value: Callable[[str], str | None] | Mapping[str, str]) -> str:
    """As ``fill``, but the result is still a template: literal braces stay doubled, and
    placeholders without a value stay ``{name}``. For texts the compiler can fill only in
    part (the parameters, but not a side it does not know yet)."""
    if "{" not in text and "}" not in text:
        return text
    lookup = value.get if isinstance(value, Mapping) else value

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)
        filled = lookup(name)
        if filled is None:
            return match.group(0)
        return filled.replace("{", "{{").replace("}", "}}")

    return _PIECE.sub(one, text)


def side_words(side: Literal["left", "right"]) -> dict[str, str]:
    """The side placeholders' values while ``side`` is being worked."""
    other = "right" if side == "left" else "left"
    return {"side": side, "Side": side.capitalize(), "other": other, "Other": other.capitalize()}


def written_offset(written: str, offset: int) -> int:
    """Where the character at ``offset`` of a text stands in the text as written between
    its quotes, ``written``: ``\\"`` and ``\\\\`` are one character of the text but two of
    the file. For diagnostics that point at a brace."""
    index = seen = 0
    while seen < offset and index < len(written):
        index += 2 if written[index] == "\\" and written[index + 1:index + 2] in ('"', "\\") \
            else 1
        seen += 1
    return index


def doubled(text: str, start: int) -> str:
    """The text with the brace at ``start`` doubled: how a literal brace is written."""
    return text[:start] + text[start] + text[start:]
