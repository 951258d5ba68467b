"""Hypothesis strategies for routines, shared by the property tests.

``routine_sources()`` draws whole routine files in every spelling and layout the language
accepts (alternative units, optional colons, odd spacing, tabs, CRLF, trailing spaces,
blank lines, comments everywhere, variants that change steps); every one parses without
problems. ``model_routines``
draws routine models with arbitrary values, for the printer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import msgspec.structs
from hypothesis import strategies as st

from dsl import model as m

# Plain words that are never keywords, for names the author chooses.
WORDS = ["hamstrings", "calves", "soleus", "hip", "flexors", "mat", "strap", "block",
         "kneeling", "lunge", "seated", "pregnant", "clients", "older", "Adults", "wall"]
# No NUL: a routine file with one anywhere is P112 (P122 as bytes), even in a comment.
TEXT_CHARACTERS = st.characters(blacklist_characters="\n\r\0", blacklist_categories=["Cs"])


# --- source -------------------------------------------------------------------------------


@dataclass
class Line:
    """One statement: its words (joined by random spacing), whether it may take an optional
    block colon, and the statements indented under it."""

    words: list[str]
    colon: bool = False
    children: list[Line] = field(default_factory=list)


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


texts = st.text(TEXT_CHARACTERS, max_size=12).map(quoted)
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
whole = st.integers(0, 40)
decimal = st.one_of(whole.map(str), st.sampled_from(["0.5", "1.5", "2.25", "12.5", "0.1"]))


@st.composite
def seconds_quantity(draw: st.DrawFn) -> str:
    """One amount of time in any spelling: `30s`, `30 seconds`, `1.5m`, `1min30sec`."""
    value = draw(decimal)
    form = draw(st.integers(0, 2))
    if form == 0:
        return value + draw(st.sampled_from(["s", "sec", "m", "min"]))
    if form == 1:
        unit = draw(st.sampled_from(["s", "sec", "secs", "second", "seconds", "m", "min",
                                     "mins", "minute", "minutes"]))
        return f"{value} {unit}"
    return f"{draw(whole)}{draw(st.sampled_from(['m', 'min']))}{value}" + draw(
        st.sampled_from(["s", "sec"]))


@st.composite
def counted_quantity(draw: st.DrawFn) -> str:
    unit = draw(st.sampled_from(["count", "counts", "breath", "breaths"]))
    return f"{draw(decimal)} {unit}"


@st.composite
def amounts(draw: st.DrawFn, *, joined: bool = False) -> str:
    """An amount or a range, or a parameter (``{hold}``). ``joined``: only forms that are
    one token (a known parser limitation: `5 counts at 30%` does not parse, see
    dsl/format/formatter.py)."""
    if draw(st.integers(0, 9)) == 0:
        return "{hold}"  # routine_sources declares it
    choice = draw(st.integers(0, 4))
    if choice == 0 and not joined:
        return draw(st.one_of(seconds_quantity(), counted_quantity()))
    if choice == 1 and not joined:
        unit = draw(st.sampled_from(["counts", "count", "breaths", "seconds", "s", "min"]))
        return f"{draw(decimal)}-{draw(decimal)} {unit}"
    if choice == 2:
        return f"{draw(decimal)}-{draw(decimal)}{draw(st.sampled_from(['s', 'sec', 'm']))}"
    if choice == 3:
        first = draw(decimal) + draw(st.sampled_from(["s", "m"]))
        return f"{first}-{draw(decimal)}{draw(st.sampled_from(['s', 'm']))}"
    return draw(decimal) + draw(st.sampled_from(["s", "sec", "m", "min"]))


def _unit_of(amount: str) -> str:
    """What an amount's text counts in: the two amounts of a step written per side share
    one unit (P134)."""
    for unit in ("{", "count", "breath", "rep"):
        if unit in amount:
            return unit
    return "s"


intensities = st.one_of(
    st.sampled_from(["gently", "moderately", "firmly", "to mild tension",
                     "to mild discomfort"]),
    decimal.map(lambda p: f"at {p}%"),
    st.tuples(decimal, decimal).map(lambda r: f"at {r[0]}-{r[1]}%"),
)
quantities = st.one_of(seconds_quantity(), counted_quantity())


VARIANT_NAMES = ["easier", "Harder", "chair"]
"""Variant names as written (one in capitals: names are read in lower case)."""


@st.composite
def step_changes(draw: st.DrawFn, name: str, depth: int) -> Line:
    """How a variant changes a step: another amount (per side now and then), `leave out`,
    or block items in its place (which may hold changes of their own)."""
    form = draw(st.integers(0, 3 if depth < 3 else 2))
    if form == 0:
        return Line(["variant", name, ":", draw(amounts())])
    if form == 1:
        first, second = draw(st.sampled_from([("left", "right"), ("right", "left")]))
        one = draw(amounts())
        other = draw(amounts().filter(lambda a: _unit_of(a) == _unit_of(one)))
        return Line(["variant", name, ":", first, one, ",", second, other])
    if form == 2:
        return Line(["variant", name, ":", "leave", "out"])
    body = draw(st.lists(block_items(depth + 1), min_size=1, max_size=2))
    return Line(["variant", name], colon=True, children=body)


@st.composite
def step_details(draw: st.DrawFn) -> Line:
    kind = draw(st.integers(0, 3))
    if kind <= 1:
        at = ["at", draw(quantities)] if draw(st.booleans()) else []
        return Line([["cue", "partner"][kind], *at, draw(texts)])
    if kind == 2:
        return Line([draw(st.sampled_from(["image", "video"])), draw(texts),
                     *draw(st.lists(texts, max_size=1))])
    return Line(["variant", draw(st.sampled_from(["easier", "Harder", "chair"])), draw(texts)])


@st.composite
def steps(draw: st.DrawFn, depth: int = 0) -> Line:
    line: list[str] = [draw(st.sampled_from([str(kind) for kind in m.STEP_KINDS]))]
    has_intensity = draw(st.booleans())
    effort = has_intensity and draw(st.booleans())
    form = draw(st.integers(0, 5))
    if form <= 1:
        line.append(draw(amounts(joined=effort)))
    elif form == 2:  # an amount for each side, in either order
        first, second = draw(st.sampled_from([("left", "right"), ("right", "left")]))
        one = draw(amounts())
        other = draw(amounts(joined=effort).filter(lambda a: _unit_of(a) == _unit_of(one)))
        line += [first, one, ",", second, other]
    elif form == 3 and not effort:  # repetitions, maybe with a time each
        reps = draw(st.sampled_from(["10 reps", "1 rep", "8-12 reps", "3 rep"]))
        each = draw(st.sampled_from(["", ", 3s each", ", 2 counts each", ", 1.5 sec each"]))
        line.append(reps + each)
    elif form == 4:
        line.append("briefly")
    if has_intensity:
        line.append(draw(intensities.filter(lambda i: i.startswith("at") == effort)))
    if draw(st.integers(0, 3)) == 0:
        line.append(draw(st.sampled_from(list(m.PACE_WORDS))))
    if draw(st.booleans()):
        line.append(draw(texts))
    details = draw(st.lists(step_details(), max_size=2))
    if draw(st.integers(0, 5)) == 1:  # changes, each for another variant (P141)
        names = draw(st.lists(st.sampled_from(VARIANT_NAMES), min_size=1, max_size=2,
                              unique_by=str.lower))
        details += [draw(step_changes(name, depth)) for name in names]
        details = draw(st.permutations(details))
    return Line(line, children=details)


def text_block(keyword: str) -> st.SearchStrategy[Line]:
    return st.lists(texts.map(lambda t: Line([t])), min_size=1, max_size=3).map(
        lambda items: Line([keyword], colon=True, children=items))


@st.composite
def repeats(draw: st.DrawFn, depth: int) -> Line:
    kind = draw(st.integers(0, 3))
    times = draw(st.sampled_from(["", "times", "x"]))
    if kind == 0:
        high = draw(st.integers(1, 5))
        count = [f"{high}" if draw(st.booleans()) else f"{draw(st.integers(0, high))}-{high}",
                 times]
    elif kind == 1 and draw(st.integers(0, 4)) == 0:
        count = ["{rounds}", times]  # routine_sources declares it
    elif kind == 1:
        count = ["up", "to", f"{draw(st.integers(1, 5))}", times]
    elif kind == 2:
        count = ["for", draw(amounts())]
    else:  # open: `at least 2`, `2 or more x`, either with `, at most 4 times`
        least = draw(st.integers(1, 4))
        count = (["at", "least", f"{least}"] if draw(st.booleans())
                 else [f"{least}", "or", "more"]) + [times]
        if draw(st.booleans()):
            count += [",", "at", "most", f"{least + draw(st.integers(0, 3))}",
                      draw(st.sampled_from(["", "times"]))]
    rest: list[str] = []
    if draw(st.booleans()):
        rest = [",", "rest", draw(amounts()), "between", *draw(st.lists(texts, max_size=1))]
    body = draw(st.lists(block_items(depth + 1), min_size=1, max_size=3))
    return Line(["repeat", *[w for w in count if w], *rest], colon=True, children=body)


@st.composite
def side_blocks(draw: st.DrawFn, depth: int) -> Line:
    """`left only:` or `right only:` and the items under it."""
    body = draw(st.lists(block_items(depth + 1), min_size=1, max_size=2))
    return Line([draw(st.sampled_from(["left", "right"])), "only"], colon=True, children=body)


@st.composite
def variant_blocks(draw: st.DrawFn, depth: int) -> Line:
    """`variant harder only:` and the items under it."""
    body = draw(st.lists(block_items(depth + 1), min_size=1, max_size=2))
    return Line(["variant", draw(st.sampled_from(VARIANT_NAMES)), "only"], colon=True,
                children=body)


def block_items(depth: int) -> st.SearchStrategy[Line]:
    choices = [steps(depth), text_block("posture")]
    if depth < 3:
        choices += [repeats(depth), side_blocks(depth), variant_blocks(depth)]
    return st.one_of(*choices)


limits = st.one_of(
    st.tuples(st.sampled_from(["cycles", "contractions"]), whole.map(str)),
    st.tuples(st.just("effort"), decimal.map(lambda p: f"{p}%")),
    st.tuples(st.sampled_from(["contraction", "hold", "breath-hold", "total"]), quantities),
).flatmap(lambda pair: st.sampled_from([[], ["per", "side"], ["per", "routine"],
                                        ["per", "session"]]).map(
    lambda scope: Line(["limit", pair[0], pair[1], *scope])))


@st.composite
def settings_lines(draw: st.DrawFn) -> Line:
    kind = draw(st.integers(0, 17))
    if kind == 0:
        return Line(["id", ":", draw(st.sampled_from(["calf-1", "hip", "a-b-c"]))])
    if kind == 1:
        targets = draw(st.lists(st.tuples(words, st.lists(words, max_size=2)), min_size=1,
                                max_size=3))
        spelled = [name + (f" ({', '.join(details)})" if details else "")
                   for name, details in targets]
        return Line(["targets", ":", " , ".join(spelled)])
    if kind == 2:
        items = draw(st.one_of(st.sampled_from(["none", "None"]),
                               st.lists(words, min_size=1, max_size=3).map(", ".join)))
        return Line(["equipment", ":", items])
    if kind == 3:
        return Line(["position", ":", draw(words)])
    if kind == 4:
        return Line(["level", ":", draw(st.sampled_from(["beginner", "Intermediate",
                                                          "advanced"]))])
    if kind == 5:
        mode = draw(st.sampled_from(["none", "optional", "Required"]))
        return Line(["partner", ":", mode, *draw(st.lists(texts, max_size=1))])
    if kind == 6:
        if draw(st.booleans()):
            return Line(["frequency", ":", draw(st.sampled_from(["daily", "weekly",
                                                                 "monthly"]))])
        low = draw(st.integers(1, 4))
        count = f"{low}" if draw(st.booleans()) else f"{low}-{low + draw(st.integers(0, 3))}"
        return Line(["frequency", ":", count, draw(st.sampled_from(["times", "x"])),
                     draw(st.sampled_from(["a", "per"])),
                     draw(st.sampled_from(["day", "week", "month"]))])
    if kind == 7:
        rates = draw(st.lists(st.tuples(
            st.integers(1, 8), st.sampled_from(["count", "counts", "breath", "breaths"]),
            seconds_quantity()), min_size=1, max_size=2))
        return Line(["tempo", ":", " , ".join(f"{n} {u} = {q}" for n, u, q in rates)])
    if kind == 8:
        return Line(["sides", ":", draw(st.sampled_from([
            "each", "alternating", "each, right first", "alternating , left first",
            "left only", "right only", "none"]))])
    if kind == 9:
        return Line(["switch", *draw(st.lists(amounts(), max_size=1)),
                     *draw(st.lists(texts, max_size=1))])
    if kind == 10:
        return draw(limits)
    if kind in (11, 12):
        return draw(text_block(["indications", "contraindications"][kind - 11]))
    if kind == 13:
        return Line(["note", draw(texts)])
    if kind == 14:
        return draw(step_details().filter(lambda line: line.words[0] in ("image", "video",
                                                                          "variant")))
        # (A step's details only: a change (`variant harder: 60s`) stands under a step.)
    if kind == 15:
        signal = draw(st.sampled_from(["pain", "Cramp", "dizziness", "numbness"]))
        body = draw(st.lists(block_items(1), min_size=1, max_size=2))
        return Line(["on", signal, *draw(st.lists(texts, max_size=1))], colon=True,
                    children=body)
    if kind == 16:
        members = draw(st.lists(st.one_of(limits, texts.map(lambda t: Line(["note", t]))),
                                min_size=1, max_size=2))
        return Line(["for", draw(words)], colon=True, children=members)
    return draw(block_items(0))


_PLAIN = {"{hold}": "30s", "{rounds}": "3"}


def _plain_in_time_boxes(line: Line, inside: bool = False) -> None:
    """Parameters written out inside a `repeat for` time box (its rest between passes and
    its body), where the language does not allow them (P140); its own length may stay."""
    box = line.words[:2] == ["repeat", "for"]
    if inside:
        line.words = [_PLAIN.get(w, w) for w in line.words]
    elif box:
        line.words = line.words[:3] + [_PLAIN.get(w, w) for w in line.words[3:]]
    for child in line.children:
        _plain_in_time_boxes(child, inside or box)


def _uses(line: Line, word: str) -> bool:
    return word in line.words or any(_uses(child, word) for child in line.children)


comment_texts = st.text(TEXT_CHARACTERS, max_size=10).map(lambda t: "#" + t)
spaces = st.sampled_from([" ", "  ", "\t", " \t "])


def _is_block(line: Line) -> bool:
    """A step, a repeat, a one-side block or a variant's block (which, in a routine with
    exercises, belongs to one of them)."""
    return line.words[0] in (*m.STEP_KINDS, "repeat", "left", "right") or (
        line.words[0] == "variant" and line.words[-1] == "only")


@st.composite
def exercise_lines(draw: st.DrawFn) -> Line:
    """An `exercise` block: its own settings (not `partner:` nor `frequency:`) and steps."""
    children = draw(st.lists(settings_lines().filter(
        lambda line: line.words[0] not in ("partner", "frequency")), min_size=1, max_size=4))
    return Line(["exercise", draw(texts)], colon=True, children=children)


@st.composite
def routine_sources(draw: st.DrawFn) -> str:
    """Whole routine files, laid out at random; one in five holds exercises."""
    children = draw(st.lists(settings_lines(), min_size=0, max_size=6))
    if draw(st.integers(0, 4)) == 0:
        children = [*(c for c in children if not _is_block(c)),
                    *draw(st.lists(exercise_lines(), min_size=1, max_size=3))]
    root = Line(["routine", draw(texts)], colon=True, children=children)
    _plain_in_time_boxes(root)
    # The parameters the amounts and repeats may use, declared where they are used.
    for name, value in (("hold", ["30s", ",", "20-60s"]), ("rounds", ["3", ",", "2-5"])):
        if _uses(root, f"{{{name}}}"):
            root.children.insert(draw(st.integers(0, len(root.children))), Line(
                ["parameter", name, ":", *value, *draw(st.lists(texts, max_size=1))]))
    unit = draw(st.sampled_from(["  ", "    ", "\t", " "]))
    out: list[str] = []

    def layout(line: Line, level: int) -> None:
        for _ in range(draw(st.integers(0, 2)) if draw(st.integers(0, 3)) == 0 else 0):
            out.append(draw(st.sampled_from(["", " ", "\t"])))
        if draw(st.integers(0, 4)) == 0:  # a comment on a line of its own
            out.append(draw(st.sampled_from(["", " ", "\t", unit * level, unit * (level + 1)]))
                       + draw(comment_texts))
        text = unit * level + draw(spaces).join(line.words)
        if line.colon and draw(st.booleans()):
            text += draw(st.sampled_from([":", " :", "  :"]))
        if draw(st.integers(0, 4)) == 0:
            text += draw(st.sampled_from(["", " ", "  ", "\t"])) + draw(comment_texts)
        out.append(text + draw(st.sampled_from(["", "", " ", "\t "])))
        for child in line.children:
            layout(child, level + 1)
        if line.children and draw(st.integers(0, 5)) == 0:  # a comment ending the block
            out.append(unit * (level + 1) + draw(comment_texts))

    layout(root, 0)
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["", unit])) + draw(comment_texts))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = "\ufeff" if draw(st.integers(0, 9)) == 0 else ""
    ending = draw(st.sampled_from(["", newline, newline * 2]))
    if "#" in out[-1] and not out[-1].lstrip(" \t").startswith("#"):
        ending = ending or newline  # the parser needs a line break after a last `# comment`
    return bom + newline.join(out) + ending


# --- models -------------------------------------------------------------------------------

floats = st.one_of(st.integers(0, 10_000), st.floats(0, 1e6, allow_nan=False,
                                                     allow_infinity=False))
model_texts = st.text(TEXT_CHARACTERS, max_size=8)
names = st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join)


def model_amounts(units: tuple[m.Unit, ...] = ("s", "count", "breath")) -> st.SearchStrategy[
        m.Amount]:
    return st.tuples(st.sampled_from(units), floats, floats, st.booleans()).map(
        lambda a: m.Amount(m.Quantity(a[1], a[0]), m.Quantity(a[2] if a[3] else a[1], a[0])))


UNITS: tuple[m.Unit, ...] = ("s", "count", "breath")
LEVELS: tuple[m.IntensityLevel, ...] = (
    "gentle", "moderate", "firm", "mild-discomfort", "mild-tension")
model_quantities = st.tuples(floats, st.sampled_from(UNITS)).map(
    lambda q: m.Quantity(q[0], q[1]))
model_intensities = st.one_of(
    st.sampled_from(LEVELS).map(
        lambda level: m.Intensity(level)),
    st.tuples(floats, floats, st.booleans()).map(
        lambda e: m.Intensity(None, e[0] if e[2] else e[1], e[1])),
)
model_details = st.one_of(
    st.builds(m.Cue, model_texts, st.none() | model_quantities, st.booleans()),
    st.builds(m.Media, st.sampled_from(["image", "video"]), model_texts,
              st.none() | model_texts),
    st.builds(m.Variant, st.sampled_from(["easier", "harder", "chair"]), model_texts),
)
model_side_amounts = st.tuples(model_amounts(), model_amounts(), st.sampled_from(
    ["left", "right"])).filter(lambda a: a[0].unit == a[1].unit).map(  # one unit: P134
    lambda a: m.SideAmounts(a[0], a[1], a[2]))  # type: ignore[arg-type]
model_plain_steps = st.one_of(
    st.builds(
        m.Step, st.sampled_from(m.STEP_KINDS), st.none() | model_amounts(),
        st.none() | model_intensities, st.none() | model_texts,
        st.lists(model_details, max_size=2).map(tuple),
    ),
    st.tuples(st.sampled_from(m.STEP_KINDS), model_side_amounts,
              st.none() | model_intensities, st.none() | model_texts).map(
        lambda s: m.Step(s[0], s[1].longest, s[2], s[3], by_side=s[1])),
)


def _model_change(name: str) -> st.SearchStrategy[m.StepChange]:
    return st.one_of(
        model_amounts().map(lambda a: m.StepChange(name, a)),
        model_side_amounts.map(lambda a: m.StepChange(name, a.longest, a)),
        st.just(m.StepChange(name, leave_out=True)),
        st.lists(model_plain_steps, min_size=1, max_size=2).map(
            lambda found: m.StepChange(name, steps=tuple(found))),
    )


model_changes = st.lists(st.sampled_from(["easier", "harder", "chair"]), min_size=1,
                         max_size=2, unique=True).flatmap(
    lambda names: st.tuples(*(_model_change(name) for name in names)))
"""Changes under one step, each for another variant (two for one is P141)."""
model_steps = st.one_of(
    model_plain_steps,
    st.tuples(model_plain_steps, model_changes).map(
        lambda s: msgspec.structs.replace(s[0], details=(*s[0].details, *s[1]))),
)
model_postures = st.lists(model_texts.map(m.Text), min_size=1, max_size=2).map(
    lambda cues: m.Posture(tuple(cues)))
model_counts = st.one_of(
    st.tuples(st.integers(0, 9), st.integers(0, 9)).map(
        lambda c: m.RepeatCount("times", c[0], c[1])),
    st.integers(0, 9).map(lambda n: m.RepeatCount("up_to", 1, n)),
    model_amounts().map(lambda a: m.RepeatCount("for", None, None, a)),
)
model_rests = st.none() | st.builds(m.RestBetween, model_amounts(), st.none() | model_texts)
model_blocks = st.recursive(
    st.one_of(model_steps, model_postures),
    lambda inner: st.one_of(
        st.builds(m.Repeat, model_counts,
                  st.lists(inner, min_size=1, max_size=3).map(tuple), model_rests),
        st.builds(m.SideOnly, st.sampled_from(["left", "right"]),
                  st.lists(inner, min_size=1, max_size=2).map(tuple)),
        st.builds(m.VariantOnly, st.sampled_from(["easier", "harder", "chair"]),
                  st.lists(inner, min_size=1, max_size=2).map(tuple))),
    max_leaves=6,
)
model_limits = st.one_of(
    st.tuples(st.sampled_from(["cycles", "contractions"]), st.integers(0, 99)).map(
        lambda c: (c[0], c[1], "times")),
    floats.map(lambda p: ("effort", p, "percent")),
    st.tuples(st.sampled_from(["contraction", "hold", "breath-hold", "total"]),
              model_quantities).map(lambda q: (q[0], q[1].value, q[1].unit)),
).flatmap(lambda lim: st.sampled_from(
    ["step"] if lim[0] in m.STEP_LIMITS else ["side", "routine"]).map(
    lambda per: m.Limit(lim[0], lim[1], lim[2], per)))  # type: ignore[arg-type]
model_targets = st.lists(st.tuples(names, st.lists(names, max_size=2)), min_size=1,
                         max_size=3).map(lambda ts: m.Targets(tuple(
                             m.Target(n, tuple(m.Target(d) for d in ds)) for n, ds in ts)))
_exercise_settings = [
    st.builds(m.RoutineId, st.sampled_from(["calf", "hip-2"])),
    model_targets,
    st.lists(names.map(m.Text), max_size=2).map(lambda items: m.Equipment(tuple(items))),
    st.builds(m.Position, names),
    st.builds(m.Level, st.sampled_from(m.LEVELS)),
    st.lists(st.builds(m.TempoRate, st.sampled_from(["count", "breath"]), floats),
             min_size=1, max_size=2).map(lambda rates: m.Tempo(tuple(rates))),
    st.sampled_from([m.Sides("each", "left"), m.Sides("alternating", "right"),
                     m.Sides("one", "right"), m.Sides("none")]),
    st.builds(m.Switch, st.none() | model_amounts(), st.none() | model_texts),
    model_limits,
    st.lists(model_texts.map(m.Text), min_size=1, max_size=2).map(
        lambda t: m.Indications(tuple(t))),
    st.lists(model_texts.map(m.Text), min_size=1, max_size=2).map(
        lambda t: m.Contraindications(tuple(t))),
    st.builds(m.Note, model_texts),
    st.builds(m.SafetyHandler, st.sampled_from(m.SIGNALS),
              st.lists(model_blocks, min_size=1, max_size=2).map(tuple),
              st.none() | model_texts),
    st.builds(m.Group, names, st.lists(st.one_of(model_limits, st.builds(m.Note, model_texts)),
                                       min_size=1, max_size=2).map(tuple)),
]
"""The settings an exercise may give (all a routine's but ``partner:`` and ``frequency:``)."""
_routine_only = [
    st.builds(m.Partner, st.sampled_from(m.PARTNER_MODES), st.none() | model_texts),
    st.tuples(st.integers(0, 9), st.integers(0, 9), st.sampled_from(m.PERIODS)).map(
        lambda f: m.Frequency(*f)),
]
model_items = st.one_of(model_blocks, *_exercise_settings, *_routine_only)
model_exercises = st.builds(
    m.Exercise, model_texts,
    st.lists(st.one_of(model_blocks, *_exercise_settings), min_size=1, max_size=4).map(tuple))
model_programmes = st.builds(
    m.Routine, model_texts,
    st.tuples(st.lists(st.one_of(model_postures, *_exercise_settings, *_routine_only),
                       max_size=3),
              st.lists(model_exercises, min_size=1, max_size=3)).map(
        lambda parts: (*parts[0], *parts[1])))
"""Routines of several exercises: settings and standing cues, then the exercises."""
model_routines = st.one_of(
    st.builds(m.Routine, model_texts, st.lists(model_items, max_size=6).map(tuple)),
    model_programmes)
