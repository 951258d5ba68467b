"""The rule reference, generated from the rules' docstrings so it cannot drift.

    python -m dsl.lint.docs > docs/rules.md      # or: stretch rules --format markdown

Also the other listings of ``stretch rules`` (a text table, json) and the text of
``stretch explain``.
"""

from __future__ import annotations

import json

from dsl.lint.rules import Rule, all_rules, find
from dsl.suggestions import did_you_mean
from dsl.syntax.codes import SYNTAX_CODES, SyntaxCode, find_syntax_code

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
"""


def markdown() -> str:
    """docs/rules.md."""
    rules = all_rules()
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
        "| code | name | severity | what it catches |",
        "|---|---|---|---|",
    ]
    for rule in rules:
        out.append(f"| [{rule.code}](#{_anchor(rule.code, rule.name)}) | `{rule.name}` | "
                   f"{rule.severity} | {rule.summary} |")
    out.append("")
    for letter, title, about in FAMILIES:
        out += [f"## {title} ({letter})", "", about[0].upper() + about[1:] + ".", ""]
        for rule in rules:
            if rule.family == letter:
                out += _rule_section(rule)
    out += [
        "## Syntax codes (P)",
        "",
        "The parser reports these. They are always errors and cannot be silenced or "
        "turned off: a routine must be read before it can be checked.",
        "",
        "| code | name | what |",
        "|---|---|---|",
    ]
    for code in SYNTAX_CODES:
        out.append(f"| [{code.code}](#{_anchor(code.code, code.name)}) | `{code.name}` | "
                   f"{code.summary} |")
    out.append("")
    for code in SYNTAX_CODES:
        out += [f"### {code.code} {code.name}", "", f"{code.summary}.", "", code.explanation,
                ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _anchor(code: str, name: str) -> str:
    return f"{code.lower()}-{name}"


def _rule_section(rule: Rule) -> list[str]:
    first, _, rest = rule.doc.partition("\n")
    return [
        f"### {rule.code} {rule.name}", "", f"{first.strip()}", "",
        f"Default severity: **{rule.severity}**.", "", rest.strip(), "",
    ]


def table() -> str:
    """The text listing: code, name, severity, summary."""
    rules = all_rules()
    width = max(len(r.name) for r in rules)
    lines = [f"{'code':<5} {'name':<{width}} {'severity':<8} summary"]
    for rule in rules:
        lines.append(f"{rule.code:<5} {rule.name:<{width}} {rule.severity:<8} {rule.summary}")
    return "\n".join(lines) + "\n"


def as_json() -> str:
    """The rules as json: code, name, severity, summary, doc (sorted keys, stable)."""
    listed = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary,
               "doc": r.doc} for r in all_rules()]
    return json.dumps(listed, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def explain(code_or_name: str) -> str | None:
    """The documentation of one rule or syntax code, or None when there is no such code."""
    rule = find(code_or_name)
    if rule is not None:
        return (f"{rule.code} {rule.name} (default severity: {rule.severity})\n\n"
                f"{rule.doc}\n")
    syntax: SyntaxCode | None = find_syntax_code(code_or_name)
    if syntax is not None:
        return (f"{syntax.code} {syntax.name} (syntax: always an error)\n\n{syntax.summary}."
                f"\n\n{syntax.explanation}\n")
    return None


def suggestion(code_or_name: str) -> str | None:
    """"did you mean ..." for an unknown code or name."""
    codes = [r.code for r in all_rules()] + [c.code for c in SYNTAX_CODES]
    names = [r.name for r in all_rules()] + [c.name for c in SYNTAX_CODES]
    return did_you_mean(code_or_name, codes) or did_you_mean(code_or_name, names)


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
