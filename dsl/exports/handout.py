"""A compiled routine or session as the handout a clinic hands out: one HTML page, printed
to PDF by WeasyPrint.

The handout is made from the compiled document only, and says the steps in the words a
voice says them (each timeline entry's ``speech``, docs/voice.md), so the paper, the
player and the audio never disagree. The timeline is written out grouped the way a coach
writes a sheet, not entry by entry:

- per exercise (``sections``), then per side: a side whose steps are the ones of the side
  before, but for the side words, is one line ("Right side: the same steps, on the right
  side."), not written out again;
- a repeat is shown once, as "Repeat up to 3 times:" with the steps of its first pass
  (found from each entry's ``passes``), and its rest between passes once;
- a step's cues under it, the standing cues ("Throughout:") above the steps they hold for.

Around the steps: the title, targets, equipment, position, partner, how often and how
long; the pictures (a local image read beside the routine file and embedded as a data
URI, a remote one left as a link with its caption); the safety limits in words; what to
do on each signal (the safety handlers' ``speech`` and their steps'); indications and
contraindications; notes. Texts that are templates (``{side}``) are filled with words that
fit either side ("working", "other"): a handout is read for both.

The HTML needs nothing but this module and its style sheet (``handout.css``, inlined), so
``stretch handout -o x.html`` works on the core install; the PDF needs WeasyPrint
(``pip install 'stretch-dsl[web]'``), which is given the HTML and fetches nothing: every
picture is already inside it. The PDF's dates come from ``SOURCE_DATE_EPOCH`` (else
2000-01-01), so the same routine gives the same file.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dsl.model import printer
from dsl.model.placeholders import fill
from dsl.timeline import voice

INSTALL = "pip install 'stretch-dsl[web]'"
"""How to get WeasyPrint, for the message when it is missing."""

PAPERS = {"a4": "A4", "letter": "letter"}
"""``--paper`` choices and their CSS page size."""

FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The PDF's creation date when ``SOURCE_DATE_EPOCH`` is not set."""

MAX_IMAGE_SIZE = 10_000_000
"""The largest picture embedded; a larger one is left as its caption (and a warning)."""

IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
               ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}

PRINTED_SIDE_WORDS = {"side": "working", "Side": "Working", "other": "other",
                      "Other": "Other"}
"""What a template's side words print as: a handout is read for both sides."""


class HandoutError(Exception):
    """Something that stops a handout being made (a programme, WeasyPrint missing)."""


@dataclass
class Handout:
    """The handout's HTML, and what the reader of the command should know (a picture that
    could not be embedded)."""

    html: str
    warnings: list[str] = field(default_factory=list)


# --- the whole page ------------------------------------------------------------------


def handout_html(document: Mapping[str, Any], *, base: Path, paper: str = "a4") -> Handout:
    """The handout of a compiled routine or session document as one self-contained HTML
    page. ``base`` is the folder the routine file is in: local pictures are read from
    there. ``paper`` is ``a4`` or ``letter``."""
    if paper not in PAPERS:
        raise HandoutError(f"--paper takes `a4` or `letter`, not `{paper}`")
    kind = document.get("kind", "routine")
    if kind == "programme":
        raise HandoutError("a programme has no steps of its own: make a handout of one of "
                           "its sessions or routines")
    page = _Page(base=base)
    stamp = _stamp()
    title = str(document["metadata"]["title"])
    if kind == "session":
        body = _session(page, document)
    else:
        body = _routine(page, document, base=base, level=1)
    text = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_e(title)}</title>\n"
        '<meta name="generator" content="stretch">\n'
        f'<meta name="dcterms.created" content="{stamp}">\n'
        f'<meta name="dcterms.modified" content="{stamp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>\n{_style_sheet()}\n@page {{ size: {PAPERS[paper]}; }}\n</style>\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )
    return Handout(text, page.warnings)


