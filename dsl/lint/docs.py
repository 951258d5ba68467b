"""The rule reference, generated from the registry of codes (``dsl.codes``: the rules'
docstrings, the syntax and compile codes) so it cannot drift.

    python -m dsl.lint.docs > docs/rules.md      # or: stretch rules --format markdown

Also the other listings of ``stretch rules`` (a text table, json) and the text of
``stretch explain``.
"""

from __future__ import annotations

import json

from dsl.codes import (
    AUDIO_CODES,
    COMPILE_CODES,
    NEW_CODES,
    Code,
    all_codes,
    find,
    rules,
    syntax_codes,
)
from dsl.suggestions import did_you_mean

FAMILIES = (
    ("L", "Limits", "declared limits checked against the routine as it will run"),
    ("V", "Values", "amounts, ranges, cue times and tempos that cannot be right"),
    ("T", "Targets", "muscles and muscle groups checked against the vocabulary"),
    ("R", "References", "media, variants, ids and settings that do not resolve or clash"),
    ("S", "Safety guidance", "published stretching guidance (sources cited in each rule)"),
    ("X", "Suppressions", "inline `# stretch: ignore[...]` comments"),
)

_INTRO = """\
Every problem `stretch` reports has a stable code (a letter and three digits) and, for the
lint rules, a kebab-case name; both can be used in configuration and suppression comments.
Codes never change meaning once published. `stretch rules` lists the rules,
`stretch explain CODE` prints one rule's documentation, and [lint.md](lint.md) describes
configuration, suppression comments and output formats.

Lint rules run once a file parses without errors. Severities are defaults: a project can
change them (`[tool.stretch.severity]`), and `stretch lint` exits 1 on errors (and on
warnings with `--strict`). Information (`info`) never fails a run.

Codes marked with a fix can be mended by `stretch lint --fix` (and by the editor's quick
fixes). A **safe** fix leaves the routine meaning the same, or makes it strictly safer;
`--fix` applies those. An **unsafe** fix changes what the client does; it is applied only
with `--fix --unsafe-fixes`, and the editor offers it without preferring it.
"""


def markdown() -> str:
    """docs/rules.md."""
    listed = rules()
    out = [
        "# Rule reference",
        "",
        "<!-- Generated from the rules' docstrings by `python -m dsl.lint.docs > "
        "docs/rules.md`. Do not edit by hand: tests/test_rules_docs.py fails when it is "
        "stale. -->",
        "",
        _INTRO,
        "## Rules at a glance",
        "",
        "| code | name | severity | fix | what it catches |",
        "|---|---|---|---|---|",
    ]
    for rule in listed:
        out.append(f"| [{rule.code}](#{_anchor(rule.code, rule.name)}) | `{rule.name}` | "
                   f"{rule.severity} | {_safety(rule)} | {rule.summary} |")
    out.append("")
    for letter, title, about in FAMILIES:
        out += [f"## {title} ({letter})", "", about[0].upper() + about[1:] + ".", ""]
        for rule in listed:
            if rule.family == letter:
                out += _rule_section(rule)
    out += [
        "## Syntax codes (P)",
        "",
        "The parser reports these. They are always errors and cannot be silenced or "
        "turned off: a routine must be read before it can be checked.",
        "",
        "| code | name | fix | what |",
        "|---|---|---|---|",
    ]
    for code in syntax_codes():
        out.append(f"| [{code.code}](#{_anchor(code.code, code.name)}) | `{code.name}` | "
                   f"{_safety(code)} | {code.summary} |")
    out.append("")
    for code in syntax_codes():
        out += [f"### {code.code} {code.name}", "", f"{code.summary}.", "",
                *([fix_line(code), ""] if code.fix else []), code.explanation, ""]
    out += [
        "## Compile codes (C)",
        "",
        "`stretch compile` reports these while it builds the timeline, after the checks. "
        "They are always errors and cannot be silenced; the file is not compiled.",
        "",
    ]
    for code in COMPILE_CODES:
        out += _rule_section(code, "Always an error")
    out += [
        "## Codes of `stretch new` (N)",
        "",
        "`stretch new` reports these when it cannot create the routine file it was asked "
        "for. They are always errors, and nothing is written.",
        "",
    ]
    for code in NEW_CODES:
        out += _rule_section(code, "Always an error")
    out += [
        "## Codes of `stretch audio` (A)",
        "",
        "`stretch audio` reports these about the track it makes. They are warnings: the "
        "track is written, and the command exits 0.",
        "",
    ]
    for code in AUDIO_CODES:
        out += _rule_section(code, "Always a warning")
    return "\n".join(out).rstrip("\n") + "\n"


def _anchor(code: str, name: str) -> str:
    return f"{code.lower()}-{name}"


def _rule_section(rule: Code, level: str | None = None) -> list[str]:
    first, _, rest = rule.doc.partition("\n")
    return [
        f"### {rule.code} {rule.name}", "", f"{first.strip()}", "",
        level + "." if level else f"Default severity: **{rule.severity}**.", "",
        *([fix_line(rule), ""] if rule.fix else []),
        rest.strip(), "",
    ]


def _safety(code: Code) -> str:
    return code.fix.safety if code.fix else ""


def fix_line(code: Code) -> str:
    """``Fix: safe — adds an `on pain` handler ...`` (empty for a code with no fix)."""
    if code.fix is None:
        return ""
    return f"Fix: {code.fix.safety} — {code.fix.does}."


def table() -> str:
    """The text listing: code, name, severity, summary."""
    listed = rules()
    width = max(len(r.name) for r in listed)
    lines = [f"{'code':<5} {'name':<{width}} {'severity':<8} {'fix':<6} summary"]
    for rule in listed:
        lines.append(f"{rule.code:<5} {rule.name:<{width}} {rule.severity:<8} "
                     f"{_safety(rule):<6} {rule.summary}")
    return "\n".join(lines) + "\n"


def as_json() -> str:
    """The rules as json: code, name, severity, summary, doc and fix (its safety and what
    it does, or null) (sorted keys, stable)."""
    listed = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary,
               "doc": r.doc,
               "fix": {"safety": r.fix.safety, "does": r.fix.does} if r.fix else None}
              for r in rules()]
    return json.dumps(listed, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def explain(code_or_name: str) -> str | None:
    """The documentation of one code (rule, syntax or compile), or None when there is no
    such code."""
    code = find(code_or_name)
    if code is None:
        return None
    level = {"P": "syntax: always an error", "C": "compile: always an error",
             "N": "stretch new: always an error"}.get(
        code.family, f"default severity: {code.severity}")
    if code.fix is None:
        return f"{code.code} {code.name} ({level})\n\n{code.doc}\n"
    return (f"{code.code} {code.name} ({level})\n\n{code.summary}.\n\n{fix_line(code)}\n\n"
            f"{code.explanation}\n")


def suggestion(code_or_name: str) -> str | None:
    """"did you mean ..." for an unknown code or name."""
    codes = [c.code for c in all_codes()]
    names = [c.name for c in all_codes()]
    return did_you_mean(code_or_name, codes) or did_you_mean(code_or_name, names)


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
