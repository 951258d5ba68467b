"""Hypothesis strategies for small routines whose every run can be enumerated.

``timed_routines()`` draws routine source texts for the exact-figure property tests
(``tests/test_exact_figures.py``): nested repeats (``repeat 2``, ``repeat 1-3``, ``repeat up
to 3``, ``repeat for B`` and ``repeat for A-B`` time boxes, open repeats ``repeat at least 2``
and ``repeat 1 or more, at most 3``, ``rest ... between``), fixed and
ranged amounts in seconds, counts and breaths with or without a ``tempo:``, untimed steps
(never inside a time box), every step kind, intensities (``at X%``, ``at X-Y%``, words), cues
with and without ``at``, amounts for each side (``hold left 2s, right 3s``) and steps in
``left only:`` / ``right only:`` blocks, sides none / one / each / alternating (alternating
always with a top-level repeat), ``switch`` statements (timed, ranged, untimed) among the settings,
``on ...`` safety handlers without contractions, ``for <group>:`` blocks with limits,
limits of every subject and scope, routines of two exercises that set some of these
for themselves, and variants that change steps: under a step, another amount (per side
too), ``leave out`` or steps in its place (with changes of their own now and then), and
``variant ... only:`` blocks, for ``easier``, ``harder`` and a declared ``chair`` (declared
on the routine or on the exercise that uses it). ``MAX_RUNS`` bounds every variant's runs.

Every text parses without problems. Time boxes are aimed: the generator works out the
longest pass ``P`` and gap ``G`` of the box it writes and sets its bounds to exactly
``k*P + (k-1)*G`` plus a slack of nothing, half a second, or just under one more pass, so
the boundary cases of the pass-count rule come up often. (That arithmetic only aims the
bounds; the tests take the pass counts from the reference interpreter.) Ranges are narrow
and all times are multiples of half a second, and each routine is kept to at most
``MAX_RUNS`` runs (counted by enumerating them) so one example takes a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache, partial

import reference
from hypothesis import assume
from hypothesis import strategies as st

MAX_RUNS = 3_000
"""The most runs one generated routine may have (the reference enumerates them all)."""

TIMED_KINDS = ["contract", "contract", "contract", "relax", "relax", "hold", "hold", "rest",
               "hold-breath", "inhale", "exhale", "breathe", "setup", "release", "deepen",
               "move", "move"]
HANDLER_KINDS = ["release", "relax", "rest", "hold", "breathe", "setup", "exhale"]
SIGNALS = ["pain", "cramp", "dizziness", "numbness"]


@dataclass
class Context:
    """What an amount means in seconds, and what a top-level alternating pass adds."""

    count: Fraction = Fraction(1)
    breath: Fraction = Fraction(5)
    rep: Fraction | None = None  # `tempo: 1 rep = ...`; None: repetitions are self-paced
    switch_high: Fraction = Fraction(0)
    alternating: bool = False


@dataclass
class Amount:
    text: str
    high: Fraction  # seconds, with the context's tempo


@dataclass
class Step:
    lines: list[str]  # the step line and its cue lines, unindented (cues indented by 2)
    high: Fraction


@dataclass
class Repeat:
    head: str  # "repeat ...:" with its count filled in when rendered
    body: list[Step | Repeat]
    rest_high: Fraction
    passes_high: int  # for a time box: the passes it was aimed at
    box: tuple[int, int, int, int] | None = None  # (k_low, slack_low, k_high, slack_high)
    form: int = 0
    rest_text: str = ""
    bound: tuple[Fraction, Fraction] | None = field(default=None)
    uncapped: bool = False  # an open repeat with no `at most`: a limit must cap it


def half(value: Fraction) -> str:
    """A number of seconds as written: `3`, `2.5`."""
    return str(int(value)) if value.denominator == 1 else f"{float(value):g}"


@st.composite
def amounts(draw: st.DrawFn, context: Context, timed: bool = True) -> Amount | None:
    """A fixed or narrow ranged amount (or None: untimed, when allowed)."""
    if not timed and draw(st.integers(0, 6)) == 0:
        return None
    unit = draw(st.sampled_from(["s", "s", "s", "count", "count", "breath", "minute"]))
    ranged = draw(st.integers(0, 9)) < 3
    if unit == "minute":
        return draw(st.sampled_from([Amount("1m", Fraction(60)), Amount("1m30s", Fraction(90)),
                                     Amount("0.5m", Fraction(30))]))
    if unit == "s":
        low = Fraction(draw(st.sampled_from(["0.5", "1", "1.5", "2", "3", "4", "5", "8"])))
        if not ranged:
            return Amount(f"{half(low)}{draw(st.sampled_from(['s', 's', ' sec']))}", low)
        step = Fraction(1, 2) if low.denominator == 2 or draw(st.booleans()) else Fraction(1)
        high = low + step * draw(st.integers(1, 2))
        return Amount(f"{half(low)}-{half(high)}s", high)
    per = context.count if unit == "count" else context.breath
    low_n = draw(st.integers(1, 3 if unit == "breath" else 6))
    if not ranged:
        word = unit if low_n == 1 else unit + "s"
        return Amount(f"{low_n} {word}", low_n * per)
    high_n = low_n + draw(st.integers(1, 2))
    return Amount(f"{low_n}-{high_n} {unit}s", high_n * per)


@st.composite
def intensities(draw: st.DrawFn) -> str:
    return draw(st.sampled_from([
        "", "", "", "gently", "to mild tension", "at 30%", "at 50%", "at 20-40%", "at 40-60%",
        "at 25%", "at 12.5%",
    ]))


@st.composite
def cue_lines(draw: st.DrawFn) -> list[str]:
    lines = []
    for number in range(draw(st.integers(0, 2))):
        at = draw(st.sampled_from(["", "", "at 1s ", "at 2.5s ", "at 2 counts ", "at 1 breath "]))
        who = draw(st.sampled_from(["cue", "cue", "partner"]))
        lines.append(f'  {who} {at}"Cue {number}"')
    return lines


@st.composite
def repetitions(draw: st.DrawFn, context: Context, timed: bool) -> Amount:
    """`5 reps`, `2-3 reps`, with a time per rep (`, 1.5s each`) or not; untimed (self-paced)
    only where allowed."""
    low = draw(st.integers(1, 4))
    high = low + (draw(st.integers(1, 2)) if draw(st.integers(0, 2)) == 0 else 0)
    text = f"{low} reps" if low == high else f"{low}-{high} reps"
    each = draw(st.sampled_from(["", "", ", 1.5s each", ", 2s each", ", 1 count each"]))
    per = {", 1.5s each": Fraction(3, 2), ", 2s each": Fraction(2),
           ", 1 count each": context.count}.get(each, context.rep)
    if per is None and timed:
        each, per = ", 1s each", Fraction(1)
    return Amount(text + each, high * per if per is not None else Fraction(0))


def _same_unit(found: Amount | None, unit: str) -> bool:
    return found is not None and _unit(found.text) == unit


def _with_unit(unit: str, found: Amount | None) -> bool:
    return _same_unit(found, unit)


def _unit(text: str) -> str:
    """The unit an amount's text is written in (seconds, counts or breaths)."""
    return "count" if "count" in text else "breath" if "breath" in text else "s"


