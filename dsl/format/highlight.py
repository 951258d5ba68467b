"""Syntax highlighting for Pygments (and so for Sphinx, MkDocs, and anything else that
highlights code with it): ``StretchLexer``, registered as ``stretch`` through the
``pygments.lexers`` entry point, for ``*.stretch`` files and ```` ```stretch ```` blocks.

Only what the language allows is matched: a character no rule knows (``@``, a typographic
quote) comes out as an ``Error`` token, as Pygments does for invalid input.
"""

from __future__ import annotations

from typing import ClassVar

# Typed when types-Pygments is installed; either way the lexer is checked by its tests.
from pygments.lexer import RegexLexer, bygroups, words  # type: ignore[import-untyped, unused-ignore]
from pygments.token import (  # type: ignore[import-untyped, unused-ignore]
    Comment,
    Keyword,
    Name,
    Number,
    Operator,
    Punctuation,
    String,
    Whitespace,
    _TokenType,
)

from dsl.model import STEP_KINDS
from dsl.model import words as language

# Words end where a name character or a hyphen would continue them: `hold` is not a word
# inside `breath-hold`.
_END = r"(?![\w'-])"
_START = r"(?<![\w'-])"
_NUM = r"\d+(?:\.\d+)?"
_NAME = r"[A-Za-z][A-Za-z0-9'-]*"
_PARAMETER = r"[A-Za-z][A-Za-z0-9_-]*"
_GAP = r"[ \t]+"

_DURATION_UNIT = "|".join(language.DURATION_SUFFIXES)

# The word lists come from dsl.model.words; only their colours are decided here.
_SETTINGS = language.SETTINGS
_STATEMENTS = language.STATEMENTS
_MODIFIERS = (
    *language.INTENSITY_WORDS, *language.MILD_SENSATIONS, *language.CONNECTIVES,
    *language.SIDES_WORDS, *language.PACE_WORDS, *language.VAGUE_AMOUNTS,
)
_UNITS = (*language.UNIT_WORDS, *language.ANSWER_UNITS)
_CONSTANTS = tuple(w for w in language.VALUES if w not in STEP_KINDS and w not in _MODIFIERS)


def _parts(*kinds: _TokenType) -> object:
    """One token type for each group of a rule's pattern (Pygments' ``bygroups``, whose
    stubs leave it untyped)."""
    return bygroups(*kinds)  # type: ignore[no-untyped-call, unused-ignore]


class StretchLexer(RegexLexer):  # type: ignore[misc, unused-ignore]
    """Pygments lexer for stretch routines (``.stretch`` files)."""

    name = "Stretch"
    aliases: ClassVar[list[str]] = ["stretch"]
    filenames: ClassVar[list[str]] = ["*.stretch"]
    mimetypes: ClassVar[list[str]] = ["text/x-stretch"]
    url = "https://github.com/stretch-dsl/stretch"

    tokens: ClassVar[dict[str, list[tuple[object, ...]]]] = {
        "root": [
            (r"[ \t]+|\r?\n|\r", Whitespace),
            (r"#.*?$", Comment.Single),
            (r'"', String.Double, "string"),
            # Sessions and programmes: the word after a statement word names something.
            (rf"{_START}(do)({_GAP})({_NAME})", _parts(Keyword.Reserved, Whitespace, Name.Label)),
            (rf"{_START}(set|progress)({_GAP})({_PARAMETER})(?=[ \t]*:)",
             _parts(Keyword.Reserved, Whitespace, Name.Variable)),
            (rf"{_START}(start)({_GAP})(stage)([ \t]*)(:)([ \t]*)({_NAME})",
             _parts(Keyword.Reserved, Whitespace, Keyword.Reserved, Whitespace, Punctuation,
                      Whitespace, Name.Label)),
            (rf"{_START}(stage)({_GAP})({_NAME})",
             _parts(Keyword.Reserved, Whitespace, Name.Label)),
            (rf"{_START}(move)({_GAP})(up){_END}|{_START}(step)({_GAP})(back){_END}",
             _parts(Keyword.Reserved, Whitespace, Keyword.Reserved,
                      Keyword.Reserved, Whitespace, Keyword.Reserved)),
            # `per side`, `per session`: what a limit counts over, not a statement word.
            (rf"{_START}(per)({_GAP})(side|routine|session){_END}",
             _parts(Name.Builtin, Whitespace, Name.Builtin)),
            (words(_SETTINGS, prefix=_START, suffix=r"(?=[ \t]*:)"), Keyword.Declaration),
            (words(sorted(STEP_KINDS, key=len, reverse=True), prefix=_START, suffix=_END),
             Keyword),
            (words(_STATEMENTS, prefix=_START, suffix=_END), Keyword.Reserved),
            (words(language.CHANGE_WORDS, prefix=_START, suffix=_END), Keyword.Reserved),
            (rf"{_NUM}(?=[ \t]+(?:{'|'.join(_UNITS)}){_END})", Number, "unit"),
            (r"\d{4}-\d{2}-\d{2}(?![\d.])", Number),  # a date: `start: 2026-12-07`
            (r"\d{1,2}:\d{2}(?![\d.])", Number),  # a time of day: `at 07:30`
            (rf"{_NUM}%", Number),
            (rf"{_NUM}(?:{_DURATION_UNIT})(?:{_NUM}(?:sec|s))?(?![A-Za-z])", Number),
            (_NUM, Number),
            (words(_MODIFIERS, prefix=_START, suffix=_END), Name.Builtin),
            (words(_CONSTANTS, prefix=_START, suffix=_END), Name.Constant),
            (r"[A-Za-z][A-Za-z0-9'-]*", Name),
            (r"\{[A-Za-z][A-Za-z0-9_-]*\}", Name.Variable),  # a parameter: `hold {hold}`
            (r"[-=+]", Operator),  # `+5s a week`
            (r"[:,()/]", Punctuation),  # `variant: calf/easier`
        ],
        "unit": [  # the unit after a number: `5 counts`, `30 sec`
            (r"[ \t]+", Whitespace),
            (words(_UNITS, suffix=_END), Keyword.Type, "#pop"),
        ],
        "string": [
            (r"\\.", String.Escape),
            (r"\{\{|\}\}", String.Escape),  # a literal brace
            (r"\{[A-Za-z][A-Za-z0-9_-]*\}", String.Interpol),  # a placeholder: {side}
            (r'[^"\\\r\n{}]+', String.Double),
            (r"[{}]", String.Double),
            (r'"', String.Double, "#pop"),
            (r"\r?\n|\r", Whitespace, "#pop"),  # an unclosed string ends with its line
        ],
    }


def token_types(text: str) -> list[tuple[_TokenType, str]]:
    """The (token type, text) pairs the lexer makes of a text, for tests and tools."""
    return list(StretchLexer().get_tokens(text))