def handout_pdf(page: str) -> bytes:
    """The PDF of a handout page (``handout_html``), through WeasyPrint, fetching
    nothing: the page holds its pictures."""
    try:
        import weasyprint
    except ImportError:
        raise HandoutError(f"a PDF handout needs WeasyPrint: {INSTALL} (or write "
                           "the handout as .html)") from None

    # Every picture is in the page as a data URI: nothing else is fetched, ever.
    fetcher_class = getattr(getattr(weasyprint, "urls", None), "URLFetcher", None)
    if fetcher_class is not None:  # WeasyPrint 67 and later
        fetcher: Any = fetcher_class(allowed_protocols={"data"}, fail_on_errors=False)
    else:
        def fetcher(url: str, *args: Any, **kwargs: Any) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"a handout fetches nothing ({url})")
            return weasyprint.default_url_fetcher(url, *args, **kwargs)

    data = weasyprint.HTML(string=page, url_fetcher=fetcher).write_pdf()
    assert data is not None  # no target given: WeasyPrint returns the bytes
    return bytes(data)


def _stamp() -> str:
    """The document's date, ISO 8601: ``SOURCE_DATE_EPOCH`` or the fixed date (as the
    calendar export reads it: a malformed value is an error, never silently replaced)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when: dt.datetime | None = FIXED_DATE
    if epoch:
        when = None
        if epoch.strip().isdigit():
            with contextlib.suppress(OverflowError, OSError, ValueError):
                when = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        if when is None:
            raise HandoutError("SOURCE_DATE_EPOCH must be a whole number of seconds since "
                               f"1970-01-01 UTC, not `{epoch}`")
    assert when is not None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _style_sheet() -> str:
    return Path(__file__).with_name("handout.css").read_text(encoding="utf-8")


@dataclass
class _Page:
    """What the page builder carries: where pictures are read from, and the warnings."""

    base: Path
    warnings: list[str] = field(default_factory=list)


# --- a session -----------------------------------------------------------------------


def _session(page: _Page, document: Mapping[str, Any]) -> str:
    metadata = document["metadata"]
    out = [f"<header>\n<h1>{_e(metadata['title'])}</h1>\n"]
    out.append(_facts([("Time", _total_time(document["summary"]))]))
    out.append("</header>\n")
    out.append(_list_section("Limits", [_limit_words(limit) for limit in document["limits"]]))
    out.append(_list_section("Notes", [_printed(n) for n in metadata["notes"]]))
    entries_by_part: dict[int, list[Mapping[str, Any]]] = {}
    for entry in document["timeline"]:
        entries_by_part.setdefault(entry["part"], []).append(entry)
    # The session at a glance, then each routine in full.
    overview = []
    for part in document["parts"]:
        if part["kind"] == "step":
            said = " ".join(e["speech"] for e in entries_by_part.get(part["index"], []))
            overview.append(f'<li class="between">{_e(_printed(said))}</li>')
        else:
            duration = part["duration"]
            overview.append(f"<li>{_e(part['routine']['metadata']['title'])} "
                            f"({_e(_time_range(duration['min'], duration['max']))})</li>")
    out.append('<section class="parts">\n<h2>In order</h2>\n<ol class="overview">'
               + "".join(overview) + "</ol>\n")
    for part in document["parts"]:
        if part["kind"] == "step":
            said = " ".join(e["speech"] for e in entries_by_part.get(part["index"], []))
            out.append(f'<p class="between">{_e(_printed(said))}</p>\n')
            continue
        routine = part["routine"]
        base = (page.base / part["path"]).parent
        out.append('<article class="part">\n')
        out.append(_routine(page, routine, base=base, level=2))
        out.append("</article>\n")
    out.append("</section>\n")
    out.append(_footer(document))
    return "".join(out)


# --- a routine -----------------------------------------------------------------------


def _routine(page: _Page, document: Mapping[str, Any], *, base: Path, level: int) -> str:
    """A routine's handout; ``level`` 1 on its own, 2 as a part of a session."""
    metadata = document["metadata"]
    h, h2 = f"h{level}", f"h{level + 1}"
    out = [f"<header>\n<{h}>{_e(metadata['title'])}</{h}>\n<div class=\"top\">\n"]
    out.append(_facts([*_metadata_facts(metadata),
                       ("Time", _total_time(document["summary"])),
                       *_parameter_facts(document.get("parameters", []))]))
    out.append(_pictures(page, metadata["media"], base))
    out.append("</div>\n")
    titles = {s["id"]: s["title"] for s in document.get("sections", [])}
    chosen = [c["variant"] if c["section"] is None
              else f"{c['variant']} ({titles.get(c['section'], c['section'])})"
              for c in document.get("chosenVariants", [])]
    if chosen:
        out.append(f'<p class="chosen">As prescribed: {_e(", ".join(chosen))}.</p>\n')
    out.append("</header>\n")
    # What keeps the person safe comes before the steps: the limits, what to do on pain,
    # and when not to do the routine at all.
    out.append(_safety(document, document["safetyHandlers"], document["limits"], h2,
                       always=True))
    out.append(_list_section("Contraindications: do not do this when", _sentences(
        metadata["contraindications"]), h2))
    out.append(_groups(document, h2))
    out.append(f'<section class="steps">\n<{h2}>Steps</{h2}>\n')
    out.append(_standing(document, "routine", None))
    timeline = document["timeline"]
    sections = document.get("sections")
    if sections:
        for section in sections:
            first, count = section["timeline"]["first"], section["timeline"]["count"]
            out.append(_exercise(page, document, section, timeline[first:first + count],
                                 len(sections), base, level + 2))
    else:
        out.append(_sides(document, timeline))
    out.append("</section>\n")
    out.append(_list_section("Indications: this may help with", _sentences(
        metadata["indications"]), h2))
    out.append(_variants(metadata, document.get("variants", []), h2))
    out.append(_list_section("Notes", [_printed(n) for n in metadata["notes"]], h2))
    if level == 1:
        out.append(_footer(document))
    return "".join(out)