VARIANTS = ["easier", "harder", "chair"]
"""The variants changes are written for: the two built in, and one each routine that uses
it declares (``variant chair "..."``)."""


@st.composite
def change_lines(draw: st.DrawFn, context: Context, timed: bool, kinds: list[str],
                 reps: bool, nested: bool) -> list[str]:
    """Changes under a step, each for another variant (two for one is P141): another amount
    (per side now and then; repetitions for a step in repetitions), `leave out`, or steps in
    its place (which may hold a change of their own, unless ``nested``)."""
    lines: list[str] = []
    for name in draw(st.lists(st.sampled_from(VARIANTS), min_size=1, max_size=2, unique=True)):
        form = draw(st.integers(0, 3))
        if form == 0 or (form == 3 and nested):
            lines.append(f"  variant {name}: leave out")
        elif form == 1 and reps:
            lines.append(f"  variant {name}: {draw(repetitions(context, True)).text.split(',')[0]}")
        elif form == 1:
            amount = draw(amounts(context))
            assert amount is not None
            if draw(st.integers(0, 4)) == 0:
                other = draw(amounts(context).filter(
                    partial(_with_unit, _unit(amount.text))))
                assert other is not None
                lines.append(f"  variant {name}: left {amount.text}, right {other.text}")
            else:
                lines.append(f"  variant {name}: {amount.text}")
        else:
            lines.append(f"  variant {name}{draw(st.sampled_from(['', ':']))}")
            for _ in range(draw(st.integers(1, 2))):
                instead = draw(steps(context, timed, kinds, nested=True))
                lines.extend("    " + line for line in instead.lines)
    return lines


