"""docs/rules.md is generated from the rules' docstrings and must not be stale."""

from __future__ import annotations

from conftest import ROOT

from dsl.codes import rules as all_rules
from dsl.lint.docs import markdown
from dsl.syntax.codes import SYNTAX_CODES


def test_rules_md_is_up_to_date() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == markdown(), (
        "docs/rules.md is stale: run `python -m dsl.lint.docs > docs/rules.md`")


def test_every_rule_and_syntax_code_has_a_section() -> None:
    text = markdown()
    for rule in all_rules():
        assert f"### {rule.code} {rule.name}\n" in text
    for code in SYNTAX_CODES:
        assert f"### {code.code} {code.name}\n" in text


def test_syntax_table_covers_every_code_the_parser_reports() -> None:
    import re

    reported = set()
    for module in (ROOT / "dsl" / "syntax").glob("*.py"):
        reported.update(re.findall(r'"(P\d{3})"', module.read_text()))
    assert reported <= {c.code for c in SYNTAX_CODES}