def _exercise(page: _Page, document: Mapping[str, Any], section: Mapping[str, Any],
              entries: Sequence[Mapping[str, Any]], total: int, base: Path,
              level: int) -> str:
    """One exercise of a routine: its title, what it sets that the routine does not, its
    own limits and handlers, its steps."""
    mine, routine = section["metadata"], document["metadata"]
    h = f"h{min(level, 6)}"
    out = [f'<section class="exercise">\n<{h}>Exercise {section["index"] + 1} of {total}: '
           f"{_e(section['title'])}</{h}>\n"]
    own = {k: v for k, v in mine.items() if routine.get(k) != v}
    out.append(_facts([*_metadata_facts(own), ("Time", _total_time(section["summary"]))]))
    out.append(_pictures(page, own.get("media") or [], base))
    limits = [limit for limit in section["limits"] if limit not in document["limits"]]
    out.append(_safety(document, section["safetyHandlers"], limits, f"h{min(level + 1, 6)}",
                       always=False))
    out.append(_list_section("Indications", _sentences(own.get("indications") or []),
                             f"h{min(level + 1, 6)}"))
    out.append(_list_section("Contraindications", _sentences(
        own.get("contraindications") or []), f"h{min(level + 1, 6)}"))
    out.append(_standing(document, "exercise", section["id"]))
    out.append(_sides(document, entries))
    out.append(_list_section("Notes", [_printed(n) for n in own.get("notes") or []],
                             f"h{min(level + 1, 6)}"))
    out.append("</section>\n")
    return "".join(out)