@st.composite
def steps(draw: st.DrawFn, context: Context, timed: bool, kinds: list[str],
          nested: bool = False, changing: bool = True) -> Step:
    """A step; now and then with changes for some variants under it (never when not
    ``changing``; once at most in the steps a change puts in place, when ``nested``)."""
    kind = draw(st.sampled_from(kinds))
    amount = draw(repetitions(context, timed) if kind == "move" and draw(st.integers(0, 4)) > 0
                  else amounts(context, timed))
    words = [kind]
    if amount is not None and "rep" not in amount.text and draw(st.integers(0, 5)) == 0:
        # An amount for each side (`hold left 2s, right 3-4s`), in either order.
        unit = _unit(amount.text)
        other = draw(amounts(context).filter(lambda found: _same_unit(found, unit)))
        assert other is not None
        first, second = draw(st.sampled_from([("left", "right"), ("right", "left")]))
        words.append(f"{first} {amount.text}, {second} {other.text}")
        amount = Amount("", max(amount.high, other.high))
    elif amount is not None:
        words.append(amount.text)
    intensity = draw(intensities())
    if intensity:
        words.append(intensity)
    if kind in ("move", "exhale", "release") and draw(st.integers(0, 2)) == 0:
        words.append(draw(st.sampled_from(["slowly", "quickly", "steadily", "smoothly"])))
    if draw(st.booleans()):
        words.append(f'"{kind.capitalize()} now"')
    step = Step([" ".join(words), *draw(cue_lines())], amount.high if amount else Fraction(0))
    if changing and draw(st.integers(0, 11 if nested else 7)) == 1:
        reps = amount is not None and "rep" in amount.text
        step.lines += draw(change_lines(context, timed, kinds, reps, nested))
    if draw(st.integers(0, 7)) == 0:
        # A step on one side only: `left only:` around it.
        side = draw(st.sampled_from(["left", "right"]))
        step = Step([f"{side} only:", *("  " + line for line in step.lines)], step.high)
    return step


@st.composite
def only_blocks(draw: st.DrawFn, context: Context, timed: bool, kinds: list[str]) -> Repeat:
    """`variant harder only:` and a step or two under it (kept in a ``Repeat`` of one pass:
    it renders the same way, a head and a block)."""
    name = draw(st.sampled_from(VARIANTS))
    body: list[Step | Repeat] = [draw(steps(context, timed, kinds, nested=True))
                                 for _ in range(draw(st.integers(1, 2)))]
    return Repeat(f"variant {name} only", body, Fraction(0), 1)


@st.composite
def rests_between(draw: st.DrawFn, context: Context) -> tuple[str, Fraction]:
    choice = draw(st.sampled_from(["", "", "2s", "1-2s", "1 breath", "1.5s", "2-3 counts"]))
    if not choice:
        return "", Fraction(0)
    highs = {"2s": Fraction(2), "1-2s": Fraction(2), "1 breath": context.breath,
             "1.5s": Fraction(3, 2), "2-3 counts": 3 * context.count}
    text = draw(st.sampled_from(["", ' "Rest"']))
    return f", rest {choice} between{text}", highs[choice]


def longest(item: Step | Repeat) -> Fraction:
    if isinstance(item, Step):
        return item.high
    return body_longest(item)


def body_longest(repeat: Repeat) -> Fraction:
    """The longest the whole repeat takes (all passes)."""
    one = sum((longest(i) for i in repeat.body), Fraction(0))
    n = repeat.passes_high
    return n * one + max(n - 1, 0) * repeat.rest_high


