"""Quick fixes and "fix all" in the language server, through the real protocol: ``python
-m dsl lsp`` as a subprocess, driven over stdio by tests/lsp_client.py, as an editor does.
The edits the server sends are applied to the text here the way an editor applies them,
and the result is linted."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")

from lsp_client import LspClient, at, span, uri

from dsl.lint.checker import check
from dsl.lint.fixing import fix_text
from dsl.lsp.positions import EditableText, Position
from dsl.syntax.parser import parse

NO_HANDLER = (
    'routine "Hamstring PNF"\n'
    "  limit cycles 3\n"
    '  contract 6s gently "Push the heel down 💪"\n'
    '  relax 10s "Let go"\n'
)



def actions(server: LspClient, doc: str, where: dict[str, Any],
            diagnostics: list[dict[str, Any]], only: list[str] | None = None) -> Any:
    context: dict[str, Any] = {"diagnostics": diagnostics}
    if only is not None:
        context["only"] = only
    return server.request("textDocument/codeAction", {
        "textDocument": {"uri": doc}, "range": where, "context": context})


def applied(text: str, edits: list[dict[str, Any]]) -> str:
    """The text with a workspace edit's text edits made, last first (as an editor does:
    the positions are all in the text before the edit)."""
    document = EditableText(text)
    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                             e["range"]["start"]["character"]), reverse=True):
        start, end = edit["range"]["start"], edit["range"]["end"]
        document.apply(Position(start["line"], start["character"]),
                       Position(end["line"], end["character"]), edit["newText"])
    return document.text


def codes(text: str) -> list[str]:
    return [d.code for d in check(parse(text))]


def test_initialize_announces_quick_fixes_and_fix_all() -> None:
    client = LspClient()
    try:
        capabilities = client.initialize()["capabilities"]
    finally:
        assert client.close() == 0
    assert capabilities["codeActionProvider"] == {
        "codeActionKinds": ["quickfix", "source.fixAll.stretch"]}


def test_a_finding_with_a_fix_gets_a_preferred_quick_fix(server: LspClient) -> None:
    doc = uri("quick-fix-handler.stretch")
    [finding] = server.open(doc, NO_HANDLER)["diagnostics"]
    assert finding["code"] == "S105"
    [action] = actions(server, doc, span((2, 4), (2, 4)), [finding], ["quickfix"])
    assert action["title"] == "Add an `on pain` handler"
    assert action["kind"] == "quickfix"
    assert action["isPreferred"] is True
    assert [d["code"] for d in action["diagnostics"]] == ["S105"]
    assert action["diagnostics"][0]["range"] == finding["range"]
    assert action["edit"] == {"changes": {doc: [{
        "range": span((2, 0), (2, 0)),
        "newText": '  on pain "Too far"\n    release "Ease off"\n    relax 30s\n',
    }]}}
    fixed = applied(NO_HANDLER, action["edit"]["changes"][doc])
    assert codes(fixed) == []


def test_no_quick_fix_away_from_the_finding(server: LspClient) -> None:
    doc = uri("quick-fix-elsewhere.stretch")
    diagnostics = server.open(doc, NO_HANDLER)["diagnostics"]
    assert actions(server, doc, span((0, 0), (0, 3)), diagnostics, ["quickfix"]) == []


def test_an_unsafe_fix_is_offered_but_not_preferred(server: LspClient) -> None:
    doc = uri("quick-fix-target.stretch")
    text = 'routine "Calf"\n  targets: hamstrngs\n  hold 30s "Lean in"\n'
    [finding] = server.open(doc, text)["diagnostics"]
    assert finding["code"] == "T101"
    [action] = actions(server, doc, finding["range"], [finding])[:1]
    assert action["title"] == "Replace `hamstrngs` with `hamstrings`"
    assert action["isPreferred"] is False
    assert action["edit"]["changes"][doc] == [
        {"range": span((1, 11), (1, 20)), "newText": "hamstrings"}]


def test_a_misspelt_keyword_is_fixed_with_utf16_columns(server: LspClient) -> None:
    # The emoji before the word takes two UTF-16 units: the edit's columns count them.
    doc = uri("quick-fix-keyword.stretch")
    text = 'routine "Calf 💪"\n  hold 30s gentley "Lean in"\n'
    [finding] = server.open(doc, text)["diagnostics"]
    assert finding["code"] == "P115"
    [action] = actions(server, doc, finding["range"], [finding], ["quickfix"])
    assert action["title"] == "Replace `gentley` with `gently`"
    assert action["edit"]["changes"][doc] == [
        {"range": span((1, 11), (1, 18)), "newText": "gently"}]
    assert codes(applied(text, action["edit"]["changes"][doc])) == []


def test_fix_all_applies_every_safe_fix_as_lint_fix_does(server: LspClient) -> None:
    doc = uri("fix-all.stretch")
    text = ('routine "Hamstring PNF"\n'
            "  # the dose\n"
            "  limit hold 60s per side\n"
            "  repeat 0-3:\n"
            '    contract 6s gently "Push"  # push\n'
            '    deepen "Further"\n'
            "  targets: hamstrngs\n")
    diagnostics = server.open(doc, text)["diagnostics"]
    found = actions(server, doc, span((0, 0), (0, 0)), diagnostics, ["source.fixAll"])
    [action] = found
    assert action["title"] == "Fix all safe problems"
    assert action["kind"] == "source.fixAll.stretch"
    [edit] = action["edit"]["changes"][doc]
    assert edit["range"]["start"] == at(2, 0)  # the lines above are left as they are
    fixed = applied(text, [edit])
    assert fixed == fix_text(text).text
    assert "# push" in fixed and "# the dose" in fixed
    assert codes(fixed) == ["T101"]  # the unsafe fix is not part of "fix all"


def test_a_clean_document_has_no_actions(server: LspClient) -> None:
    doc = uri("fix-none.stretch")
    text = 'routine "Calf"\n  hold 30s "Lean in"\n'
    assert server.open(doc, text)["diagnostics"] == []
    assert actions(server, doc, span((1, 2), (1, 6)), []) == []


def test_only_the_kinds_asked_for_are_offered(server: LspClient) -> None:
    doc = uri("fix-kinds.stretch")
    diagnostics = server.open(doc, NO_HANDLER)["diagnostics"]
    assert [a["kind"] for a in actions(server, doc, span((2, 4), (2, 4)), diagnostics)] == [
        "quickfix", "source.fixAll.stretch"]
    assert [a["kind"] for a in actions(server, doc, span((2, 4), (2, 4)), diagnostics,
                                       ["source"])] == ["source.fixAll.stretch"]
    assert actions(server, doc, span((2, 4), (2, 4)), diagnostics, ["refactor"]) == []
