""""Did you mean ...?": the one way every message suggests the word the author meant.

Keywords, settings, rule codes and names, target names and variants all go through
``closest``, so a misspelling is matched the same way wherever it is made (case does not
count) and the hint is worded the same way wherever it is shown. This module imports
nothing from the package: every stage may use it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

CUTOFF = 0.7
"""How alike a word must be to a choice (``difflib`` ratio) to be suggested."""


def closest(word: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """The choice most like ``word`` (compared in lower case), as the choice is spelt,
    or None when none is alike enough."""
    spelt: dict[str, str] = {}
    for choice in choices:
        spelt.setdefault(choice.lower(), choice)
    close = difflib.get_close_matches(word.lower(), list(spelt), n=1, cutoff=cutoff)
    return spelt[close[0]] if close else None


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """``did you mean `hold`?`` for the closest choice, or None."""
    return suggestion(closest(word, choices, cutoff=cutoff))


def suggestion(choice: str | None) -> str | None:
    """The hint that suggests ``choice`` (None stays None)."""
    return None if choice is None else f"did you mean `{choice}`?"


def suggested(hint: str | None) -> str | None:
    """The one choice a hint from ``suggestion`` names, or None for any other hint: how a
    "did you mean" becomes a fix (``stretch lint --fix`` replaces the word with it)."""
    if hint is None or not hint.startswith(_BEFORE) or not hint.endswith(_AFTER):
        return None
    choice = hint[len(_BEFORE):-len(_AFTER)]
    return choice if choice and "`" not in choice else None


_BEFORE, _AFTER = "did you mean `", "`?"