@st.composite
def repeats(draw: st.DrawFn, context: Context, depth: int, in_box: bool,
            top_alternating: bool = False, changing: bool = True) -> Repeat:
    """A repeat of any form. Steps in a time box or an open repeat get no changes
    (``changing``): a variant that shortens a pass there multiplies the passes, and the
    runs, past what the reference can enumerate."""
    form = draw(st.sampled_from(["times", "times", "range", "range", "upto", "box", "box", "box",
                                 "open", "open"]))
    if form == "open" and in_box:
        form = "atmost"
    elif form == "open":
        form = draw(st.sampled_from(["open", "atmost"]))
    box = form == "box"
    changing = changing and form in ("times", "range", "upto")
    rest_text, rest_high = draw(rests_between(context))
    inner_timed = in_box or box
    size = draw(st.integers(1, 2 if depth else 3))
    body: list[Step | Repeat] = []
    for index in range(size):
        if depth < 1 and index > 0 and draw(st.integers(0, 3)) == 0:
            body.append(draw(repeats(context, depth + 1, inner_timed, changing=changing)))
        elif changing and draw(st.integers(0, 11)) == 1:
            body.append(draw(only_blocks(context, inner_timed, TIMED_KINDS)))
        else:
            kinds = TIMED_KINDS
            body.append(draw(steps(context, timed=inner_timed, kinds=kinds,
                                   changing=changing)))
    if form == "open":
        # Capped by the `limit contractions` the routine gets for it: each pass contracts.
        body.insert(0, draw(steps(context, timed=True, kinds=["contract"], changing=False)))
        passes = draw(st.integers(1, 2))
        head = draw(st.sampled_from([f"repeat at least {passes}", f"repeat {passes} or more"]))
        return Repeat(head + draw(st.sampled_from(["", " times"])), body, rest_high, passes,
                      rest_text=rest_text, uncapped=True)
    if form == "atmost":
        fewest = draw(st.integers(1, 2))
        passes = fewest + draw(st.integers(0, 2))
        head = draw(st.sampled_from([f"repeat at least {fewest}", f"repeat {fewest} or more"]))
        head += draw(st.sampled_from(["", " times"])) + f", at most {passes}"
    elif form == "times":
        passes = draw(st.integers(1, 3))
        head = f"repeat {passes}{draw(st.sampled_from(['', ' times', 'x']))}"
    elif form == "range":
        fewest = draw(st.integers(1, 2))
        passes = fewest + draw(st.integers(1, 2))
        head = f"repeat {fewest}-{passes}"
    elif form == "upto":
        passes = draw(st.integers(2, 3))
        head = f"repeat up to {passes}"
    else:
        passes = draw(st.sampled_from([0, 1, 1, 2, 2, 3]))
        repeat = Repeat("", body, rest_high, passes, rest_text=rest_text)
        one = sum((longest(i) for i in body), Fraction(0))
        gap = rest_high
        if top_alternating:
            one = 2 * one + context.switch_high
            gap = rest_high + context.switch_high
        slacks = [Fraction(0), Fraction(1, 2), one + gap - Fraction(1, 2)]
        high_slack = draw(st.sampled_from(slacks))
        if passes == 0:
            high = max(one - draw(st.sampled_from([Fraction(1, 2), one / 2])), Fraction(1, 2))
            high = Fraction(round(high * 2), 2) or Fraction(1, 2)
            if high >= one:
                passes = 1  # too short a pass to undercut: aim at one pass instead
                high = one
        else:
            high = passes * one + (passes - 1) * gap + min(high_slack, one + gap - Fraction(1, 2))
        low = high
        if passes and draw(st.booleans()):
            low_passes = draw(st.integers(0, passes))
            low = (low_passes * one + max(low_passes - 1, 0) * gap
                   + draw(st.sampled_from([Fraction(0), Fraction(1, 2)])))
            low = min(max(low, Fraction(1, 2)), high)
        repeat.head = f"repeat for {box_text(low, high, draw(st.booleans()))}"
        repeat.passes_high = passes
        return repeat
    return Repeat(head, body, rest_high, passes, rest_text=rest_text)


def seconds_text(value: Fraction, minutes: bool) -> str:
    if minutes and value >= 60 and value.denominator == 1:
        whole, rest = divmod(int(value), 60)
        return f"{whole}m{rest}s" if rest else f"{whole}m"
    return f"{half(value)}s"


def box_text(low: Fraction, high: Fraction, minutes: bool) -> str:
    if low == high:
        return seconds_text(high, minutes)
    if minutes and low >= 60 and low.denominator == 1:
        return f"{seconds_text(low, True)}-{seconds_text(high, True)}"
    return f"{half(low)}-{seconds_text(high, minutes)}"


