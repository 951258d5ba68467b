"""Inline suppression comments: ``# stretch: ignore[S104]`` and ``# stretch: ignore-file[...]``.

At the end of a line the comment silences the named rules on that line; on a line of its
own, on the next statement line; ``ignore-file`` silences them in the whole file. Rules
are named by code or kebab-case name. Stale or invalid suppressions are reported by the
X rules (``unused-suppression``, ``invalid-suppression``).
"""

from __future__ import annotations

import re

import msgspec

from dsl import model as m
from dsl.diagnostics import Diagnostic, Severity
from dsl.source.text import Source
from dsl.suggestions import did_you_mean

_DIRECTIVE = re.compile(
    r"\bstretch:\s*(?P<kind>ignore-file|ignore)(?![\w-])(?P<list>\s*\[(?P<codes>[^\]]*)\])?",
    re.IGNORECASE,
)
FILE_WIDE = 0


class Entry(msgspec.Struct, frozen=True):
    """One rule named in a suppression comment: ``code`` is the rule's code once resolved
    (None when the name matches no rule), ``span`` where it is written."""

    written: str
    code: str | None
    span: m.Span


class Suppression(msgspec.Struct, frozen=True):
    """One suppression comment: the line it applies to (``FILE_WIDE`` for the whole file)
    and the rules it names."""

    line: int
    entries: tuple[Entry, ...]
    span: m.Span  # the directive in the comment


def find(comments: tuple[m.Comment, ...], source: Source) -> tuple[list[Suppression],
                                                                    list[Diagnostic]]:
    """The suppressions in a file's comments, and X102 problems (without a path: the
    caller fills it in) for comments that name nothing valid."""
    from dsl.codes import find_rule

    found: list[Suppression] = []
    problems: list[Diagnostic] = []
    for comment in comments:
        match = _DIRECTIVE.search(comment.text)
        if match is None:
            continue
        start = comment.column + match.start()
        directive = m.Span(comment.line, start, comment.line, comment.column + match.end())
        entries: list[Entry] = []
        for written, begin, end in named(comment.text, match):
            rule = find_rule(written)
            span = m.Span(comment.line, comment.column + begin, comment.line,
                          comment.column + end)
            entries.append(Entry(written, rule.code if rule else None, span))
            if rule is None:
                problems.append(_invalid(written, span))
        if not entries:
            problems.append(Diagnostic(
                "X102", "this suppression comment names no rule", "", directive,
                hint="name the codes it silences, such as `# stretch: ignore[S104]`",
                name="invalid-suppression",
            ))
            continue
        if match.group("kind").lower() == "ignore-file":
            line = FILE_WIDE
        elif comment.own_line:
            line = _next_statement(source.lines, comment.line)
        else:
            line = comment.line
        found.append(Suppression(line, tuple(entries), directive))
    return found, problems


def named(comment: str, match: re.Match[str] | None = None) -> list[tuple[str, int, int]]:
    """The codes and names a suppression comment lists, each with its 0-based start and
    end in the comment's text (empty when the comment is no suppression)."""
    match = match or _DIRECTIVE.search(comment)
    if match is None or match.group("codes") is None:
        return []
    offset = match.start("codes")
    return [(piece.group(), offset + piece.start(), offset + piece.end())
            for piece in re.finditer(r"[^,\s]+", match.group("codes"))]


def _invalid(written: str, span: m.Span) -> Diagnostic:
    if re.fullmatch(r"[Pp]\d{3}", written):
        message = f"`{written.upper()}` is a syntax problem, which cannot be silenced"
        hint = "fix the syntax: the routine cannot be read until it is fixed"
    else:
        message = f"`{written}` in this suppression comment is not a rule"
        hint = "use a rule's code or name (`stretch rules` lists them)"
        from dsl.codes import rules

        hint = (did_you_mean(written, [r.code for r in rules()])
                or did_you_mean(written, [r.name for r in rules()]) or hint)
    return Diagnostic("X102", message, "", span, hint=hint, name="invalid-suppression")


def _next_statement(lines: list[str], line: int) -> int:
    for number in range(line + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if text and not text.startswith("#"):
            return number
    return -1  # nothing follows: silences nothing


def apply(
    diagnostics: list[Diagnostic], suppressions: list[Suppression],
    enabled: dict[str, Severity], path: str,
) -> list[Diagnostic]:
    """The diagnostics the suppressions leave, plus X101 for each named rule that
    silenced nothing (when that rule is enabled at all)."""
    if not suppressions:
        return diagnostics
    used: set[tuple[int, int]] = set()
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if diagnostic.code[0] in "PX" or not _silenced(diagnostic, suppressions, used):
            kept.append(diagnostic)
    if "X101" in enabled:
        for s_index, suppression in enumerate(suppressions):
            for e_index, entry in enumerate(suppression.entries):
                if (s_index, e_index) in used or entry.code is None:
                    continue
                if entry.code not in enabled:
                    continue  # turned off by the configuration: nothing to silence
                where = "in this file" if suppression.line == FILE_WIDE else "here"
                kept.append(Diagnostic(
                    "X101", f"the suppression of `{entry.written}` silences nothing {where}",
                    path, entry.span, enabled["X101"],
                    hint=f"remove `{entry.written}` from the comment: the problem it "
                    "silenced is gone", name="unused-suppression",
                ))
    return kept


def _silenced(
    diagnostic: Diagnostic, suppressions: list[Suppression], used: set[tuple[int, int]]
) -> bool:
    silenced = False
    for s_index, suppression in enumerate(suppressions):
        if suppression.line not in (FILE_WIDE, diagnostic.span.line):
            continue
        for e_index, entry in enumerate(suppression.entries):
            if entry.code == diagnostic.code:
                used.add((s_index, e_index))
                silenced = True
    return silenced
