"""The contextual lexer: Lark's, decided from small tables for the tokens routines are made of.

Lark's contextual lexer compiles one regular expression per parser state (the terminals
that state accepts, as one alternation) the first time the state is reached: some 40 of
them for a typical routine, about 10 ms of every process's start-up. It also matches the
spaces between words one at a time, about a third of its matches.

``RoutineLexer`` gives the same tokens, decided another way. Every token of the grammar
starts with a character that tells which terminals can match there at all:

- a letter: a word (``WORD``, a keyword such as ``repeat``, a family such as ``STEP_KIND``);
- a digit: ``DURATION``, ``PERCENT`` or ``NUMBER``;
- ``"``: ``STRING``; ``{``: ``PLACEHOLDER``; ``#`` or a line break: ``_NL``; a space or
  tab: skipped;
- one of ``:,()-=+/``: that punctuation.

Among the terminals a state accepts that can start with that character, the first in
Lark's order that matches wins, exactly as in Lark's alternation (same order, same
keyword-inside-a-word rule). A word's outcome depends only on the state and the word (every
word terminal stops at the end of a word), so it is worked out once per state and word and
then looked up. Anything else (a character no terminal starts with, a token the state does
not accept) goes to Lark's own contextual lexer, built on first need, so errors are Lark's
errors, word for word. ``tests/test_scanner.py`` checks the two lexers agree, token for
token and error for error, on generated routines and on garbage.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING, Any

from dsl.syntax.standalone import (
    ContextualLexer,
    Lexer,
    LexerState,
    LineCounter,
    PatternStr,
    Token,
    UnexpectedCharacters,
    UnexpectedToken,
)

if TYPE_CHECKING:
    from dsl.syntax.standalone import LexerConf, TerminalDef

# What can start at a character: one regular expression finds the next token's first
# character (after any spaces) and, for a word, the whole word.
# Group 1: a word; group 2: any other character; group 3: the end of the text.
_NEXT = re.compile(r"[\t ]*+(?:([A-Za-z][A-Za-z0-9'-]*+)|(.)|(\Z))", re.DOTALL)
_DIGITS = frozenset("0123456789")
_PUNCTUATION = frozenset(":,()-=+/")
_BREAKS = frozenset("#\n")

# The grammar's regular-expression terminals by the character class they start with. A
# terminal missing here (a grammar change) makes building the lexer fail, not lex wrongly.
_WORD_TERMINALS = frozenset({
    "WORD", "STEP_KIND", "MEDIA_KIND", "SIDE", "INTENSITY_WORD", "MILD_SENSATION", "UNIT",
    "_TIMES", "_PER", "PACE_WORD", "VAGUE_AMOUNT",
})
_NUMBER_TERMINALS = frozenset({"DURATION", "PERCENT", "NUMBER"})
_OTHER_TERMINALS = frozenset({"STRING", "_NL", "PLACEHOLDER"})


class _State:
    """What one parser state's lexer would do, as tables: the accepted terminals in Lark's
    order, split by the character they start with, and the words worked out so far."""

    __slots__ = (
        "breaks",
        "lexer",
        "numbers",
        "placeholders",
        "punctuation",
        "retype",
        "strings",
        "word_terminals",
        "words",
    )

    def __init__(self, lexer: RoutineLexer, accepts: frozenset[str]) -> None:
        self.lexer = lexer
        terminals = [lexer.terminals_by_name[name] for name in accepts
                     if name in lexer.terminals_by_name]
        # Lark's rule for a keyword a regular expression also matches (`each` and WORD):
        # the keyword leaves the alternation, and a match of exactly its text is retyped.
        self.retype: dict[str, dict[str, str]] = {}
        embedded: set[str] = set()
        keywords = [t for t in terminals if isinstance(t.pattern, PatternStr)]
        for pattern_terminal in terminals:
            if isinstance(pattern_terminal.pattern, PatternStr):
                continue
            for keyword in keywords:
                if (keyword.priority == pattern_terminal.priority
                        and lexer.matches_whole(pattern_terminal, keyword)):
                    text = keyword.pattern.value
                    self.retype.setdefault(pattern_terminal.name, {})[text] = keyword.name
                    if set(keyword.pattern.flags) <= set(pattern_terminal.pattern.flags):
                        embedded.add(keyword.name)
        ordered = sorted((t for t in terminals if t.name not in embedded),
                         key=lambda t: (-t.priority, -t.pattern.max_width,
                                        -len(t.pattern.value), t.name))
        self.words: dict[str, tuple[str, int] | None] = {}
        self.numbers = [(t.name, lexer.compiled(t)) for t in ordered
                        if t.name in _NUMBER_TERMINALS]
        self.strings = [(t.name, lexer.compiled(t)) for t in ordered if t.name == "STRING"]
        self.placeholders = [(t.name, lexer.compiled(t)) for t in ordered
                             if t.name == "PLACEHOLDER"]
        self.breaks = [(t.name, lexer.compiled(t)) for t in ordered if t.name == "_NL"]
        self.punctuation = {t.pattern.value: t.name for t in ordered
                            if isinstance(t.pattern, PatternStr)
                            and t.pattern.value in _PUNCTUATION}
        self.word_terminals = [t for t in ordered if t.name in _WORD_TERMINALS
                                or (isinstance(t.pattern, PatternStr)
                                    and t.pattern.value[:1].isalpha())]

    def word(self, word: str) -> tuple[str, int] | None:
        """The type and length of the token at the start of ``word`` in this state, or
        None if no terminal of the state matches there."""
        try:
            return self.words[word]
        except KeyError:
            pass
        decided: tuple[str, int] | None = None
        for terminal in self.word_terminals:
            if isinstance(terminal.pattern, PatternStr):
                if word.startswith(terminal.pattern.value):
                    decided = (terminal.name, len(terminal.pattern.value))
                    break
                continue
            # The word is followed by a character no word terminal takes, or by the end
            # of the text: both look the same to every terminal's look-ahead.
            found = self.lexer.compiled(terminal).match(word)
            if found is not None:
                text = found.group()
                decided = (self.retype.get(terminal.name, {}).get(text, terminal.name),
                           len(text))
                break
        self.words[word] = decided
        return decided


class RoutineLexer(Lexer):
    """Lark's contextual lexer's tokens, decided from tables (see the module's text)."""

    def __init__(self, conf: LexerConf, states: dict[int, Collection[str]],
                 always_accept: Collection[str] = ()) -> None:
        self.conf = conf
        self.parser_states = states
        self.always_accept = always_accept
        self.terminals_by_name: dict[str, TerminalDef] = conf.terminals_by_name
        known = _WORD_TERMINALS | _NUMBER_TERMINALS | _OTHER_TERMINALS | set(conf.ignore)
        unknown = {t.name for t in conf.terminals
                   if not isinstance(t.pattern, PatternStr) and t.name not in known}
        if unknown:
            raise ValueError(f"the lexer does not know where these terminals can start: "
                             f"{sorted(unknown)}")
        self._ignore = set(conf.ignore) | set(always_accept)
        self._states: dict[int, _State] = {}
        self._by_accepts: dict[frozenset[str], _State] = {}
        self._compiled: dict[str, re.Pattern[str]] = {}
        self._whole: dict[tuple[str, str], bool] = {}
        self._lark: ContextualLexer | None = None

    def compiled(self, terminal: TerminalDef) -> re.Pattern[str]:
        """One terminal's own regular expression, compiled once per process."""
        try:
            return self._compiled[terminal.name]
        except KeyError:
            pattern = re.compile(terminal.pattern.to_regexp(), self.conf.g_regex_flags)
            self._compiled[terminal.name] = pattern
            return pattern

    def matches_whole(self, terminal: TerminalDef, keyword: TerminalDef) -> bool:
        """Whether ``terminal``'s expression matches all of ``keyword``'s text (as Lark
        decides it: a match from the start that is the whole text), worked out once."""
        pair = (terminal.name, keyword.name)
        known = self._whole.get(pair)
        if known is None:
            text = keyword.pattern.value
            found = self.compiled(terminal).match(text)
            known = self._whole[pair] = found is not None and found.group() == text
        return known

    def state(self, position: int) -> _State:
        try:
            return self._states[position]
        except KeyError:
            pass
        accepts = frozenset(self.parser_states[position]) | self._ignore
        found = self._by_accepts.get(accepts)
        if found is None:
            found = self._by_accepts[accepts] = _State(self, accepts)
        self._states[position] = found
        return found

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        text: str = lexer_state.text.text
        end: int = lexer_state.text.end
        counter = lexer_state.line_ctr
        pos, line, line_start = counter.char_pos, counter.line, counter.line_start_pos
        next_match = _NEXT.match
        states = self._states
        last = lexer_state.last_token
        while pos < end:
            state = states.get(parser_state.position) or self.state(parser_state.position)
            found = next_match(text, pos, end)
            assert found is not None  # every alternative can match, the last one empty
            group = found.lastindex or 3
            start = found.start(group)
            decided: tuple[str, int] | None = None
            if group == 1:  # a word
                decided = state.word(found.group(1))
            elif group == 3:  # only spaces up to the end
                pos = end
                break
            else:
                first = text[start]
                candidates = (state.numbers if first in _DIGITS
                              else state.strings if first == '"'
                              else state.breaks if first in _BREAKS
                              else state.placeholders if first == "{"
                              else None)
                if candidates is not None:
                    for name, pattern in candidates:
                        match = pattern.match(text, start, end)
                        if match is not None:
                            decided = (name, match.end() - start)
                            break
                elif first in state.punctuation:
                    decided = (state.punctuation[first], 1)
            if decided is None:
                # Lark's lexer decides: a token this lexer has no table for, or an error.
                # (Every table holds only terminals the state accepts.)
                lexer_state.last_token = last
                _move(counter, pos, line, line_start)
                token = self._lark_token(lexer_state, parser_state)
                if token is None:
                    return
                last = token
                pos, line, line_start = counter.char_pos, counter.line, counter.line_start_pos
                yield token
                continue
            kind, length = decided
            stop = start + length
            value = text[start:stop]
            column = start - line_start + 1
            if kind == "_NL":  # the only token that spans lines
                end_line = line + value.count("\n")
                if end_line != line:
                    line_start = start + value.rindex("\n") + 1
            else:
                end_line = line
            last = Token(kind, value, start, line, column, end_line, stop - line_start + 1, stop)
            pos, line = stop, end_line
            yield last
        lexer_state.last_token = last
        _move(counter, pos, line, line_start)

    def _lark_token(self, lexer_state: LexerState, parser_state: Any) -> Token | None:
        """The next token as Lark's contextual lexer finds it (None at the end of the
        text), raising its errors: the same steps as its ``lex`` for one token."""
        if self._lark is None:
            self._lark = ContextualLexer(self.conf, self.parser_states, self.always_accept)
        lark = self._lark
        try:
            return lark.lexers[parser_state.position].next_token(lexer_state, parser_state)
        except EOFError:
            return None
        except UnexpectedCharacters as error:
            try:
                last_token = lexer_state.last_token
                token = lark.root_lexer.next_token(lexer_state, parser_state)
                raise UnexpectedToken(  # type: ignore[no-untyped-call]
                    token, error.allowed, state=parser_state, token_history=[last_token],
                    terminals_by_name=lark.root_lexer.terminals_by_name) from None
            except UnexpectedCharacters:
                raise error from None


def _move(counter: LineCounter, pos: int, line: int, line_start: int) -> None:
    """Set Lark's line counter to a position this lexer has kept itself."""
    counter.char_pos, counter.line, counter.line_start_pos = pos, line, line_start
    counter.column = pos - line_start + 1