def _metadata_facts(metadata: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The facts a coach's sheet opens with, as label and words; those not said left out."""
    facts: list[tuple[str, str]] = []
    targets = metadata.get("targets") or []
    if targets:
        facts.append(("Targets", "; ".join(
            t["name"] + (f" ({', '.join(t['details'])})" if t["details"] else "")
            for t in targets)))
    equipment = metadata.get("equipment")
    if equipment is not None:
        facts.append(("Equipment", ", ".join(equipment) if equipment else "none"))
    if metadata.get("position"):
        facts.append(("Position", str(metadata["position"])))
    if metadata.get("level"):
        facts.append(("Level", str(metadata["level"])))
    partner = metadata.get("partner")
    if partner and partner["mode"] != "none":
        said = "needed" if partner["mode"] == "required" else "optional"
        facts.append(("Partner", said + (f": {_printed(partner['text'])}"
                                         if partner["text"] else "")))
    frequency = metadata.get("frequency")
    if frequency:
        facts.append(("How often", _frequency(frequency)))
    sides = metadata.get("sides")
    if sides and sides["mode"] != "none":
        facts.append(("Sides", _sides_words(sides)))
    return facts


def _parameter_facts(parameters: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The values the coach set (``--set``, or the defaults): "Set for you", each with its
    own text."""
    said = []
    for parameter in parameters:
        value, unit = parameter["value"], parameter["unit"]
        amount = (printer.number(value) if unit is None
                  else printer.spoken_amount(value, value, unit))
        said.append(f"{_printed(parameter['text'] or parameter['name'])}: {amount}")
    return [("Set for you", "; ".join(said))] if said else []


def _frequency(frequency: Mapping[str, Any]) -> str:
    low, high = frequency["min"], frequency["max"]
    count = printer.number(low) if low == high else (
        f"{printer.number(low)} to {printer.number(high)}")
    times = "once" if low == high == 1 else f"{count} times"
    return f"{times} a {frequency['per']}"


def _sides_words(sides: Mapping[str, Any]) -> str:
    first = sides.get("first")
    if sides["mode"] == "each":
        return f"each side, {first} first" if first else "each side"
    if sides["mode"] == "alternating":
        return f"both sides in turn, {first} first" if first else "both sides in turn"
    return f"{first} side only" if first else "one side only"


def _total_time(summary: Mapping[str, Any]) -> str:
    """How long it takes, in words; untimed steps are the person's own time."""
    said = _time_range(summary["duration"]["min"], summary["duration"]["max"])
    if summary["untimedSteps"]["max"]:
        said += ", and the steps you take at your own pace"
    return said


def _time_range(low: float, high: float) -> str:
    """A length that may vary, in words, as the voice says an amount: "30 seconds", "2 to
    3 minutes", "1 minute 50 seconds to 6 minutes 30 seconds"."""
    return printer.spoken_amount(low, high, "s")


def _seconds(value: float) -> str:
    return printer.spoken_amount(value, value, "s")


# --- pictures ------------------------------------------------------------------------


def _pictures(page: _Page, media: Sequence[Mapping[str, Any]], base: Path) -> str:
    if not media:
        return ""
    out = ['<section class="pictures">\n']
    for item in media:
        caption = _printed(item["caption"] or "")
        source = str(item["source"])
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", source):
            # A remote picture or video: the handout fetches nothing; the link is printed.
            out.append(f'<figure class="remote"><figcaption>{_e(caption or item["kind"])}'
                       f' <a href="{_e(source)}">{_e(source)}</a></figcaption></figure>\n')
            continue
        embedded = _embedded(page, base / source, source) if item["kind"] == "image" else None
        if embedded is None:
            out.append(f'<figure class="missing"><figcaption>{_e(caption)} '
                       f"({_e(source)})</figcaption></figure>\n")
            continue
        out.append(f'<figure><img src="{embedded}" alt="{_e(caption)}">'
                   f"<figcaption>{_e(caption)}</figcaption></figure>\n")
    out.append("</section>\n")
    return "".join(out)


def _embedded(page: _Page, path: Path, written: str) -> str | None:
    """A local picture as a data URI, or None (and a warning) when it cannot be."""
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        page.warnings.append(f"picture {written}: not an image the handout can embed "
                             f"({', '.join(IMAGE_TYPES)}); its caption is printed instead")
        return None
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_SIZE:
            page.warnings.append(f"picture {written} is too large to embed (the most is "
                                 f"{MAX_IMAGE_SIZE // 1_000_000} MB); its caption is printed "
                                 "instead")
            return None
        data = path.read_bytes()
    except OSError as error:
        page.warnings.append(f"picture {written}: cannot read it ({error.strerror or error}); "
                             "its caption is printed instead")
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


# --- safety --------------------------------------------------------------------------


def _safety(document: Mapping[str, Any], handlers: Sequence[Mapping[str, Any]],
            limits: Sequence[Mapping[str, Any]], h: str, *, always: bool) -> str:
    """The limits in words, then what to do on each signal: the first handler for a signal
    is the one that runs, as in the opening words. ``always``: say what to do on pain even
    without a handler (a routine's sheet; an exercise's says only its own)."""
    items: list[str] = []
    seen: set[str] = set()
    for handler in handlers:
        if handler["signal"] in seen:
            continue
        seen.add(handler["signal"])
        steps = "".join(f"<li>{_e(_printed(entry['speech']))}</li>"
                        for entry in handler["timeline"])
        items.append(f'<div class="signal"><p><strong>'
                     f"{_e(voice.SIGNAL_PHRASES[handler['signal']])}:</strong> "
                     f"{_e(_printed(handler['speech']))}</p>"
                     + (f"<ol>{steps}</ol>" if steps else "") + "</div>\n")
    if always and "pain" not in seen:
        items.insert(0, f'<div class="signal"><p><strong>{_e(voice.STOP_ON_PAIN)}'
                        "</strong></p></div>\n")
    said = [_limit_words(limit) for limit in limits if limit.get("group") is None]
    if not items and not said:
        return ""
    out = [f'<section class="safety">\n<{h}>Safety</{h}>\n']
    if said:
        out.append("<ul class=\"limits\">" + "".join(f"<li>{_e(s)}</li>" for s in said)
                   + "</ul>\n")
    out.extend(items)
    out.append("</section>\n")
    return "".join(out)


_PER_WORDS = {"side": " on each side", "routine": "", "session": "", "step": ""}


def _limit_words(limit: Mapping[str, Any]) -> str:
    """A limit as a sentence for the person: "At most 3 contract and relax cycles on each
    side."."""
    subject, value, per = limit["subject"], limit["value"], limit.get("per", "routine")
    where = _PER_WORDS.get(per, "")
    count = printer.number(value)
    seconds = limit.get("seconds")
    if seconds is None and limit.get("unit") == "s":
        seconds = value
    if subject == "cycles":
        noun = "cycle" if value == 1 else "cycles"
        return f"At most {count} contract and relax {noun}{where}."
    if subject == "contractions":
        noun = "contraction" if value == 1 else "contractions"
        return f"At most {count} {noun}{where}."
    if subject == "contraction":
        return f"No contraction longer than {_limit_amount(limit, seconds)}."
    if subject == "hold":
        return f"No hold longer than {_limit_amount(limit, seconds)}."
    if subject == "breath-hold":
        return f"Never hold your breath longer than {_limit_amount(limit, seconds)}."
    if subject == "effort":
        return f"Never contract harder than {count} percent effort."
    if subject == "total":
        return f"No more than {_seconds(seconds or value)}{where or ' in all'}."
    return f"{subject.replace('-', ' ').capitalize()}: at most {count}{where}."


def _limit_amount(limit: Mapping[str, Any], seconds: float | None) -> str:
    """A step's bound as written: "10 seconds", "2 counts", "1 breath"."""
    unit = limit.get("unit")
    if unit in ("count", "breath"):
        return printer.spoken_amount(limit["value"], limit["value"], unit)
    return _seconds(seconds if seconds is not None else limit["value"])


def _groups(document: Mapping[str, Any], h: str) -> str:
    """Groups of people (``for pregnant clients:``): their notes and their own limits."""
    out = []
    for group in document.get("groups", []):
        said = [_printed(n) for n in group["notes"]]
        said += [_limit_words(limit) for limit in document["limits"]
                 if limit.get("group") == group["name"]]
        out.append(_list_section(f"For {group['name']}", said, h))
    return "".join(out)


def _variants(metadata: Mapping[str, Any], variants: Sequence[Mapping[str, Any]],
              h: str) -> str:
    said = [f"{v['name'].capitalize()}: {_printed(v['text'])}" if v.get("text")
            else v["name"].capitalize() for v in variants]
    return _list_section("Variants", said, h)


# --- the steps -----------------------------------------------------------------------


@dataclass
class _Step:
    entry: Mapping[str, Any]


@dataclass
class _Repeat:
    repeat: str
    children: list[_Step | _Repeat]
    between: Mapping[str, Any] | None


_Node = _Step | _Repeat


def _tree(entries: Sequence[Mapping[str, Any]], depth: int = 0) -> list[_Node]:
    """The entries as steps and repeats, each repeat run once: the entries of its first
    pass, and its first rest between passes. ``depth`` is how many repeats are around."""
    nodes: list[_Node] = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        passes = entry["passes"]
        if len(passes) <= depth:
            nodes.append(_Step(entry))
            i += 1
            continue
        repeat = passes[depth]["repeat"]
        run_end = i
        while (run_end < len(entries) and len(entries[run_end]["passes"]) > depth
               and entries[run_end]["passes"][depth]["repeat"] == repeat):
            run_end += 1
        run = entries[i:run_end]
        first = run[0]["passes"][depth]["pass"]
        between = next((e for e in run if e["origin"] == "restBetween"
                        and len(e["passes"]) == depth + 1), None)
        shown = [e for e in run if e["passes"][depth]["pass"] == first
                 and e is not between]
        nodes.append(_Repeat(repeat, _tree(shown, depth + 1), between))
        i = run_end
    return nodes


def _entries(node: _Node) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, _Step):
        yield node.entry
        return
    for child in node.children:
        yield from _entries(child)
    if node.between is not None:
        yield node.between


def _sides(document: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> str:
    """The steps of a routine (or an exercise), grouped per side: a run of steps and
    repeats on one side under its heading; a side that does what the one before did is
    said in a line."""
    groups: list[tuple[str | None, list[_Node]]] = []
    for node in _tree(entries):
        sides = {e["side"] for e in _entries(node)}
        side = next(iter(sides)) if len(sides) == 1 else None
        is_switch = isinstance(node, _Step) and node.entry["kind"] == "switch"
        if is_switch or not groups or groups[-1][0] != side:
            groups.append((None if is_switch else side, []))
        groups[-1][1].append(node)
        if is_switch:
            groups.append((side, []))
    out = []
    done: list[tuple[str | None, list[tuple[str, str]]]] = []
    for side, nodes in groups:
        if not nodes:
            continue
        shape = _shape(nodes, side)
        before = next((s for s in reversed(done) if s[0] is not None and s[0] != side), None)
        if side is not None and before is not None and before[1] == shape:
            out.append(f'<p class="same-side"><strong>{side.capitalize()} side:</strong> '
                       f"the same steps, on the {side} side.</p>\n")
            continue
        done.append((side, shape))
        if len(nodes) == 1 and isinstance(nodes[0], _Step) and nodes[0].entry["kind"] == "switch":
            out.append(f'<p class="switch">{_e(_said(nodes[0].entry, None))}</p>\n')
            continue
        if side is not None:
            out.append(f'<p class="side">{side.capitalize()} side</p>\n')
        out.append(_steps(document, nodes, side))
    return "".join(out)


def _shape(nodes: Sequence[_Node], side: str | None) -> list[tuple[str, str]]:
    """What makes two sides' steps the same: each entry's key and words, with the side
    they are on made neutral."""
    shape = []
    for node in nodes:
        for entry in _entries(node):
            key = re.sub(r"/(left|right)$", "", entry["key"])
            shape.append((key, _neutral(_said(entry, side), side)))
    return shape


def _neutral(text: str, side: str | None) -> str:
    if side is None:
        return text
    other = "right" if side == "left" else "left"
    words = {side: "\0side", side.capitalize(): "\0Side", other: "\0other",
             other.capitalize(): "\0Other"}
    return re.sub(r"\b(left|right|Left|Right)\b", lambda m: words[m[0]], text)


def _said(entry: Mapping[str, Any], side: str | None) -> str:
    """An entry's words on the sheet: its ``speech``, without the "Left side." a heading
    already says."""
    speech = str(entry["speech"])
    if side is not None:
        speech = speech.removeprefix(f"{side.capitalize()} side. ")
    return _printed(speech)


def _steps(document: Mapping[str, Any], nodes: Sequence[_Node], side: str | None) -> str:
    items = []
    for node in nodes:
        if isinstance(node, _Step):
            items.append(_step(node.entry, side))
            continue
        inner = _steps(document, node.children, side)
        between = ""
        if node.between is not None:
            between = (f'<p class="between">Between passes: '
                       f"{_e(_said(node.between, side))}</p>")
        items.append(f'<li class="repeat"><p class="repeat-head">'
                     f"{_e(_repeat_words(document, node.repeat))}</p>"
                     f"{_standing(document, 'repeat', node.repeat)}{inner}{between}</li>\n")
    return '<ol class="timeline">\n' + "".join(items) + "</ol>\n"


def _step(entry: Mapping[str, Any], side: str | None) -> str:
    kind = "switch" if entry["kind"] == "switch" else "step"
    cues = "".join(f"<li>{_e(_printed(cue['speech']))}</li>" for cue in entry["cues"])
    return (f'<li class="{kind}">{_e(_said(entry, side))}'
            + (f'<ul class="cues">{cues}</ul>' if cues else "") + "</li>\n")


def _repeat_words(document: Mapping[str, Any], repeat_id: str) -> str:
    """A repeat's heading: "Repeat 3 times:", "Repeat up to 3 times:", "Repeat for 2
    minutes (up to 4 times):"."""
    repeat = next(r for r in document["repeats"] if r["id"] == repeat_id)
    low, high = repeat["passes"]["min"], repeat["passes"]["max"]

    def times(n: int) -> str:
        return "once" if n == 1 else f"{n} times"

    mode = repeat["mode"]
    if mode == "upTo":
        said = f"Repeat up to {times(high)}"
    elif mode == "for":
        bound = repeat["timeBound"]
        length = _time_range(bound["min"], bound["max"])
        passes = times(high) if low == high else f"{low} to {high} times"
        said = f"Repeat for {length} ({passes})"
    elif mode == "atLeast":
        said = f"Repeat at least {times(low)}" + (f", at most {times(high)}"
                                                 if high > low else "")
    elif low == high:
        said = f"Repeat {times(low)}"
    else:
        said = f"Repeat {low} to {high} times"
    if repeat.get("alternatesSides"):
        said += ", each time on both sides"
    return said + ":"


def _standing(document: Mapping[str, Any], scope: str, within: str | None) -> str:
    """The standing cues of one scope ("Throughout:"), as sentences."""
    said = [voice.sentence(_printed(cue["text"]))
            for block in document.get("standingCues", [])
            if block["scope"] == scope and block.get("within") == within
            for cue in block["cues"]]
    if not said:
        return ""
    return ('<div class="throughout"><p>Throughout:</p><ul>'
            + "".join(f"<li>{_e(s)}</li>" for s in said) + "</ul></div>\n")


# --- pieces --------------------------------------------------------------------------


def _facts(facts: Sequence[tuple[str, str]]) -> str:
    if not facts:
        return ""
    return ('<dl class="facts">\n' + "".join(
        f"<div><dt>{_e(label)}</dt><dd>{_e(value)}</dd></div>\n" for label, value in facts)
        + "</dl>\n")


def _list_section(title: str, items: Sequence[str], h: str = "h2") -> str:
    if not items:
        return ""
    css = re.sub(r"[^a-z]+", "-", title.lower().split(":")[0]).strip("-")
    return (f'<section class="{css}">\n<{h}>{_e(title)}</{h}>\n<ul>'
            + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>\n</section>\n")


def _sentences(texts: Sequence[str]) -> list[str]:
    return [voice.sentence(_printed(t)) for t in texts]


def _footer(document: Mapping[str, Any]) -> str:
    path = (document.get("source") or {}).get("path")
    # The file's name only: the same sheet wherever the routine was printed from.
    made = f"Made from {Path(path).name} with stretch." if path else "Made with stretch."
    return f'<footer><p>{_e(made)}</p></footer>\n'


def _printed(text: str) -> str:
    """A text as printed: side words that fit either side (a template's ``{side}`` is
    "working")."""
    value: Callable[[str], str | None] = PRINTED_SIDE_WORDS.get
    return fill(text, value)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)
