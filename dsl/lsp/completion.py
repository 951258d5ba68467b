"""Completion: what may come next where the cursor stands.

At the start of a line, the statements that may stand there (what the enclosing block,
found by indentation, allows); after ``targets:``, the target names; after an amount,
intensity words; after a number, units; after ``limit``, ``sides:``, ``level:``,
``partner:``, ``on`` and ``variant``, their choices (for ``variant``, the names the
routine declares too; after ``variant NAME:`` under a step, ``leave out``). In a session
or a programme, their statements, what may stand under a ``do`` line, and after ``do``
the ids of the library the file's references resolve in (``engine.library_ids``); in a
programme, after ``do NAME``, ``on`` or ``daily``, and after ``on``, the days. Only the
lines above the cursor are read, so completion works while the file has errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dsl import model as m
from dsl.lsp import engine
from dsl.lsp.words import (
    BLOCK_ITEMS,
    CHANGE_DOCS,
    EXERCISE_ITEMS,
    GROUP_ITEMS,
    INTENSITIES,
    LIMIT_DOCS,
    PROGRAMME_ITEMS,
    ROUTINE_ITEMS,
    SESSION_ITEMS,
    SIDES,
    STAGE_ITEMS,
    STEP_DETAILS,
    UNITS,
    UNITS_FOR_ONE,
    USE_DOCS,
    USE_ITEMS,
    VARIANT_ONLY,
    WORD_DOCS,
    Token,
    meaningful,
    scan,
    statement_doc,
)
from dsl.model.placeholders import SIDE_WORDS
from dsl.model.plans import DAY_WORDS, EVERY_DAY_WORDS
from dsl.model.words import VARIANT_NAMES

_CLOSED_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')

ItemKind = Literal["keyword", "value", "unit", "target", "parameter", "reference"]


@dataclass(frozen=True, slots=True)
class Item:
    """One completion: the label shown, what it inserts, and a short explanation."""

    label: str
    kind: ItemKind
    insert: str
    doc: str | None = None


def complete(lines: list[str], line: int, column: int, uri: str | None = None) -> list[Item]:
    """The completions for a cursor at a 1-based line and code-point column of the
    document at ``uri`` (whose project may name more targets)."""
    if not 1 <= line <= len(lines):
        return []
    text = lines[line - 1]
    tokens = scan(text[: column - 1])
    if _PLACEHOLDER_OPEN.search(text[: column - 1]):
        # In quoted text the side words may stand there too; elsewhere (an amount, a
        # repeat count) only a parameter.
        in_text = bool(tokens) and _open_string(tokens[-1])
        sides = _placeholders(tokens[-1].text, lines) if in_text else []
        return [*sides, *_parameter_names(lines)]
    if tokens and _open_string(tokens[-1]):
        return _placeholders(tokens[-1].text, lines)
    if tokens and tokens[-1].kind == "comment":
        return []
    if tokens and tokens[-1].kind == "word":
        tokens = tokens[:-1]  # the word being typed: the editor filters by it
    before = meaningful(tokens)
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    if not before:
        return _statements(lines, line, indent)
    if before[0].text == "variant":
        return _after_variant(before, lines, _parent(lines, line, indent))
    return _after(before, lines, uri)


_PLACEHOLDER_OPEN = re.compile(r"(?<!\{)\{[A-Za-z0-9_-]*$")
"""A ``{`` just typed (not a doubled, literal one), and the start of a name after it."""


def _parameter_names(lines: list[str]) -> list[Item]:
    """The parameters the document declares, for a ``{`` (in an amount, a repeat count or
    quoted text), each with its declaration as the explanation."""
    found: list[Item] = []
    for written in lines:
        declared = _DECLARATION.match(written)
        if declared is not None and all(i.label != declared.group(1) for i in found):
            found.append(Item(declared.group(1), "parameter", declared.group(1),
                              f"`{written.strip()}`"))
    return found


_DECLARATION = re.compile(r"[ \t]*parameter[ \t]+([A-Za-z][A-Za-z0-9_-]*)[ \t]*:")


def _open_string(token: Token) -> bool:
    """True for quoted text the cursor is still inside (no closing quote yet)."""
    return token.kind == "string" and _CLOSED_STRING.fullmatch(token.text) is None


_OPEN_PLACEHOLDER = re.compile(r"(?<!\{)(?:\{\{)*\{[A-Za-z0-9_-]*\Z")
"""Quoted text ending in a ``{`` that opens a placeholder (not a doubled brace), and the
start of a name after it."""
_SIDE_WORDS_DOC = {
    "side": "the side being worked: left or right",
    "Side": "the side being worked, capitalised: Left or Right",
    "other": "the other side: right while the left is worked",
    "Other": "the other side, capitalised",
}


def _placeholders(text: str, lines: list[str]) -> list[Item]:
    """The names a placeholder may use, when the cursor is just after its ``{``: the side
    words, in a routine with sides (``Routine.placeholder_names``, found from the lines)."""
    if _OPEN_PLACEHOLDER.search(text) is None:
        return []
    sided = any(
        [t.text for t in scan(line.lstrip(" \t"))[:3] if t.kind != "comment"][:2]
        == ["sides", ":"] and "none" not in line.split("#")[0] for line in lines)
    if not sided:
        return []
    return [Item(name, "value", name + "}", _SIDE_WORDS_DOC[name]) for name in SIDE_WORDS]


def _keywords(words: tuple[str, ...]) -> list[Item]:
    return [Item(word, "keyword", f"{word} ", statement_doc(word)) for word in words]


def _values(words: tuple[str, ...], docs: dict[str, str] | None = None) -> list[Item]:
    return [Item(w, "value", w, (docs or WORD_DOCS).get(w.split()[0])) for w in words]


def _statements(lines: list[str], line: int, indent: str) -> list[Item]:
    """The statements that may start a line with this indentation."""
    if not indent:
        return _keywords(("routine", "session", "programme"))
    parent = _parent(lines, line, indent)
    if parent == "session":
        return _keywords(SESSION_ITEMS)
    if parent == "programme":
        return _keywords(PROGRAMME_ITEMS)
    if parent == "stage":
        return _keywords(STAGE_ITEMS)
    if parent == "do":  # under a session's `do` line: what this use changes
        return [Item(w, "keyword", f"{w} ", USE_DOCS[w.rstrip(':')]) for w in USE_ITEMS]
    if parent in m.STEP_KINDS:
        return _keywords(STEP_DETAILS)
    if parent in ("repeat", "on", "variant", *SIDE_BLOCKS):
        # A `variant harder only:` block, or the steps a `variant harder:` puts in a
        # step's place, hold what a repeat holds.
        return [*_keywords(BLOCK_ITEMS), *_variant_blocks(lines)]
    if parent == "for":
        return _keywords(GROUP_ITEMS)
    if parent == "exercise":
        return [*_keywords(EXERCISE_ITEMS), *_variant_blocks(lines)]
    if parent in ("posture", "indications", "contraindications"):
        return []  # quoted lines only
    return [*_keywords(ROUTINE_ITEMS), *_variant_blocks(lines)]


SIDE_BLOCKS = ("left", "right")
"""The first word of a ``left only:`` block's line."""


def _variant_blocks(lines: list[str]) -> list[Item]:
    """``variant harder only:`` for each variant name, where ``left only:`` may stand."""
    return [Item(VARIANT_ONLY.format(name), "keyword", VARIANT_ONLY.format(name) + " ",
                 f"**variant {name} only:** {CHANGE_DOCS['only']}")
            for name in _variant_names(lines)]


def _variant_names(lines: list[str]) -> dict[str, str]:
    """``easier``, ``harder`` and the names the routine and its exercises declare
    (``variant chair "..."`` on them, not under a step), in that order, each with what
    it is (for a declared one, its declaration)."""
    names = {name: WORD_DOCS[name] for name in VARIANT_NAMES}
    for number, written in enumerate(lines, 1):
        declared = _VARIANT_DECLARATION.match(written)
        if declared is None or declared.group(2).lower() in names:
            continue
        if _parent(lines, number, declared.group(1)) in ("routine", "exercise"):
            names[declared.group(2).lower()] = f"`{written.strip()}`"
    return names


_VARIANT_DECLARATION = re.compile(r'([ \t]+)variant[ \t]+([A-Za-z][A-Za-z0-9\'-]*)[ \t]*"')


def _after_variant(before: list[Token], lines: list[str], parent: str | None) -> list[Item]:
    """After ``variant``: the variant names; after ``variant NAME:`` under a step, what
    the variant makes of it (``leave out``; an amount is typed as on the step)."""
    if len(before) == 1:
        names = _variant_names(lines)
        return _values(tuple(names), names)
    if len(before) == 3 and before[2].text == ":" and parent in m.STEP_KINDS:
        return _values(("leave out",), {"leave": CHANGE_DOCS["leave out"]})
    return []


def _parent(lines: list[str], line: int, indent: str) -> str | None:
    """The first word of the nearest line above that is indented less than ``indent``."""
    for above in reversed(lines[: line - 1]):
        stripped = above.lstrip(" \t")
        if not stripped or stripped.startswith("#"):
            continue
        if len(above) - len(stripped) < len(indent):
            words = [t for t in scan(stripped) if t.kind == "word"]
            return words[0].text if words else None
    return None


def _after(before: list[Token], lines: list[str], uri: str | None) -> list[Item]:
    """Completions after the first words of a statement."""
    first = before[0].text
    setting = len(before) >= 2 and before[1].text == ":"
    last = before[-1]
    if first == "do":
        return _after_do(before, lines, uri)
    if first == "targets" and setting:
        if last.text in (":", ",", "("):
            return [Item(n, "target", n, None) for n in _target_names(lines, uri)]
        return []
    if len(before) == 1 and first == "limit":
        return _values(tuple(LIMIT_DOCS), LIMIT_DOCS)
    if len(before) == 2 and setting:
        choices = {"sides": SIDES, "level": m.LEVELS, "partner": m.PARTNER_MODES}
        return _values(choices.get(first, ()))
    if len(before) == 1 and first == "on":
        return _values(m.SIGNALS)
    if len(before) == 1 and first in ("cue", "partner"):
        return _values(("at",), {"at": "when it is said, measured from the step's start"})
    if first in m.STEP_KINDS or first in ("switch", "repeat", "cue", "partner"):
        if last.kind == "number":
            units = ("times",) if first == "repeat" and len(before) == 2 else _units(before)
            return [Item(u, "unit", u, WORD_DOCS.get(u)) for u in units]
        if last.kind == "amount" and first in m.STEP_KINDS and len(before) == 2:
            return _values(INTENSITIES, {
                **WORD_DOCS, "to": WORD_DOCS["mild"],
                "at": "a contraction's effort as a share of the client's maximum: `at 30%`",
            })
    return []


def _after_do(before: list[Token], lines: list[str], uri: str | None) -> list[Item]:
    """After ``do``: the ids of the library; in a programme, after the name, ``on`` or
    ``daily``; after ``on`` (and each comma of the days), the day words."""
    if len(before) == 1:
        own = _own_id(lines)
        return [Item(name, "reference", name, f"`{where}`")
                for name, where in _library_ids(uri).items() if name != own]
    if _top(lines) != "programme":
        return []
    words = [t.text for t in before]
    if len(before) == 2:
        return _values(("on", *EVERY_DAY_WORDS), {
            "on": "the days of the week: `on mon, wed, fri`, `on weekdays`",
            "daily": "every day of the week"})
    if words[-1] in ("on", ",") and "on" in words and "at" not in words:
        return _values(tuple(DAY_WORDS), {})
    return []


def _library_ids(uri: str | None) -> dict[str, str]:
    """Each id of the library the document's references resolve in, with the file that
    declares it (relative to the document's folder when under it)."""
    if uri is None:
        return {}
    return engine.library_ids(uri)


def _top(lines: list[str]) -> str | None:
    """The first word of the document's first statement: ``routine``, ``session`` or
    ``programme``."""
    for text in lines:
        words = [t for t in scan(text) if t.kind == "word"]
        if words and not text[:1].isspace():
            return words[0].text
    return None


_OWN_ID = re.compile(r"[ \t]+id[ \t]*:[ \t]*([A-Za-z][A-Za-z0-9'-]*)")


def _own_id(lines: list[str]) -> str | None:
    """The document's own id (a session naming itself would be a cycle: not offered)."""
    for text in lines:
        found = _OWN_ID.match(text)
        if found is not None:
            return found.group(1)
    return None


def _units(before: list[Token]) -> tuple[str, ...]:
    """Units that agree with the number before them: one of a unit, or several (a range
    ``1-2`` is several)."""
    in_range = len(before) >= 2 and before[-2].text == "-"
    return UNITS_FOR_ONE if float(before[-1].text) == 1 and not in_range else UNITS


def _target_names(lines: list[str], uri: str | None) -> list[str]:
    """The vocabulary's names and the names the document already uses, sorted."""
    names = set(engine.target_names(uri))
    for text in lines:
        words = meaningful(scan(text))
        if len(words) > 2 and words[0].text == "targets" and words[1].text == ":":
            name: list[str] = []
            for token in [*words[2:], None]:
                if token is not None and token.kind == "word":
                    name.append(token.text)
                    continue
                if name:
                    names.add(" ".join(name))
                name = []
    return sorted(names)
