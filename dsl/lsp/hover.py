"""Hover: what the word under the cursor means.

Keywords get a short text from the language reference; targets what the vocabulary says
about them; amounts what they come to in seconds at the routine's tempo
(``5-15 counts`` is "5 to 15 counts = 5-15 s at 1 count = 1s"); a code in a suppression
comment its documentation. Only the hovered line and the ``tempo:`` line in force there
(an exercise's own, else the routine's) are read, so hover works while the rest of the
file has errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from dsl import model as m
from dsl.lsp import engine
from dsl.lsp.words import Token, change_doc, keyword_doc, meaningful, scan
from dsl.model import placeholders
from dsl.model.printer import duration, figure, number, unit_word
from dsl.syntax.parser import parse
from dsl.timeline.expand import DEFAULT_SECONDS, amount_seconds, seconds_per_unit


@dataclass(frozen=True, slots=True)
class Hover:
    """Markdown to show, and the 1-based line and code-point columns it is about (end
    exclusive)."""

    markdown: str
    line: int
    start: int
    end: int


def hover(lines: list[str], line: int, column: int, uri: str | None = None) -> Hover | None:
    """The hover for a 1-based line and code-point column of the lines of the document
    at ``uri`` (whose project may name more targets)."""
    if not 1 <= line <= len(lines):
        return None
    placeholder = _parameter_at(lines, line, column - 1)
    if placeholder is not None:
        return placeholder
    tokens = scan(lines[line - 1])
    comment = next((t for t in tokens if t.kind == "comment"), None)
    if comment is not None and comment.start <= column - 1 <= comment.end:
        return _suppressed_code(comment, line, column - 1)
    index = _token_at(tokens, column - 1)
    if index is None:
        return None
    token = tokens[index]
    text: str | None = None
    start, end = token.start, token.end
    if token.kind == "amount":
        text = describe_amount(token.text, tempo_of(lines, line))
    elif token.kind == "percent":
        low, _, high = token.text.rstrip("%").rpartition("-")
        share = f"{low} to {high}%" if low else f"{high}%"
        text = f"`{token.text}`: {share} of the client's maximum effort"
    elif token.kind == "word":
        words = meaningful(tokens)
        position = words.index(token)
        if words[0].text == "targets" and position > 1:
            found = _target_at(words, position, uri)
            if found is not None:
                text, start, end = found
        else:
            previous = words[position - 1].text if position else None
            following = words[position + 1].text if position + 1 < len(words) else None
            text = keyword_doc(token.text, previous, position == 0, following)
            if words[0].text == "variant" and position >= 2:
                # `variant easier: leave out`, `variant harder only:`
                text = change_doc(token.text) or text
    if text is None:
        return None
    return Hover(text, line, start + 1, end + 1)


def _parameter_at(lines: list[str], line: int, offset: int) -> Hover | None:
    """The declaration of the parameter whose ``{name}`` is under the cursor (in an
    amount, a repeat count or quoted text), or None."""
    for found in placeholders.scan(lines[line - 1])[0]:
        if found.start <= offset < found.end:
            for written in lines:
                declared = _DECLARATION.match(written)
                if declared is not None and declared.group(1) == found.name:
                    text = (f"**{found.name}** (parameter): `{written.strip()}`\n\nThe "
                            "coach sets it for each client (`stretch compile --set "
                            f"{found.name}=...`); the default otherwise.")
                    return Hover(text, line, found.start + 1, found.end + 1)
    return None


_DECLARATION = re.compile(r"[ \t]*parameter[ \t]+([A-Za-z][A-Za-z0-9_-]*)[ \t]*:")


def _suppressed_code(comment: Token, line: int, offset: int) -> Hover | None:
    """The documentation of the rule named under the cursor in a suppression comment
    (``# stretch: ignore[S104]``), from the registry of codes."""
    from dsl.codes import find
    from dsl.lint.suppression import named

    for written, begin, end in named(comment.text):
        start, stop = comment.start + begin, comment.start + end
        if start <= offset <= stop:
            code = find(written)
            if code is None:
                return None
            level = ("always an error" if not code.is_rule
                     else f"default severity: {code.severity}")
            text = f"**{code.code} {code.name}** ({level})\n\n{code.doc}"
            return Hover(text, line, start + 1, stop + 1)
    return None


def _token_at(tokens: list[Token], offset: int) -> int | None:
    """The token under a 0-based offset, or else the one ending there (a cursor just
    after a word still means that word); None on spaces, signs, comments and quoted text."""
    under = next((i for i, t in enumerate(tokens) if t.start <= offset < t.end), None)
    if under is None or tokens[under].kind in ("space", "punct"):
        before = next((i for i, t in enumerate(tokens) if t.end == offset), None)
        under = before if before is not None else under
    if under is None or tokens[under].kind not in ("amount", "percent", "word", "number"):
        return None
    return under


def _target_at(
    words: list[Token], position: int, uri: str | None
) -> tuple[str, int, int] | None:
    """The target name (several words, as in ``biceps femoris``) around ``position`` on a
    ``targets:`` line, with what it is and its offsets."""
    first = last = position
    while first - 1 > 1 and words[first - 1].kind == "word":
        first -= 1
    while last + 1 < len(words) and words[last + 1].kind == "word":
        last += 1
    name = " ".join(w.text for w in words[first:last + 1])
    group = _group_of(words, first)
    described = engine.target_description(name, uri)
    if described is None:
        described = ("not in the target vocabulary: check the spelling, or add it to the "
                     "project's `extend-targets`")
    text = f"**{name}** (target): {described}"
    if group is not None:
        text += f"\n\nNamed as part of the {group}."
    return text, words[first].start, words[last].end


def _group_of(words: list[Token], first: int) -> str | None:
    """The group a target is a detail of: the words before the ``(`` it stands in."""
    depth = 0
    for index in range(first - 1, 1, -1):
        if words[index].text == ")":
            depth += 1
        elif words[index].text == "(":
            if depth:
                depth -= 1
                continue
            begin = index
            while begin - 1 > 1 and words[begin - 1].kind == "word":
                begin -= 1
            return " ".join(w.text for w in words[begin:index]) or None
    return None


class TempoInForce(NamedTuple):
    """Seconds per unit where an amount stands, which units a ``tempo:`` line sets, and
    whose line that is ("the routine's", "the exercise's")."""

    rates: dict[m.Unit, float]
    stated: frozenset[m.Unit]
    whose: str = "the routine's"


def tempo_of(lines: list[str], line: int | None = None) -> TempoInForce:
    """The ``tempo:`` line in force at 1-based ``line`` (or the defaults): in an exercise,
    its own ``tempo:``, else the routine's (one outside every exercise)."""
    blocks = _exercise_blocks(lines)
    outside = [n for n in range(1, len(lines) + 1)
               if not any(first <= n <= last for first, last in blocks)]
    own = [list(range(first, last + 1)) for first, last in blocks
           if line is not None and first < line <= last]
    for numbers, whose in [*((found, "the exercise's") for found in own[:1]),
                           (outside, "the routine's")]:
        found = _tempo_among([lines[n - 1] for n in numbers])
        if found is not None:
            return TempoInForce(*found, whose)
    return TempoInForce(dict(DEFAULT_SECONDS), frozenset())


def _exercise_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """The 1-based first and last line of each ``exercise`` block (its indented lines)."""
    blocks: list[tuple[int, int]] = []
    for start, text in enumerate(lines, start=1):
        stripped = text.lstrip(" \t")
        if not re.match(r'exercise[ \t]*"', stripped):
            continue
        indent = len(text) - len(stripped)
        last = start
        for below in range(start + 1, len(lines) + 1):
            other = lines[below - 1]
            body = other.lstrip(" \t")
            if not body or body.startswith("#"):
                continue
            if len(other) - len(body) <= indent:
                break
            last = below
        blocks.append((start, last))
    return blocks


def _tempo_among(lines: list[str]) -> tuple[dict[m.Unit, float], frozenset[m.Unit]] | None:
    for text in lines:
        stripped = text.strip()
        if stripped.startswith("tempo") and stripped[5:].lstrip().startswith(":"):
            parsed = parse(f'routine "tempo"\n  {stripped}\n')
            if parsed.routine is not None and parsed.routine.tempo is not None:
                stated = frozenset(r.unit for r in parsed.routine.tempo.rates)
                return seconds_per_unit(parsed.routine), stated
    return None


def _amount(text: str) -> m.Amount | None:
    """The amount a piece of text says, read by the real grammar."""
    parsed = parse(f'routine "amount"\n  rest {text}\n')
    if parsed.routine is None or parsed.diagnostics:
        return None
    step = parsed.routine.items[0]
    return step.amount if isinstance(step, m.Step) else None


def describe_amount(text: str, tempo: TempoInForce) -> str | None:
    """What an amount comes to: ``5-15 counts`` at 1 count = 1s is
    "5 to 15 counts = 5-15 s at 1 count = 1s"."""
    amount = _amount(text)
    if amount is None:
        return None
    rates, stated, whose = tempo
    low, high = amount_seconds(amount, rates)
    unit = amount.unit
    if unit == "rep" and unit not in rates:
        count = amount.high.value
        amounts = (f"{number(amount.low.value)} to {number(count)}" if amount.is_range
                   else number(count))
        said = (f"{amounts} repetition{'s' if count != 1 or amount.is_range else ''}, "
                "self-paced: the player shows the count and waits (`, 3s each` or "
                "`tempo: 1 rep = 3s` times them)")
    elif unit == "s":
        said = f"{figure(low)} to {figure(high)} seconds" if amount.is_range else (
            f"{figure(high)} second{'s' if high != 1 else ''}")
        if high >= 60:
            said += f" ({duration(low)} to {duration(high)})" if amount.is_range else (
                f" ({duration(high)})")
    else:
        count = amount.high.value
        noun = unit_word(unit, many=count != 1 or amount.is_range)
        amounts = (f"{number(amount.low.value)} to {number(count)}" if amount.is_range
                   else number(count))
        seconds = f"{figure(low)}-{figure(high)} s" if amount.is_range else (
            f"{figure(high)} s")
        said = (f"{amounts} {noun} = {seconds} at 1 {unit} = {duration(rates[unit])} "
                f"({whose if unit in stated else 'the default'} tempo)")
    lines = [f"`{text}`: {said}"]
    if amount.is_range:
        lines.append("A range: the client chooses anywhere from the low to the high end.")
    return "\n\n".join(lines)
