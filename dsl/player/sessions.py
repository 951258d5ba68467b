"""A compiled session as the player plays it: one document, shaped like a routine's.

A session document's timeline is every part's entries in order (docs/json.md,
"Sessions"); the ids in an entry are those of its part's routine document. The player
reads repeats, safety handlers, standing cues and exercises from the document it plays,
so ``playable`` gathers them from every part into one document, each id prefixed with
its part (``2.r1``), and makes each routine an exercise of the whole (its title shown as
the player moves on to it; its safety handlers the ones that apply while it plays). The
player then plays a session exactly as it plays a routine with exercises.
"""

from __future__ import annotations

from typing import Any, cast

from dsl.timeline.document import Document


def playable(session: dict[str, Any]) -> Document:
    """The session document as a routine-shaped document the engine plays."""
    repeats: list[dict[str, Any]] = []
    standing: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    routines: dict[int, dict[str, Any]] = {}
    for part in session.get("parts", []):
        if part.get("kind") != "routine":
            continue
        index = int(part["index"])
        routine = part["routine"]
        routines[index] = routine
        prefix = f"{index}."
        repeats += [{**r, "id": prefix + r["id"]} for r in routine.get("repeats", [])]
        standing += [{**c, "id": prefix + c["id"]} for c in routine.get("standingCues", [])]
        own = {h["signal"]: h for h in routine.get("safetyHandlers", [])}
        title = routine.get("metadata", {}).get("title", "")
        inner = routine.get("sections", [])
        for section in inner or [None]:
            handlers = dict(own)
            if section is not None:
                handlers.update({h["signal"]: h for h in section["safetyHandlers"]})
            sections.append({
                "id": prefix + (section["id"] if section is not None else "routine"),
                "index": len(sections),
                "title": title if section is None else f"{title}: {section['title']}",
                "safetyHandlers": [_handler(h, prefix) for h in handlers.values()],
            })
    timeline = []
    for entry in session.get("timeline", []):
        part = int(entry.get("part", 0))
        if part in routines:
            prefix = f"{part}."
            flat = _entry(entry, prefix)
            flat["section"] = prefix + str(entry.get("section", "routine"))
        else:
            flat = dict(entry)
            flat.pop("section", None)
        timeline.append(flat)
    return cast(Document, {
        "schemaVersion": session.get("schemaVersion"),
        "kind": "session",
        "metadata": {**session.get("metadata", {}), "sides": {"mode": "none", "first": None}},
        "repeats": repeats,
        "standingCues": standing,
        "safetyHandlers": [],
        "sections": sections,
        "timeline": timeline,
        "summary": session.get("summary"),
    })


def _entry(entry: dict[str, Any], prefix: str) -> dict[str, Any]:
    flat = dict(entry)
    flat["passes"] = [{**p, "repeat": prefix + p["repeat"]} for p in entry.get("passes", [])]
    flat["standingCues"] = [prefix + c for c in entry.get("standingCues", [])]
    if entry.get("stepId") is not None:
        flat["stepId"] = prefix + entry["stepId"]
    return flat


def _handler(handler: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {**handler, "id": prefix + handler["id"],
            "timeline": [_entry(e, prefix) for e in handler.get("timeline", [])]}