def render(items: list[Step | Repeat], indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for item in items:
        if isinstance(item, Step):
            lines.extend(pad + line for line in item.lines)
        else:
            lines.append(f"{pad}{item.head}{item.rest_text}:")
            lines.extend(render(item.body, indent + 2))
    return lines


LIMIT_CHOICES = {
    "cycles": ["1", "2", "3", "4", "6", "2 per routine", "3 per side", "4 per routine"],
    "contractions": ["1", "2", "3", "5", "3 per routine", "4 per side", "6 per routine"],
    "contraction": ["2s", "3s", "4s", "5s", "8s", "2 counts", "3.5s"],
    "hold": ["2s", "3s", "5s", "8s", "1 breath", "2.5s"],
    "breath-hold": ["2s", "3s", "2 counts", "1 breath", "5s"],
    "effort": ["25%", "30%", "40%", "50%", "12.5%"],
    "total": ["10s", "20s", "30s", "45s", "1m", "90s", "2m", "30s per side", "45s per side",
              "1m per side", "1m per routine", "3m per side", "20s a side"],
}


@st.composite
def limit_lines(draw: st.DrawFn, most: int) -> list[str]:
    # The counted limits twice as often: their counting rules have the most cases.
    subjects = draw(st.lists(st.sampled_from(["cycles", "contractions", *LIMIT_CHOICES]),
                             max_size=most))
    return [f"limit {s} {draw(st.sampled_from(LIMIT_CHOICES[s]))}" for s in subjects]


@st.composite
def routine_texts(draw: st.DrawFn) -> str:
    """A routine's source text (not yet checked against the run budget). One in four holds
    two exercises, each with some settings, limits and handlers of its own."""
    lines = ['routine "Generated"']
    context = Context()
    lines += draw(settings_lines(context, "  ", every=True))
    lines += ["  " + line for line in draw(limit_lines(3))]
    if draw(st.integers(0, 3)) == 0:
        lines.append("  for pregnant clients:")
        group = draw(limit_lines(2)) or ["limit total 1m"]
        lines += ["    " + line for line in group]
        if draw(st.booleans()):
            lines.append('    note "Keep breathing"')
    lines += draw(handler_lines(context, "  "))
    if draw(st.integers(0, 9)) == 0:
        lines += ["  posture:", '    "Keep your back straight"']
    if draw(st.integers(0, 3)) == 0:
        undeclared = _uses_chair(lines)  # in the routine's own handlers
        for number in range(1, 3):
            start = len(lines)
            lines.append(f'  exercise "Exercise {number}":')
            own = Context(context.count, context.breath, context.rep, context.switch_high,
                          context.alternating)
            lines += draw(settings_lines(own, "    ", every=False))
            lines += ["    " + line for line in draw(limit_lines(1))]
            if draw(st.integers(0, 3)) == 0:
                lines += draw(handler_lines(own, "    ", most=1))
            top = draw(body_items(own, most=2))
            if any(_uncapped(item) for item in top):  # an open repeat: something caps it
                lines.append(f"    limit contractions {draw(st.integers(1, 6))}"
                             f"{draw(st.sampled_from(['', ' per side']))}")
            lines += render(top, 4)
            if _uses_chair(lines[start:]):
                if draw(st.booleans()):  # declared by the exercise, for itself
                    lines.insert(start + 1, "  " + CHAIR)
                else:
                    undeclared = True
        return _declared(lines, undeclared)
    top = draw(body_items(context, most=4))
    if any(_uncapped(item) for item in top):  # an open repeat: something caps it
        lines.append(f"  limit contractions {draw(st.integers(1, 6))}"
                     f"{draw(st.sampled_from(['', ' per routine', ' per side']))}")
    lines += render(top, 2)
    return _declared(lines, _uses_chair(lines))


CHAIR = '  variant chair "On a chair"'


def _uses_chair(lines: list[str]) -> bool:
    return any(line.lstrip().startswith("variant chair") for line in lines)


def _declared(lines: list[str], undeclared: bool) -> str:
    """The routine's text, with `variant chair` declared on the routine when a change
    uses it where no exercise declares it (R102; `easier` and `harder` are built in)."""
    if undeclared:
        lines.insert(1, CHAIR)
    return "\n".join(lines) + "\n"


@st.composite
def settings_lines(draw: st.DrawFn, context: Context, pad: str, every: bool) -> list[str]:
    """``tempo:``, ``sides:`` and ``switch`` lines, filling ``context`` in; an exercise
    (``every=False``) sets each only now and then, and otherwise inherits the routine's."""
    lines: list[str] = []
    sometimes = every or draw(st.integers(0, 2)) == 0
    tempo = draw(st.sampled_from(["", "", "1 count = 2s", "2 counts = 1s",
                                  "1 count = 1s, 1 breath = 4s", "1 breath = 3s",
                                  "1 rep = 2s", "1 breath = 4s, 2 reps = 5s"]))
    if tempo and sometimes:
        lines.append(f"{pad}tempo: {tempo}")
        context.count, context.breath, context.rep = Fraction(1), Fraction(5), None
        for rate in tempo.split(", "):
            left, right = rate.split(" = ")
            per = Fraction(right.rstrip("s")) / int(left.split()[0])
            if "count" in left:
                context.count = per
            elif "rep" in left:
                context.rep = per
            else:
                context.breath = per
    sides = draw(st.sampled_from(["", "none", "left only", "right only", "each",
                                  "each, right first", "each, left first", "alternating",
                                  "alternating, right first"]))
    if every or draw(st.booleans()):
        if sides:
            lines.append(f"{pad}sides: {sides}")
        if sides or every:
            context.alternating = sides.startswith("alternating")
    switch = draw(st.sampled_from(["", "switch 3s", "switch 2-3s \"Change legs\"",
                                   "switch \"Change sides\"", "switch 1 breath"]))
    if switch and (every or draw(st.booleans())) and (
            sides.startswith(("each", "alternating")) or draw(st.booleans())):
        lines.append(f"{pad}{switch}")
        context.switch_high = {"switch 3s": Fraction(3), "switch 1 breath": context.breath,
                               "switch 2-3s \"Change legs\"": Fraction(3)}.get(
            switch, Fraction(0))
    return lines


@st.composite
def handler_lines(draw: st.DrawFn, context: Context, pad: str, most: int = 2) -> list[str]:
    lines: list[str] = []
    for signal in draw(st.lists(st.sampled_from(SIGNALS), max_size=most, unique=True)):
        lines.append(f'{pad}on {signal} "Stop there":')
        body: list[Step | Repeat] = [draw(steps(context, False, HANDLER_KINDS))
                                     for _ in range(draw(st.integers(1, 2)))]
        if draw(st.integers(0, 3)) == 0:
            body.append(Repeat(f"repeat {draw(st.sampled_from(['2', '1-2', 'up to 2']))}",
                               [draw(steps(context, True, HANDLER_KINDS))], Fraction(0), 2))
        lines += render(body, len(pad) + 2)
    return lines


@st.composite
def body_items(draw: st.DrawFn, context: Context, most: int) -> list[Step | Repeat]:
    top: list[Step | Repeat] = []
    for index in range(draw(st.integers(1, most))):
        if draw(st.integers(0, 2)) == 0 or (context.alternating and index == 0):
            top.append(draw(repeats(context, 0, False, top_alternating=context.alternating)))
        elif draw(st.integers(0, 11)) == 1:
            top.append(draw(only_blocks(context, False, TIMED_KINDS)))
        else:
            top.append(draw(steps(context, False, TIMED_KINDS)))
    if context.alternating:
        top = draw(st.permutations(top))
    return top


def _uncapped(item: Step | Repeat) -> bool:
    return isinstance(item, Repeat) and (item.uncapped or any(_uncapped(i) for i in item.body))


@lru_cache(maxsize=1024)
def runs_of(text: str) -> int:
    """How many runs (up to just past MAX_RUNS); raises on a parse problem, which would be a
    bug in this generator."""
    try:
        # Each variant's runs too: the tests enumerate every variant's routine.
        parsed = reference.load(text)
        assert parsed.routine is not None
        most = 0
        for whole, chosen in reference.checked_choices(parsed.routine):
            most = max(most, reference.count_runs(
                reference.in_variant_parsed(parsed, whole, chosen), cap=MAX_RUNS))
            if most > MAX_RUNS:
                break
        return most
    except ValueError:  # an open repeat whose cap is out of the reference's reach
        return MAX_RUNS + 1


@st.composite
def timed_routines(draw: st.DrawFn) -> str:
    """A routine's source text with at most ``MAX_RUNS`` runs."""
    text = draw(routine_texts())
    assume(runs_of(text) <= MAX_RUNS)
    return text
