"""Syntax errors in a coach's words.

Lark reports a parser state and a token; this module turns that into a diagnostic that
says what was expected in plain words, with a hint. Which message fits is decided by
example inputs (``MESSAGES``, in the manner of Lark's ``match_examples``): an error in the
same parser state, on the same token, as an example gets that example's message. A few
families are recognised from the token alone (unquoted text, a misspelt keyword, a
missing unit). The rest get "expected ..., found ..." built from the terminals the parser
would have accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import cast

import msgspec

from dsl.diagnostics import Diagnostic
from dsl.model import Span
from dsl.model.words import ROUTINE_LINE_STARTS, STEP_KINDS
from dsl.source.text import Source
from dsl.suggestions import did_you_mean
from dsl.syntax.builder import ModelBuilder, token_span
from dsl.syntax.grammar import lark_parser
from dsl.syntax.lexing import (
    MAX_DEPTH,
    MAX_WHOLE_DIGITS,
    IndentationProblem,
    Indenter,
    NumberTooLarge,
)
from dsl.syntax.standalone import Token, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

# What each terminal is, in words. Every terminal that is not a literal keyword must be
# here (a test checks it): a grammar-internal name such as `_per` must never be shown.
# A literal keyword's words are the keyword itself, in backticks.
_TERMINAL_WORDS = {
    "STRING": "text in double quotes",
    "NUMBER": "a number",
    "DURATION": "a duration such as `30s`",
    "PERCENT": "a percentage such as `30%`",
    "WORD": "a name",
    "UNIT": "a unit (`s`, `counts`, `breaths` or `reps`)",
    "_NL": "the end of the line",
    "_INDENT": "an indented block",
    "_DEDENT": "the end of the block",
    "$END": "the end of the file",
    "STEP_KIND": "a step (`hold`, `contract`, `relax`, ...)",
    "MEDIA_KIND": "media (`image`, `video`)",
    "SIDE": "a side (`left`, `right`)",
    "INTENSITY_WORD": "an intensity (`gently`, `moderately`, `firmly`)",
    "MILD_SENSATION": "`discomfort` or `tension`",
    "PACE_WORD": "a pace (`slowly`, `quickly`, `steadily`, `smoothly`)",
    "VAGUE_AMOUNT": "`briefly`",
    "_TIMES": "`times`",
    "_PER": "`per ...` (as in `per routine` or `a day`)",
    "PLACEHOLDER": "a parameter such as `{hold}`",
}

_UNSAID = frozenset({"PLACEHOLDER"})
"""Terminals a message does not list among the expected ones: wherever a parameter may
stand, the plain amount or count it stands for is listed, and says enough."""

STATEMENT_WORDS = ROUTINE_LINE_STARTS
"""Words that start a statement of a routine: an error before one is summarised as "a
statement" (with a routine's examples); a session or a programme lists its own words."""


class SyntaxMessage(msgspec.Struct, frozen=True):
    """A family of syntax errors: its code, how to word it, and inputs that show it."""

    code: str
    describe: Callable[[UnexpectedInput, str], tuple[str, str | None]]
    examples: tuple[str, ...]


def _found(error: UnexpectedInput) -> str:
    """What the parser found, in words."""
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token.type in ("_NL", "$END"):
            return "the end of the line"
        if token.type == "_INDENT":
            return "an indented line"
        if token.type == "_DEDENT":
            return "the end of the block"
        if token.type == "STRING":
            return "text in quotes"
        return f"`{_clip(str(token))}`"
    return "the end of the file"


