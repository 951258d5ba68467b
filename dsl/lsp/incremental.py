"""Re-parsing only the part of a document an edit touched.

A routine is its header (the ``routine "..."`` line, with any blank lines and comments
around it) and then its items, one after another at the first indentation level: a
setting, a step with its cues, a repeat with its body, a handler... Each item, with the
blank lines and comments after it up to the next item, is a *block*. The parser reads a
block the same way wherever it stands, so after an edit only the blocks the edit touched
are parsed again: the header followed by those blocks' lines, with blank lines in between
so every line keeps its number. The blocks before the edit are kept as they are; the
blocks after it are kept with their positions moved by the lines the edit added or took
away.

Anything uncertain is parsed whole instead: the first version of a document, a routine
with parameters (their declarations and uses are checked against each other), an edit that
touches the header, a text the parser would not read cleanly (any diagnostic in the
previous or the new version, a byte order mark, a carriage return), an edited line that
stands neither at the items' indentation nor deeper, blocks that do not come out of the
parser as one item each, or a step (or a block of steps) written beside a routine's
exercises. A ``Snapshot`` is only kept for a version that parsed cleanly, so every
incremental result is built from a clean parse.

The result equals what ``dsl.syntax.parser.parse_bytes`` gives for the new text, spans
included (``tests/test_lsp_incremental.py`` proves it on random edits).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from types import UnionType
from typing import Any, Literal, TypeVar, Union, cast, get_args, get_origin, get_type_hints

from dsl import model as m
from dsl.source.files import MAX_SOURCE_SIZE
from dsl.source.text import Source
from dsl.syntax.parser import ParsedFile, parse, parse_bytes


@dataclass(frozen=True, slots=True)
class Block:
    """One item of the routine and the lines it owns: from its first line up to the next
    item's (0-based line indexes, ``end`` excluded), and the comments on them."""

    first: int
    end: int
    item: m.RoutineItem
    comments: tuple[m.Comment, ...]


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A version of a document that parsed cleanly, cut into its header and blocks."""

    path: str
    lines: list[str]
    header: int  # how many lines come before the first item
    indent: str  # the items' indentation
    routine: m.Routine  # the whole routine (title and span for the next version)
    header_comments: tuple[m.Comment, ...]
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Update:
    """A parse of a document's text, and what the next edit can start from (None when
    the next version must be parsed whole). ``blocks_parsed`` is how many blocks were
    parsed again (None for a whole parse), for tests and benchmarks."""

    parsed: ParsedFile
    snapshot: Snapshot | None
    blocks_parsed: int | None


def update(previous: Snapshot | None, text: str, path: str) -> Update:
    """The parse of ``text`` (the document ``path`` after an edit), from the previous
    version's snapshot when the edit allows it."""
    if previous is not None and previous.path == path and _plain(text):
        lines = text.split("\n")
        incremental = _reparse(previous, lines, text, path)
        if incremental is not None:
            return incremental
    return whole(text, path)


def parse_text(text: str, path: str) -> ParsedFile:
    """Parse the whole text as the editor's file would be read once saved, so the editor
    and ``stretch lint`` agree (a NUL character is P122, a lone surrogate, which is not
    UTF-8, is P121)."""
    return parse_bytes(text.encode("utf-8", "surrogatepass"), path)


def whole(text: str, path: str) -> Update:
    """Parse the whole text, and cut it into blocks for the next edit if it is clean."""
    parsed = parse_text(text, path)
    snapshot = None
    if parsed.routine is not None and not parsed.diagnostics and _plain(text):
        snapshot = _cut(path, text.split("\n"), parsed.routine, parsed.comments)
    return Update(parsed, snapshot, None)


def _plain(text: str) -> bool:
    """Text whose lines the parser reads exactly as ``str.split("\\n")`` cuts them, and
    that the file's bytes would decode to unchanged."""
    if "\0" in text or Source(text).text != text:  # a NUL (P122), a line end or BOM read
        return False
    try:
        size = len(text.encode("utf-8"))  # a lone surrogate is not UTF-8 (P121)
    except UnicodeEncodeError:
        return False
    return size <= MAX_SOURCE_SIZE  # a larger file is refused (P124)


