"""The fixes of the parser's codes: a misspelt keyword with one close match, and
typographic quotes. The parser reports the problem and stops (or, for values, goes on);
these only read the text and the diagnostic, so the parser knows nothing about fixing.

A "did you mean" is only a fix when the hint names exactly one word (``suggestion``):
the word at the diagnostic is replaced by it. That is safe: the file did not parse, and
it now reads as the keyword it was one slip away from.
"""

from __future__ import annotations

from dsl import model as m
from dsl.diagnostics import Diagnostic
from dsl.lint.rules import Context, Edit, Fix, Fixable, Fixer, take_suggestion
from dsl.model import printer

_KEYWORD = Fixable("safe", "replaces the word with the one keyword it is close to")


def keyword(context: Context, found: Diagnostic) -> Fix | None:
    """Replace a misspelt word with the one keyword the hint suggests."""
    return take_suggestion(context, found, "safe")


_CLOSING = {"\u201c": "\u201d", "\u201e": "\u201c\u201d", "\u201d": "\u201d", "\u00ab": "\u00bb"}


def straight_quotes(context: Context, found: Diagnostic) -> Fix | None:
    """Replace a pair of typographic double quotes with straight ones (single curly
    quotes are left alone: ’ is also an apostrophe, so the pair is not certain)."""
    span = found.span
    line = context.lines[span.line - 1] if 0 < span.line <= len(context.lines) else ""
    start = span.column - 1
    if start >= len(line) or line[start] not in _CLOSING:
        return None
    end = next((i for i in range(start + 1, len(line)) if line[i] in _CLOSING[line[start]]),
               None)
    if end is None or '"' in line[start + 1:end] or "\\" in line[start + 1:end]:
        return None
    edits = (Edit(m.Span(span.line, start + 1, span.line, start + 2), '"'),
             Edit(m.Span(span.line, end + 1, span.line, end + 2), '"'))
    return Fix("Use straight double quotes", "safe", edits)


def quote_rest(context: Context, found: Diagnostic) -> Fix | None:
    """Put the rest of the line, from the unquoted word to a comment, in double quotes."""
    span = found.span
    line = context.lines[span.line - 1] if 0 < span.line <= len(context.lines) else ""
    words = line[span.column - 1:].split("#", 1)[0].rstrip()
    if not words or '"' in words or "\\" in words:
        return None
    end = span.column + len(words)
    return Fix(f"Put `{words}` in double quotes", "unsafe", (
        Edit(m.Span(span.line, span.column, span.line, end), printer.quote(words)),))


FIXES: dict[str, tuple[Fixable, Fixer]] = {
    "P103": (_KEYWORD, keyword),
    "P115": (_KEYWORD, keyword),
    "P201": (Fixable("safe", "replaces the level with the one it is close to"), keyword),
    "P202": (Fixable("safe", "replaces the setting with the one it is close to"), keyword),
    "P203": (Fixable("safe", "replaces the limit's kind with the one it is close to"),
             keyword),
    "P205": (Fixable("safe", "replaces the signal with the one it is close to"), keyword),
    "P206": (Fixable("safe", "replaces the word with the frequency or period it is close "
                     "to"), keyword),
    "P209": (Fixable("safe", "replaces the scope with the one it is close to"), keyword),
    "P139": (Fixable("safe", "replaces the name with the parameter it is close to"), keyword),
    "P106": (Fixable("safe", "replaces a pair of typographic double quotes with straight "
                     "ones"), straight_quotes),
    "P104": (Fixable("unsafe", "puts the rest of the line, up to a comment, in double quotes "
                     "(a word meant as a keyword becomes text: check it)"), quote_rest),
}
"""The parser's codes that can be fixed: what the fix does, and the function that makes it
(the registry, ``dsl.codes``, adds them to the codes of ``dsl.syntax.codes``)."""