def _clip(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def expected_words(expected: set[str] | frozenset[str]) -> list[str]:
    """The parser's expected terminals in words, statements summarised."""
    names = set(expected) - _UNSAID
    keywords = {_keyword(n) for n in names}
    statements = sorted(k for k in keywords if k in STATEMENT_WORDS)
    if len(statements) > 4 or "STEP_KIND" in names:
        names = {n for n in names if _keyword(n) not in STATEMENT_WORDS and n != "STEP_KIND"}
        words = ["a statement such as `hold 30s`, `repeat 3:` or `targets: ...`"]
    else:
        words = []
    for name in sorted(names, key=_order):
        word = terminal_words(name)
        if word is not None and word not in words:
            words.append(word)
    return words


def terminal_words(name: str) -> str | None:
    """What a terminal is, in a coach's words: its entry in ``_TERMINAL_WORDS``, or a
    literal keyword in backticks; None for a terminal with neither (left out of messages
    rather than shown by its internal name)."""
    if name in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[name]
    keyword = _keyword_map().get(name)
    return f"`{keyword}`" if keyword is not None else None


_LINE_STRUCTURE = ("_NL", "_INDENT", "_DEDENT", "$END")


def _order(name: str) -> tuple[int, str]:
    """Content first (amounts, intensity, text), keywords next, line structure last."""
    if name in _TERMINAL_WORDS:
        rank = list(_TERMINAL_WORDS).index(name)
        return (2 if name in _LINE_STRUCTURE else 0, f"{rank:02d}")
    return (1, _keyword(name))


@cache
def _keyword_map() -> dict[str, str]:
    result: dict[str, str] = {}
    for terminal in lark_parser().terminals:
        if terminal.pattern.type == "str":
            result[terminal.name] = terminal.pattern.value
    return result


def _keyword(name: str) -> str:
    return _keyword_map().get(name, name.lower())


@cache
def _spellings(name: str) -> tuple[str, ...]:
    """Every word a keyword terminal can be spelt as (for "did you mean")."""
    if name in _keyword_map():
        return (_keyword_map()[name],)
    for terminal in lark_parser().terminals:
        if terminal.name == name and terminal.pattern.type == "re":
            words = _KEYWORD_FAMILY.fullmatch(terminal.pattern.value)
            if words:
                return tuple(words.group(1).split("|"))
    return ()


# A keyword family terminal: `(?:hold|contract|...)` and an optional word-end lookahead.
_KEYWORD_FAMILY = re.compile(r"\(\?:([a-z|-]+)\)(?:\(\?!.*\))?")


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _generic(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    expected = _expected(error)
    words = expected_words(expected)
    message = f"expected {_join(words)}, found {_found(error)}" if words else (
        f"unexpected {_found(error)}")
    return message, None


def _expected(error: UnexpectedInput) -> set[str]:
    """The terminals the parser could take here: Lark's precise ``accepts`` when it has
    them (its ``expected`` also lists terminals of merged LALR states)."""
    for attribute in ("accepts", "expected", "allowed"):
        found = getattr(error, attribute, None)
        if found:
            return set(found)
    return set()


def _rest_of_line(token: Token, source: str) -> str:
    start = token.start_pos or 0
    end = source.find("\n", start)
    line = source[start : end if end >= 0 else len(source)]
    return _clip(line.split("#")[0].strip().replace('"', "'"), 50)


def _missing_unit(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    return (
        f"this amount has no unit, found {_found(error)}",
        "amounts need a unit: `30s`, `1m30s`, `5 counts` or `3 breaths`",
    )


def _unknown_statement(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    token = getattr(error, "token", None)
    word = str(token) if token is not None else ""
    hint = _close_keyword(word, _expected(error))
    return (
        f"unknown statement `{_clip(word)}`",
        hint or "a line starts with a step (`hold`, `contract`, ...) or a setting "
        "(`targets:`, `sides:`, ...)",
    )


def _unquoted_text(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    token = getattr(error, "token", None)
    assert isinstance(token, Token)
    return (
        f"text must be in double quotes, found `{_clip(str(token))}`",
        f'put the words in double quotes: "{_rest_of_line(token, source)}"',
    )


def _misspelt_word(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    token = getattr(error, "token", None)
    assert isinstance(token, Token)
    words = expected_words(_expected(error))
    return (
        f"unknown word `{_clip(str(token))}`, expected {_join(words)}",
        _close_keyword(str(token), _expected(error)),
    )


def _outside_routine(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    return (
        "this line is outside the routine",
        "everything after `routine \"...\"` is indented under it; indent this line too",
    )


def _no_routine_header(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    token = getattr(error, "token", None)
    close = did_you_mean(str(token), ("routine", "session", "programme")) \
        if isinstance(token, Token) and token.type == "WORD" else None
    return (
        f"a routine file starts with `routine \"Title\"`, found {_found(error)}",
        close or 'begin the file with a line such as `routine "Hip and hamstring stretch"` '
        '(or `session "..."`, `programme "..."` for a file that does routines)',
    )


def _missing_title(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    return (
        "the routine needs a title in double quotes",
        'write it as `routine "Hip and hamstring stretch"`',
    )


def _unexpected_indent(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    return (
        "this line is indented, but the line above does not open a block",
        "indent a line only under `routine`, `repeat`, `on pain`, a list such as "
        "`posture:`, or a step it adds cues to",
    )


def _missing_block(error: UnexpectedInput, source: str) -> tuple[str, str | None]:
    return (
        f"expected an indented block, found {_found(error)}",
        "indent the lines that belong to this block under it",
    )


MESSAGES: tuple[SyntaxMessage, ...] = (
    # Recognised from the token itself (see _guess); no examples needed.
    SyntaxMessage("P104", _unquoted_text, ()),
    SyntaxMessage("P115", _misspelt_word, ()),
    SyntaxMessage("P102", _missing_unit, (
        'routine "r"\n  hold 30\n',
        'routine "r"\n  hold 30 "stay"\n',
        'routine "r"\n  hold 30 gently\n',
        'routine "r"\n  hold 10-30\n',
        'routine "r"\n  hold 10-30 "x"\n',
        'routine "r"\n  repeat for 2:\n    hold 1s\n',
        'routine "r"\n  repeat 2, rest 30 between:\n    hold 1s\n',
        'routine "r"\n  tempo: 1 = 1s\n',
        'routine "r"\n  switch 5\n',
        'routine "r"\n  switch 5 "x"\n',
        'routine "r"\n  hold 1s\n    cue at 5 "x"\n',
    )),
    SyntaxMessage("P103", _unknown_statement, (
        'routine "r"\n  bogus\n',
        'routine "r"\n  repeat 2:\n    bogus\n',
        'routine "r"\n  on pain "x"\n    bogus\n',
        'routine "r"\n  hold 1s\n    bogus\n',
    )),
    SyntaxMessage("P107", _outside_routine, (
        'routine "r"\n  hold 1s\nhold 1s\n',
        'routine "r"\nhold 1s\n',
        'routine "r"\n  hold 1s\nbogus\n',
        'routine "r"\nbogus\n',
        'routine "r"\n  hold 1s\n"text"\n',
        'routine "r"\n  hold 1s\nroutine "s"\n',
    )),
    SyntaxMessage("P108", _no_routine_header, (
        'hold 30s\n',
        'bogus\n',
        '"r"\n',
        'targets: x\n',
    )),
    SyntaxMessage("P109", _missing_title, (
        'routine\n',
        'routine hip\n',
        'routine:\n',
    )),
    SyntaxMessage("P110", _unexpected_indent, (
        'routine "r"\n  id: x\n    hold 1s\n',
        'routine "r"\n  note "x"\n    hold 1s\n',
        'routine "r"\n  targets: x\n    hold 1s\n',
        'routine "r"\n  limit cycles 3\n    hold 1s\n',
        'routine "r"\n  sides: each\n    hold 1s\n',
        'routine "r"\n  hold 1s\n    cue "x"\n      hold 1s\n',
        'routine "r"\n  posture:\n    "x"\n      "y"\n',
    )),
    SyntaxMessage("P111", _missing_block, (
        'routine "r"\n  repeat 3:\n  hold 1s\n',
        'routine "r"\n  repeat 3\n',
        'routine "r"\n  posture:\n  hold 1s\n',
        'routine "r"\n  indications:\n  hold 1s\n',
        'routine "r"\n  on pain "x"\n  hold 1s\n',
        'routine "r"\n  for pregnant clients:\n  hold 1s\n',
    )),
)


@lru_cache(maxsize=1)
def _example_table() -> dict[tuple[int, str], str]:
    """Parse every example once and remember the parser state and token it failed on.

    Like Lark's ``match_examples``, but keyed on the LALR state alone, not on the depth of
    the parser's stack, so one example covers a mistake at any nesting depth.
    """
    table: dict[tuple[int, str], str] = {}
    for message in MESSAGES:
        for example in message.examples:
            key = _failure_key(example)
            if key is not None:
                table.setdefault(key, message.code)
    return table


def _failure_key(example: str) -> tuple[int, str] | None:
    try:
        _parse_for_matching(example)
    except UnexpectedToken as error:
        return (error.state.position, error.token.type)
    except (UnexpectedInput, IndentationProblem, NumberTooLarge):
        return None
    return None


def _describe_by_code(code: str) -> Callable[[UnexpectedInput, str], tuple[str, str | None]]:
    for message in MESSAGES:
        if message.code == code:
            return message.describe
    return _generic


def locate(error: UnexpectedInput | IndentationProblem | NumberTooLarge, source: str,
           path: str) -> Diagnostic:
    """Where the error is, without the words (which can cost more than a small parse):
    a misplaced token is P101 with no message; anything else is described in full."""
    if isinstance(error, UnexpectedToken):
        return Diagnostic("P101", "", path, _error_span(error))
    return describe(error, source, path)


def describe(
    error: UnexpectedInput | IndentationProblem | NumberTooLarge, source: str, path: str
) -> Diagnostic:
    """Turn Lark's (or the post-lexer's) exception into one diagnostic."""
    if isinstance(error, IndentationProblem):
        return _indentation(error, path)
    if isinstance(error, NumberTooLarge):
        return _number_too_large(error, path)
    special = _character_problem(error, source, path)
    if special is not None:
        return special
    slip = _slip(error, source, path)
    if slip is not None:
        return slip
    code = _match(error) or _guess(error)
    message, hint = (_describe_by_code(code) if code else _generic)(error, source)
    return Diagnostic(code or "P101", message, path, _error_span(error), hint=hint)


def _slip(error: UnexpectedInput, source: str, path: str) -> Diagnostic | None:
    """Slips recognised from the line they are on, each with the fix in the hint."""
    if not isinstance(error, UnexpectedToken):
        return None
    token = error.token
    if token.type in ("$END", "_INDENT", "_DEDENT") or token.start_pos is None:
        return None
    line_start = source.rfind("\n", 0, token.start_pos) + 1
    before = source[line_start : token.start_pos]
    statement = _statement_of(source, line_start)
    expected = _expected(error)
    starts_statement = not before.strip(" \t")
    plan = _plan_slip(source, statement, before, token)
    if plan is not None:
        return Diagnostic("P143", plan[0], path, token_span(token), hint=plan[1])
    if starts_statement and str(token) == "exercise":
        return Diagnostic(
            "P136", "an exercise inside another block", path, token_span(token),
            hint="exercises stand at the routine's level, one after the other: indent "
            f"`{_clip(statement, 40)}` as much as the routine's settings")
    if starts_statement and "STEP_KIND" in expected and _ROUTINE_ONLY.match(statement):
        word = statement.split(":", 1)[0].strip(" \t")
        return Diagnostic(
            "P137", f"`{word}:` is set for the whole routine", path, token_span(token),
            hint=f"move `{_clip(statement, 40)}` to the routine's settings: it says how "
            "the whole routine is done, not one exercise or block")
    if starts_statement and "STEP_KIND" in expected:
        if token.type == "WORD":  # wherever a statement starts, not only a block's first
            message, hint = _unknown_statement(error, source)
            return Diagnostic("P103", message, path, token_span(token), hint=hint)
        if str(token) in ("cue", "partner"):
            return _misplaced_cue(token, statement, path)
    if not starts_statement and str(token) in ("left", "right"):
        comma = _side_comma(statement, before.strip(" \t"), str(token))
        if comma is not None:
            return Diagnostic("P133", "the two amounts of a per-side step need a comma "
                              "between them", path, token_span(token),
                              hint=f"write it as `{comma}`")
    if not starts_statement and _VARIANT_CHANGE.match(statement):
        found = _variant_change(statement, starts_statement, token)
        if found is not None:
            return Diagnostic("P142", found[0], path, token_span(token), hint=found[1])
    if not starts_statement:
        order = _word_order(statement)
        if order is not None:
            message, fixed = order
            return Diagnostic("P126", message, path, token_span(token),
                              hint=f"write it as `{fixed}`")
        if str(token) == "(" and statement.startswith("position"):
            return _position_detail(token, statement, path)
    return None


_FIRST_WORD = re.compile(r"^[ \t]*+([a-z]+)", re.MULTILINE)
_SCHEDULE_WORDS = re.compile(r"(?:on|daily|at)(?![A-Za-z0-9'-])")
_HOUR_ONLY = re.compile(r"[ \t]at(?:[ \t]|[ \t].*?[ \t,])\d+[ \t]*$")


def _plan_slip(source: str, statement: str, before: str,
               token: Token) -> tuple[str, str] | None:
    """Slips in a session or programme: a schedule in a session, a schedule line without
    days, a progression by `in week`, a time of day without minutes."""
    first = next((m.group(1) for m in _FIRST_WORD.finditer(source)
                  if not source[m.start():].lstrip(" \t").startswith("#")), None)
    if first not in ("session", "programme"):
        return None
    words = statement.split()
    if first == "session" and words[:1] == ["do"] and _SCHEDULE_WORDS.match(str(token)):
        return ("a session does its routines in order, without a schedule",
                f"write `do {words[1] if len(words) > 1 else 'NAME'}` here; days and times "
                "go in a programme, on a line that does this session")
    if first == "programme" and words[:1] == ["do"] and len(words) == 2 \
            and token.type == "_NL":
        return ("a programme's `do` line says on which days",
                f"write `do {words[1]} daily` or `do {words[1]} on mon, wed, fri` (a time "
                "may follow: `at 07:30`)")
    if words[:1] == ["progress"] and str(token) == "in":
        return ("a progression's later values start `from week`",
                "write `30s from week 3`: the value holds from that week on")
    if first == "programme" and words[:1] == ["do"] and _HOUR_ONLY.search(before) \
            and token.type == "_NL":
        return ("a time of day has hours and minutes",
                "write it on the 24-hour clock: `at 07:00`, `at 18:30`")
    return None


# `variant harder ...`: a variant's line, where a change is the likely meaning.
_VARIANT_CHANGE = re.compile(r'variant[ \t]+([A-Za-z][A-Za-z0-9\'-]*)[ \t]*(:?)[ \t]*(.*)$')
_LEAVE_OUT_WORDS = frozenset({"skip", "remove", "omit", "drop", "none", "delete", "leave",
                              "out", "no", "without"})


def _variant_change(statement: str, starts_statement: bool,
                    token: Token) -> tuple[str, str] | None:
    """The message and hint for a variant's change written wrongly (P142), or None."""
    found = _VARIANT_CHANGE.match(statement)
    assert found is not None
    name, colon, rest = found.group(1).lower(), found.group(2), found.group(3).strip(" \t")
    word = str(token)
    if not colon and word == "only":
        return ("a `variant ... only:` block stands among the steps, not under one",
                f"indent `variant {name} only:` as much as the steps; to change this step "
                f"in that variant, write `variant {name}:` with the steps that take its "
                "place indented under it")
    if not colon and _AMOUNT.fullmatch(rest):
        return ("a variant's amount comes after a colon",
                f"write it as `variant {name}: {rest}`")
    if colon and word.lower() in _LEAVE_OUT_WORDS:
        return (f"`{rest}` is not a change a variant can make",
                f"to leave the step out in that variant, write `variant {name}: leave out`")
    amount = _AMOUNT.match(rest)
    if colon and amount is not None and amount.group(0).strip(" \t"):
        more = rest[amount.end():].strip(" \t")
        return ("a variant's change on one line is an amount alone",
                f"to change more, write `variant {name}:` and, indented under it, the step "
                f"as it runs in that variant (`... {amount.group(0).strip()} {more}`)")
    return None


# `partner:` and `frequency:`, the settings only a routine (not an exercise or a block) has.
_ROUTINE_ONLY = re.compile(r"(?:partner|frequency)[ \t]*:")


def _statement_of(source: str, line_start: int) -> str:
    """The statement on the line that starts at ``line_start``: no indentation, comment
    or line break."""
    end = source.find("\n", line_start)
    line = source[line_start : end if end >= 0 else len(source)]
    return _COMMENT_AFTER.sub(r"\1", line).strip(" \t")


# A `#` and what follows it, outside quoted text, to the end of the line.
_COMMENT_AFTER = re.compile(r'^((?:[^"#]|"(?:[^"\\]|\\.)*")*)#.*$', re.DOTALL)


def _misplaced_cue(token: Token, statement: str, path: str) -> Diagnostic:
    return Diagnostic(
        "P125", f"a `{token}` belongs to a step: it is not indented under one", path,
        token_span(token),
        hint=f"indent `{_clip(statement, 40)}` under the step it goes with")


# A step's pieces, for putting them back in order: `hold gently 30s`, `hold 30s "x" gently`.
_INTENSITY = re.compile(
    r"(?:gently|moderately|firmly|to[ \t]+mild[ \t]+(?:tension|discomfort)"
    r"|at[ \t]+(?:\d+(?:\.\d+)?[ \t]*-[ \t]*)?\d+(?:\.\d+)?%)")
_AMOUNT = re.compile(
    r"\d[\w.]*(?:[ \t]*-[ \t]*\d[\w.]*)?"
    r"(?:[ \t]+(?:counts?|breaths?|seconds?|secs?|minutes?|mins?|sec|min|s|m)\b)?")
_TEXT = re.compile(r'"(?:[^"\\]|\\.)*"')


def _side_comma(statement: str, before: str, side: str) -> str | None:
    """``hold left 30s right 45s``: the step with the comma put in, if that is the slip."""
    kind, *after = re.split(r"[ \t]+", before, maxsplit=1)
    if kind not in STEP_KINDS or not after or not re.match(r"(?:left|right)[ \t]+\d",
                                                          after[0]) or "," in after[0]:
        return None
    fixed = before + ", " + statement[len(before):].lstrip(" \t")
    try:  # offered only if it is right
        _parse_for_matching(f'routine "r"\n  {fixed}\n')
    except (UnexpectedInput, IndentationProblem, NumberTooLarge):
        return None
    return fixed


def _word_order(statement: str) -> tuple[str, str] | None:
    """A step whose amount, intensity and text are all there but out of order: what is
    wrong, and the step in the right order (amount, intensity, text)."""
    kind, *after = re.split(r"[ \t]+", statement, maxsplit=1)
    if kind not in STEP_KINDS:
        return None
    pieces: list[tuple[str, str]] = []
    rest = after[0] if after else ""
    while rest:
        for name, pattern in (("text", _TEXT), ("intensity", _INTENSITY),
                              ("amount", _AMOUNT)):
            found = pattern.match(rest)
            if found and found.group():
                pieces.append((name, found.group()))
                rest = rest[found.end():].lstrip(" \t")
                break
        else:
            return None
    names = [name for name, _ in pieces]
    if len(set(names)) != len(names):
        return None
    ordered = sorted(pieces, key=lambda piece: ("amount", "intensity", "text").index(piece[0]))
    if ordered == pieces:
        return None
    fixed = " ".join([kind, *(words for _, words in ordered)])
    try:  # offered only if it is right: the pieces may be wrong in themselves too
        _parse_for_matching(f'routine "r"\n  {fixed}\n')
    except (UnexpectedInput, IndentationProblem, NumberTooLarge):
        return None
    if names[-1] != "text" and "text" in names:
        return "the text comes last, after the amount and the intensity", fixed
    return "the intensity comes after the amount", fixed


_WORDS = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")


def _position_detail(token: Token, statement: str, path: str) -> Diagnostic:
    words = _WORDS.findall(statement.split(":", 1)[1])
    return Diagnostic(
        "P127", "`position:` takes a few words, without parentheses", path,
        token_span(token),
        hint=f"write `position: {' '.join(words)}`, or put the detail in a "
        f'`note "..."`')


def _match(error: UnexpectedInput) -> str | None:
    if not isinstance(error, UnexpectedToken):
        return None
    return _example_table().get((error.state.position, error.token.type))


def _guess(error: UnexpectedInput) -> str | None:
    """Families recognised from the token and what the parser would accept instead."""
    token = getattr(error, "token", None)
    expected = _expected(error)
    if "UNIT" in expected:
        return "P102"
    if isinstance(token, Token) and token.type == "WORD":
        if _close_keyword(str(token), expected):
            return "P115"
        if "STRING" in expected:
            return "P104"
    return None


def _close_keyword(word: str, expected: set[str]) -> str | None:
    return did_you_mean(word, [s for name in expected for s in _spellings(name)])


def _parse_for_matching(text: str) -> object:
    parser = lark_parser()
    cast(Indenter, parser.options.postlex).reset(len(text))
    cast(ModelBuilder, parser.options.transformer).reset("<example>")
    return parser.parse(text)


def _error_span(error: UnexpectedInput) -> Span:
    token = getattr(error, "token", None)
    if isinstance(token, Token) and token.type not in ("$END",):
        if token.type in ("_NL", "_DEDENT"):
            # Point just after the last thing on the line, where the missing piece goes.
            line, column = token.line or 1, token.column or 1
            return Span(line, column, line, column + 1)
        if token.type == "_INDENT":
            line = (token.end_line or token.line or 1)
            return Span(line, 1, line, (token.end_column or 1))
        return token_span(token)
    line = getattr(error, "line", 1) or 1
    column = getattr(error, "column", 1) or 1
    return Span(line, column, line, column + 1)


def _character_problem(error: UnexpectedInput, source: str, path: str) -> Diagnostic | None:
    """Characters no statement can contain: unclosed and curly quotes, stray symbols."""
    if not isinstance(error, UnexpectedCharacters):
        return None
    pos = error.pos_in_stream or 0
    char = source[pos] if pos < len(source) else ""
    line, column = error.line, error.column
    span = Span(line, column, line, column + 1)
    if char == '"':
        end = source.find("\n", pos)
        end = len(source) if end < 0 else end
        return Diagnostic(
            "P105", "this text has no closing quote", path,
            Span(line, column, line, column + (end - pos)),
            hint='end the text with `"` on the same line',
        )
    if char in "\u201c\u201d\u201e\u2018\u2019\u00ab\u00bb":
        return Diagnostic(
            "P106", f"`{char}` is a typographic quote", path, span,
            hint='write text in straight double quotes: "..." (your editor may have replaced them)',
        )
    shown = repr(char)[1:-1] if not char.isprintable() else char
    return Diagnostic(
        "P116", f"unexpected character `{shown}`", path, span,
        hint="free text goes in double quotes; a `#` starts a comment",
    )


def _indentation(error: IndentationProblem, path: str) -> Diagnostic:
    span = Span(error.line, 1, error.line, max(error.width, 1) + 1)
    if error.kind == "deep":
        return Diagnostic(
            "P117", f"blocks are nested more than {MAX_DEPTH} levels deep", path, span,
            hint="split the routine into simpler repeats; real routines need a few levels",
        )
    if error.kind == "mixed":
        return Diagnostic(
            "P114", "this line's indentation mixes tabs and spaces differently from the "
            "lines around it", path, span,
            hint="indent with spaces only (or tabs only) throughout the file",
        )
    return Diagnostic(
        "P113", "this line's indentation does not match any outer block", path, span,
        hint=f"line up this line with the block it belongs to (see line {error.previous})",
    )


def _number_too_large(error: NumberTooLarge, path: str) -> Diagnostic:
    return Diagnostic(
        "P118", f"`{_clip(str(error.token))}` is too large a number", path,
        token_span(error.token),
        hint=f"numbers go up to {10 ** MAX_WHOLE_DIGITS - 1:,}: check for a typo",
    )


def nul_character(source: Source, path: str) -> Diagnostic:
    """P112 at the first NUL character of the text."""
    line, column = source.position(source.text.index("\0"))
    return Diagnostic("P112", "the file contains a NUL character", path,
                      Span(line, column, line, column + 1),
                      hint="a routine file is plain text; is this the right file?")


def empty_file(path: str) -> Diagnostic:
    return Diagnostic(
        "P120", "the file has no routine", path, Span(1, 1, 1, 1),
        hint='start the file with `routine "Title"` and indent the steps under it',
    )