def _indentation(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _starts(lines: Sequence[str], begin: int, end: int, indent: str) -> list[int] | None:
    """The lines in ``begin..end`` where an item starts (a statement at the items'
    indentation), or None when a statement there stands less deep or beside it (a tab
    where the items have a space): the parser reads such a line differently. Blank lines,
    comments and deeper lines belong to the item above."""
    found = []
    width = len(indent)
    for number in range(begin, end):
        line = lines[number]
        statement = line.lstrip(" \t")
        if not statement or statement[0] == "#":
            continue
        if not line.startswith(indent):
            return None
        if line[width] not in " \t":
            found.append(number)
    return found


def _cut(path: str, lines: list[str], routine: m.Routine, comments: tuple[m.Comment, ...]) \
        -> Snapshot | None:
    """The snapshot of a clean parse, or None when its items cannot be told apart by
    their lines (then every edit parses the whole text)."""
    items = routine.items
    if not items or items[0].span.line < 2:
        return None
    header = items[0].span.line - 1
    indent = _indentation(lines[header])
    if not indent:
        return None
    starts = _starts(lines, header, len(lines), indent)
    if starts is None or len(starts) != len(items) \
            or any(item.span.line != start + 1 for item, start in zip(items, starts, strict=True)):
        return None
    ends = [*starts[1:], len(lines)]
    # The comments come in the order of their lines: each block takes those up to its end.
    blocks = []
    position = 0
    header_comments = []
    while position < len(comments) and comments[position].line <= header:
        header_comments.append(comments[position])
        position += 1
    for item, first, end in zip(items, starts, ends, strict=True):
        mine = []
        while position < len(comments) and comments[position].line <= end:
            mine.append(comments[position])
            position += 1
        blocks.append(Block(first, end, item, tuple(mine)))
    return Snapshot(path, lines, header, indent, routine, tuple(header_comments),
                    tuple(blocks))


def _block_at(blocks: tuple[Block, ...], line: int) -> int:
    """The index of the block that owns a line (0-based; at or after the first block)."""
    low, high = 0, len(blocks) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if blocks[middle].first <= line:
            low = middle
        else:
            high = middle - 1
    return low


def _reparse(previous: Snapshot, lines: list[str], text: str, path: str) -> Update | None:
    old = previous.lines
    if lines == old:  # saved, asked for again (the outline), or an edit undone
        unchanged = ParsedFile(path, Source(text), previous.routine,
                               _comments(previous), ())
        return Update(unchanged, previous, 0)
    shortest = min(len(old), len(lines))
    same_start = 0
    while same_start < shortest and old[same_start] == lines[same_start]:
        same_start += 1
    same_end = 0
    while (same_end < shortest - same_start
           and old[-1 - same_end] == lines[-1 - same_end]):
        same_end += 1
    header = previous.header
    if same_start < header:
        return None  # the header changed
    blocks = previous.blocks
    changed_end = len(old) - same_end  # the first old line after the change
    # The block above the change too: an edit at a block's start (an indented item line)
    # can join it to the block above.
    low = _block_at(blocks, max(same_start - 1, header))
    high = _block_at(blocks, min(max(changed_end, same_start), len(old) - 1))
    shift = len(lines) - len(old)
    first = blocks[low].first
    end = blocks[high].end + shift
    starts = _starts(lines, first, end, previous.indent)
    if not starts or starts[0] != first:
        return None
    # The header, blank lines to keep the numbers, and the blocks' lines.
    mini = "\n".join(lines[:header]) + "\n" * (first - header + 1) \
        + "\n".join(lines[first:end]) + "\n"
    parsed = parse(mini, path)
    if parsed.routine is None or parsed.diagnostics:
        return None
    if previous.routine.parameters or parsed.routine.parameters:
        # A parameter's declaration and its uses are checked against each other across
        # blocks (P138-P140): a routine with parameters is parsed whole.
        return None
    items = parsed.routine.items
    if len(items) != len(starts) \
            or any(item.span.line != start + 1 for item, start in zip(items, starts, strict=True)):
        return None
    mine = [c for c in parsed.comments if c.line > header]
    ends = [*starts[1:], end]
    fresh = []
    for item, start, stop in zip(items, starts, ends, strict=True):
        owned = tuple(c for c in mine if start < c.line <= stop)
        fresh.append(Block(start, stop, item, owned))
    after = blocks[high + 1:]
    if shift:
        after = tuple(_moved_block(b, shift) for b in after)
    new_blocks = (*blocks[:low], *fresh, *after)
    if _beside_exercises(new_blocks):
        return None  # a step beside exercises: the whole parse reports it (P135)
    routine = _routine(previous.routine, new_blocks)
    snapshot = Snapshot(path, lines, header, previous.indent, routine,
                        previous.header_comments, new_blocks)
    result = ParsedFile(path, Source(text), routine, _comments(snapshot), ())
    return Update(result, snapshot, len(fresh))


def _beside_exercises(blocks: tuple[Block, ...]) -> bool:
    """Whether a routine with exercises has a step, a repeat or a block of steps (``left
    only:``, ``variant harder only:``) outside them: the parser reports that from the
    whole routine, which a block parsed alone cannot tell."""
    kinds = {block.item.__class__ for block in blocks}
    return m.Exercise in kinds and bool(kinds & _STEPS_OUTSIDE)


_STEPS_OUTSIDE = frozenset((m.Step, m.Repeat, m.SideOnly, m.VariantOnly))


def _comments(snapshot: Snapshot) -> tuple[m.Comment, ...]:
    return snapshot.header_comments + tuple(c for b in snapshot.blocks for c in b.comments)


def _routine(previous: m.Routine, blocks: tuple[Block, ...]) -> m.Routine:
    """The routine of the new blocks: its span runs from the ``routine`` keyword to the
    end of its last item, as the parser measures it."""
    items = tuple(block.item for block in blocks)
    span = previous.span
    last = items[-1].span
    return m.Routine(previous.title, items,
                     m.Span(span.line, span.column, last.end_line, last.end_column))


# --- moving positions ---------------------------------------------------------------

_Node = TypeVar("_Node")


def _moved_block(block: Block, shift: int) -> Block:
    return Block(block.first + shift, block.end + shift,
                 moved(block.item, shift),
                 tuple(m.Comment(c.line + shift, c.column, c.text, c.own_line)
                       for c in block.comments))


def moved(node: _Node, shift: int) -> _Node:
    """A model node with every span in it ``shift`` lines further down."""
    return cast(_Node, _moved_any(node, shift))


def _moved_span(span: m.Span, shift: int) -> m.Span:
    if span.line == 0:
        return span  # NO_SPAN: nowhere, and stays nowhere
    return m.Span(span.line + shift, span.column, span.end_line + shift, span.end_column)


def _moved_any(value: Any, shift: int) -> Any:
    """A field that may hold nodes of several classes, or tuples of them."""
    kind = type(value)
    if kind is tuple:
        return tuple([_moved_any(v, shift) for v in value])
    if kind is m.Span:
        return _moved_span(value, shift)
    move = _mover(kind) if kind in _POSITIONED else None
    return value if move is None else move(value, shift)


# Every class of model node with a position in it (a ``Quantity`` has none: every node
# that has a position in it has a span of its own).
_POSITIONED = frozenset(
    kind for kind in vars(m).values()
    if isinstance(kind, type) and issubclass(kind, m.Node) and "span" in kind.__struct_fields__
)


@cache
def _mover(kind: type[m.Node]) -> Callable[[Any, int], Any]:
    """A function that moves one class of model node, written out once per class: spans
    moved, fields that cannot hold a position copied, the others moved by their value."""
    hints = get_type_hints(kind, vars(m))
    arguments = []
    for name in kind.__struct_fields__:
        hint = hints[name]
        value = f"node.{name}"
        if hint is m.Span:
            arguments.append(f"moved_span({value}, shift)")
        elif hint == (m.Span | None):
            arguments.append(f"(None if {value} is None else moved_span({value}, shift))")
        elif _plain_hint(hint):
            arguments.append(value)
        else:
            arguments.append(f"moved_any({value}, shift)")
    code = f"def move(node, shift):\n    return kind({', '.join(arguments)})\n"
    namespace: dict[str, Any] = {"kind": kind, "moved_span": _moved_span,
                                 "moved_any": _moved_any}
    # Written out rather than looped over: this runs for every node below an edit that
    # adds or removes lines, and a loop over the fields costs three times as much.
    exec(code, namespace)
    return cast(Callable[[Any, int], Any], namespace["move"])


def _plain_hint(hint: Any) -> bool:
    """A field type that holds no position: text, numbers, words, quantities."""
    if hint in (str, int, float, bool, type(None), m.Quantity):
        return True
    origin = get_origin(hint)
    if origin is Literal:
        return True
    if origin in (Union, UnionType):
        return all(_plain_hint(a) for a in get_args(hint))
    return False
