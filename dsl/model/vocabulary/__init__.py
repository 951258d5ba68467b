"""The vocabulary of stretch targets: muscles, muscle groups and tendons (``targets.txt``).

Names are compared in lower case with single spaces; singular and plural forms of a name
are accepted (``hamstring`` and ``hamstrings``, ``calf`` and ``calves``). Projects add their
own names with ``extend-targets`` in their configuration.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dsl.suggestions import closest

DATA = Path(__file__).with_name("targets.txt")


def normalize(name: str) -> str:
    """Lower case, single spaces: how names are compared."""
    return " ".join(name.lower().split())


@lru_cache(maxsize=1)
def target_names() -> tuple[str, ...]:
    """The bundled names, sorted, as written in the data file."""
    names = set()
    for line in DATA.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            names.add(normalize(text))
    return tuple(sorted(names))


def forms(name: str) -> set[str]:
    """A name and its other number: ``hamstrings`` gives ``hamstring`` and back."""
    found = {name}
    last = name.rsplit(" ", 1)
    head = last[0] + " " if len(last) == 2 else ""
    word = last[-1]
    if word.endswith("ves"):
        found.update({head + word[:-3] + "f", head + word[:-3] + "fe"})
    elif word.endswith("f"):
        found.add(head + word[:-1] + "ves")
    if word.endswith("s") and not word.endswith("ss"):
        found.add(head + word[:-1])
    else:
        found.add(head + word + "s")
    return found


@lru_cache(maxsize=32)
def known(extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Every accepted spelling: the bundled names, the project's ``extra`` names, and the
    singular and plural form of each."""
    accepted: set[str] = set()
    for name in (*target_names(), *(normalize(e) for e in extra)):
        accepted.update(forms(name))
    return frozenset(accepted)


def is_known(name: str, extra: tuple[str, ...] = ()) -> bool:
    """True when the vocabulary (with the project's extra names) knows this target."""
    return normalize(name) in known(extra)


def suggest(name: str, extra: tuple[str, ...] = ()) -> str | None:
    """The closest known name, for "did you mean", or None."""
    choices = sorted({*target_names(), *(normalize(e) for e in extra)})
    return closest(normalize(name), choices, cutoff=0.75)
