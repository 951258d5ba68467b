"""The language server, driven through the real protocol: ``python -m dsl lsp`` runs as a
subprocess and a small JSON-RPC client (tests/lsp_client.py) talks to it over stdio, as an
editor does. Positions are 0-based, columns in UTF-16 code units."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from conftest import EXAMPLES, FIXTURES, ROOT

pytest.importorskip("pygls", reason="the language server needs pygls (the lsp extra)")

from lsp_client import LspClient, at, span, uri

from dsl.format.formatter import format_text
from dsl.lsp.positions import UTF8, UTF16, UTF32, LineIndex, Position
from dsl.model import Span

LSP = FIXTURES / "lsp"
HIP = EXAMPLES / "hip-and-hamstring.stretch"
PNF = EXAMPLES / "partner-hamstring-pnf.stretch"



def request(client: LspClient, method: str, doc: str, **params: Any) -> Any:
    return client.request(method, {"textDocument": {"uri": doc}, **params})


# --- the handshake ------------------------------------------------------------------------


def test_initialize_announces_every_feature() -> None:
    client = LspClient()
    try:
        capabilities = client.initialize()["capabilities"]
    finally:
        assert client.close() == 0  # shutdown, then exit: a clean exit code
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["hoverProvider"] is True
    assert capabilities["documentFormattingProvider"] is True
    assert capabilities["documentSymbolProvider"] is True
    assert capabilities["completionProvider"]["triggerCharacters"] == [":", ",", "("]
    assert capabilities["textDocumentSync"]["openClose"] is True


def test_a_client_may_ask_for_utf8_columns() -> None:
    client = LspClient()
    try:
        result = client.initialize({"general": {"positionEncodings": ["utf-8", "utf-16"]}})
        assert result["capabilities"]["positionEncoding"] == "utf-8"
        text = (LSP / "non-ascii.stretch").read_text(encoding="utf-8")
        [diagnostic] = client.open(uri("non-ascii.stretch"), text)["diagnostics"]
        # `  note "Café ☕ 😀" extra`: é takes 2 bytes, ☕ 3 and 😀 4 before `extra`.
        assert diagnostic["range"] == span((1, 24), (1, 29))
    finally:
        client.close()


def test_without_pygls_the_command_says_what_to_install() -> None:
    blocked = ("import sys; sys.modules['pygls'] = None; sys.argv = ['stretch', 'lsp']; "
               "from dsl.cli import run; run()")
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True,
                          cwd=ROOT, timeout=30)
    assert done.returncode == 2
    assert done.stderr == (
        "stretch: error: the language server needs pygls (pygls is not installed): "
        "pip install 'stretch-dsl[lsp]'\n")



def test_the_arguments_vscode_languageclient_appends_are_accepted() -> None:
    # vscode-languageclient starts `<command> --stdio --clientProcessId=<pid>`.
    client = LspClient([sys.executable, "-m", "dsl", "lsp", "--stdio",
                        f"--clientProcessId={os.getpid()}"])
    try:
        assert client.initialize()["capabilities"]["hoverProvider"] is True
        text = (LSP / "non-ascii.stretch").read_text(encoding="utf-8")
        assert client.open(uri("non-ascii.stretch"), text)["diagnostics"]
    finally:
        assert client.close() == 0


@pytest.mark.parametrize(("argument", "option"), [
    ("--pipe=/tmp/stretch-lsp.sock", "--pipe"), ("--socket=6009", "--socket")])
def test_other_transports_are_refused_plainly(argument: str, option: str) -> None:
    done = subprocess.run([sys.executable, "-m", "dsl", "lsp", argument], capture_output=True,
                          text=True, cwd=ROOT, timeout=30, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"stretch: error: {option} is not supported: `stretch lsp` speaks over stdin and "
        "stdout only (in VS Code, TransportKind.stdio)\n")


def test_the_server_ends_when_the_editor_closes_its_input() -> None:
    # What makes --clientProcessId unnecessary: an editor that dies closes the pipe.
    client = LspClient()
    client.initialize()
    assert client.process.stdin is not None
    client.process.stdin.close()
    assert client.process.wait(timeout=10) is not None


# --- diagnostics ------------------------------------------------------------------------


def test_a_clean_routine_gets_no_diagnostics(server: LspClient) -> None:
    published = server.open(PNF.as_uri(), PNF.read_text(encoding="utf-8"))
    assert published["diagnostics"] == []


def test_lint_findings_come_with_severity_hint_and_related_place(server: LspClient) -> None:
    doc = uri("limit-broken.stretch")
    published = server.open(doc, (LSP / "limit-broken.stretch").read_text(encoding="utf-8"))
    limit, pain = published["diagnostics"]
    # `    contract 5s "Poussez 💪"`: the emoji ends the span, two UTF-16 units.
    assert limit == {
        "range": span((4, 4), (4, 28)),
        "message": "contract-relax cycle 2 breaks `limit cycles 1`\n"
                   "help: repeats and sides are expanded, taking the high end of every "
                   "range: lower the repeat's count, or raise the limit if it is too strict",
        "severity": 1,
        "code": "L101",
        "source": "stretch",
        "relatedInformation": [{
            "location": {"uri": doc, "range": span((2, 2), (2, 16))},
            "message": "the limit is declared here",
        }],
    }
    assert (pain["code"], pain["severity"]) == ("S105", 2)
    assert pain["message"].startswith("this routine has contractions but no `on pain` handler")


def test_an_unused_suppression_is_marked_unnecessary(server: LspClient) -> None:
    doc = uri("unused-suppression.stretch")
    text = (LSP / "unused-suppression.stretch").read_text(encoding="utf-8")
    [unused] = server.open(doc, text)["diagnostics"]
    assert unused["code"] == "X101"
    assert unused["tags"] == [1]  # DiagnosticTag.Unnecessary: editors grey it out


def test_diagnostics_on_open_count_columns_in_utf16(server: LspClient) -> None:
    # `  note "Café ☕ 😀" extra`: `extra` starts at code point 18; 😀 takes two UTF-16
    # units (☕ and é take one), so the protocol column is 19.
    doc = uri("non-ascii.stretch")
    published = server.open(doc, (LSP / "non-ascii.stretch").read_text(encoding="utf-8"))
    [diagnostic] = published["diagnostics"]
    assert diagnostic == {
        "range": span((1, 19), (1, 24)),
        "message": "expected the end of the line, found `extra`",
        "severity": 1,
        "code": "P101",
        "source": "stretch",
    }


def test_a_change_is_diagnosed_again(server: LspClient) -> None:
    doc = uri("change.stretch")
    assert server.open(doc, 'routine "Calf"\n  hold 30s\n')["diagnostics"] == []
    # A whole-document change: an emoji inside the span counts twice at the end.
    text = (LSP / "missing-unit-emoji.stretch").read_text(encoding="utf-8")
    [diagnostic] = server.change(doc, 2, [{"text": text}])["diagnostics"]
    assert diagnostic["code"] == "P102"
    assert diagnostic["range"] == span((1, 10), (1, 37))
    assert diagnostic["message"] == (
        "this amount has no unit, found text in quotes\n"
        "help: amounts need a unit: `30s`, `1m30s`, `5 counts` or `3 breaths`")
    # An incremental change (as VS Code sends): add the missing unit after `30`.
    fixed = server.change(doc, 3, [{"range": span((1, 9), (1, 9)), "text": "s"}])
    assert fixed["diagnostics"] == []


def test_closing_a_document_clears_its_diagnostics(server: LspClient) -> None:
    doc = uri("closed.stretch")
    assert server.open(doc, 'routine "x"\n  hold 30\n')["diagnostics"] != []
    server.notify("textDocument/didClose", {"textDocument": {"uri": doc}})
    assert server.wait_for("textDocument/publishDiagnostics", doc)["diagnostics"] == []


# --- formatting ---------------------------------------------------------------------------


def test_formatting_returns_the_fmt_output_as_one_edit(server: LspClient) -> None:
    doc = uri("unformatted.stretch")
    text = (LSP / "unformatted.stretch").read_text(encoding="utf-8")
    server.open(doc, text)
    edits = request(server, "textDocument/formatting", doc,
                    options={"tabSize": 2, "insertSpaces": True})
    expected = format_text(text).formatted
    assert expected is not None and expected != text
    assert edits == [{"range": span((0, 0), (7, 0)), "newText": expected}]


def test_formatting_leaves_a_file_with_errors_alone(server: LspClient) -> None:
    doc = uri("non-ascii.stretch")
    server.open(doc, (LSP / "non-ascii.stretch").read_text(encoding="utf-8"), version=5)
    assert request(server, "textDocument/formatting", doc,
                   options={"tabSize": 2, "insertSpaces": True}) is None


def test_a_formatted_file_needs_no_edit(server: LspClient) -> None:
    server.open(PNF.as_uri(), PNF.read_text(encoding="utf-8"))
    assert request(server, "textDocument/formatting", PNF.as_uri(),
                   options={"tabSize": 2, "insertSpaces": True}) is None


# --- hover --------------------------------------------------------------------------------


def hover(server: LspClient, doc: str, line: int, character: int) -> Any:
    return request(server, "textDocument/hover", doc, position=at(line, character))


def test_hover_on_an_amount_gives_its_seconds_at_the_tempo(server: LspClient) -> None:
    server.open(HIP.as_uri(), HIP.read_text(encoding="utf-8"))
    # line 46: `    contract 5-15 counts gently "..."`
    found = hover(server, HIP.as_uri(), 45, 16)
    assert found["range"] == span((45, 13), (45, 24))
    assert found["contents"]["kind"] == "markdown"
    assert found["contents"]["value"] == (
        "`5-15 counts`: 5 to 15 counts = 5-15 s at 1 count = 1s (the routine's tempo)\n\n"
        "A range: the client chooses anywhere from the low to the high end.")


def test_hover_on_breaths_uses_the_default_tempo(server: LspClient) -> None:
    # line 47: `    relax 1 breath "Relax"`; the routine sets counts only.
    found = hover(server, HIP.as_uri(), 46, 10)
    assert found["contents"]["value"] == (
        "`1 breath`: 1 breath = 5 s at 1 breath = 5s (the default tempo)")


def test_hover_on_a_keyword_says_what_it_means(server: LspClient) -> None:
    found = hover(server, HIP.as_uri(), 41, 3)  # `  repeat up to 3:`
    assert found["range"] == span((41, 2), (41, 8))
    assert found["contents"]["value"].startswith("**repeat**: the steps indented under it")
    step = hover(server, PNF.as_uri(), 29, 3)  # `  hold 10s to mild tension`
    assert step["contents"]["value"].startswith("**hold** (step): holding a stretch")
    limit = hover(server, PNF.as_uri(), 10, 9)  # `  limit cycles 3`
    assert limit["contents"]["value"].startswith("**limit cycles**: at most this many")


def test_hover_on_a_target_says_what_the_vocabulary_knows(server: LspClient) -> None:
    # line 4: `  targets: hamstrings (semitendinosus, semimembranosus, biceps femoris), ...`
    found = hover(server, HIP.as_uri(), 3, 60)
    assert found["range"] == span((3, 56), (3, 70))
    assert found["contents"]["value"] == (
        "**biceps femoris** (target): hip and thigh (bundled vocabulary)\n\n"
        "Named as part of the hamstrings.")


def test_hover_on_an_effort_and_a_stretch_intensity(server: LspClient) -> None:
    server.open(PNF.as_uri(), PNF.read_text(encoding="utf-8"))
    # line 33: `    contract 6-10 counts at 20-40% "..."`
    effort = hover(server, PNF.as_uri(), 32, 30)
    assert effort["range"] == span((32, 28), (32, 34))
    assert effort["contents"]["value"] == "`20-40%`: 20 to 40% of the client's maximum effort"
    mild = hover(server, PNF.as_uri(), 29, 13)  # `  hold 10s to mild tension`
    assert mild["contents"]["value"] == (
        "**to mild ...**: how far to take a stretch: `to mild tension` or `to mild discomfort`")


def test_no_hover_inside_quoted_text(server: LspClient) -> None:
    assert hover(server, HIP.as_uri(), 45, 40) is None


# --- completion ---------------------------------------------------------------------------


def complete(server: LspClient, text: str, line: int, character: int) -> list[str]:
    doc = uri("completion.stretch")
    server.open(doc, text)
    found = request(server, "textDocument/completion", doc, position=at(line, character))
    return [item["label"] for item in found["items"]]


def test_completion_at_a_line_start_offers_the_statements_that_fit(server: LspClient) -> None:
    in_routine = complete(server, 'routine "x"\n  \n', 1, 2)
    assert {"targets:", "sides:", "hold", "hold-breath", "repeat", "on", "limit"} <= set(
        in_routine)
    under_step = complete(server, 'routine "x"\n  hold 30s\n    c\n', 2, 5)
    assert under_step == ["cue", "partner", "image", "video", "variant"]
    in_repeat = complete(server, 'routine "x"\n  repeat 3:\n    \n', 2, 4)
    assert "contract" in in_repeat and "targets:" not in in_repeat


def test_completion_in_an_exercise_offers_what_an_exercise_holds(server: LspClient) -> None:
    assert "exercise" in complete(server, 'routine "x"\n  \n', 1, 2)
    in_exercise = complete(server, 'routine "x"\n  exercise "Calf":\n    \n', 2, 4)
    assert {"targets:", "sides:", "position:", "limit", "on", "hold", "repeat"} <= set(
        in_exercise)
    assert not {"partner:", "frequency:", "exercise"} & set(in_exercise)


def test_hover_on_an_amount_in_an_exercise_uses_its_own_tempo(server: LspClient) -> None:
    doc = uri("exercise-tempo.stretch")
    server.open(doc, 'routine "x"\n  tempo: 1 count = 2s\n  exercise "A":\n'
                '    hold 5 counts\n  exercise "B":\n    tempo: 1 count = 3s\n'
                '    hold 5 counts\n')
    assert hover(server, doc, 3, 11)["contents"]["value"] == (
        "`5 counts`: 5 counts = 10 s at 1 count = 2s (the routine's tempo)")
    assert hover(server, doc, 6, 11)["contents"]["value"] == (
        "`5 counts`: 5 counts = 15 s at 1 count = 3s (the exercise's tempo)")
    assert hover(server, doc, 2, 3)["contents"]["value"].startswith(
        "**exercise**: one exercise of a routine that holds several, run in order")


def test_completion_offers_target_names_after_targets(server: LspClient) -> None:
    labels = complete(server, 'routine "x"\n  targets: ham\n', 1, 14)
    assert "hamstrings" in labels and "semitendinosus" in labels
    assert labels == sorted(labels)


def test_completion_offers_intensity_after_an_amount_and_units_after_a_number(
    server: LspClient,
) -> None:
    assert complete(server, 'routine "x"\n  contract 5 counts \n', 1, 20) == [
        "gently", "moderately", "firmly", "to mild tension", "to mild discomfort", "at"]
    assert "counts" in complete(server, 'routine "x"\n  contract 5 \n', 1, 13)
    assert complete(server, 'routine "x"\n  limit \n', 1, 8)[:2] == ["cycles", "contractions"]


def test_completion_offers_the_choices_of_a_setting(server: LspClient) -> None:
    assert complete(server, 'routine "x"\n  sides: \n', 1, 9)[:2] == [
        "each, left first", "each, right first"]
    assert complete(server, 'routine "x"\n  on \n', 1, 5) == [
        "pain", "cramp", "dizziness", "numbness"]
    assert complete(server, 'routine "x"\n  repeat 3 \n', 1, 11) == ["times"]


_VARIANTS = ('routine "x"\n  variant chair "On a chair"\n  exercise "Calf":\n'
             '    variant wall "At the wall"\n    hold 30s\n      variant easier "Shorter"\n')


def test_completion_offers_the_variant_names_and_what_a_variant_makes_of_a_step(
        server: LspClient) -> None:
    # After `variant`: easier, harder and the names declared on the routine and its
    # exercises (not a step's `variant easier "..."`, which declares nothing).
    doc = uri("variants.stretch")
    server.open(doc, _VARIANTS + "      variant \n")
    found = request(server, "textDocument/completion", doc, position=at(6, 14))["items"]
    assert [(i["label"], i["documentation"]["value"]) for i in found] == [
        ("easier", "an easier way to do this"), ("harder", "a harder way to do this"),
        ("chair", '`variant chair "On a chair"`'), ("wall", '`variant wall "At the wall"`')]
    # After `variant NAME:` under a step: `leave out` (an amount is typed as on a step).
    server.change(doc, 2, [{"text": _VARIANTS + "      variant chair: \n"}])
    found = request(server, "textDocument/completion", doc, position=at(6, 21))["items"]
    assert [(i["label"], i["insertText"]) for i in found] == [("leave out", "leave out")]
    assert found[0]["documentation"]["value"].startswith("with this variant the step is left out")
    # A `variant harder:` block among the routine's items is no change of a step.
    assert complete(server, 'routine "x"\n  variant harder: \n', 1, 18) == []


def test_completion_offers_a_variant_s_block_wherever_a_side_s_block_may_stand(
        server: LspClient) -> None:
    names = ["variant easier only:", "variant harder only:", "variant chair only:",
             "variant wall only:"]
    in_routine = complete(server, _VARIANTS.replace("  exercise", "  \n  exercise"), 2, 2)
    assert {"left only:", *names} <= set(in_routine)
    in_exercise = complete(server, _VARIANTS + "    \n", 6, 4)
    assert {"left only:", *names} <= set(in_exercise)
    in_repeat = complete(server, _VARIANTS + "    repeat 2:\n      \n", 7, 6)
    assert in_repeat[-4:] == names and "left only:" in in_repeat
    # Inside a `variant harder only:` block, a `left only:` block, and the steps under a
    # step's `variant harder:`: what a repeat holds.
    for opening in ("    variant harder only:", "    left only:",
                    "    hold 5s\n      variant harder:"):
        text = f"{_VARIANTS}{opening}\n        \n"
        inside = complete(server, text, text.count("\n") - 1, 8)
        assert inside == in_repeat, opening
    # Under a step, its details only.
    assert complete(server, _VARIANTS + "      \n", 6, 6) == [
        "cue", "partner", "image", "video", "variant"]


def test_hover_says_what_a_variant_makes_of_a_step(server: LspClient) -> None:
    doc = uri("variant-hover.stretch")
    server.open(doc, 'routine "x"\n  hold 30s\n    variant easier: leave out\n'
                '  variant harder only:\n    hold 20s\n')
    leave = hover(server, doc, 2, 22)
    assert leave["range"] == span((2, 20), (2, 25))
    assert leave["contents"]["value"] == (
        "**leave out**: with this variant the step is left out (a repeat or block left "
        "empty goes too)")
    assert hover(server, doc, 2, 27)["contents"]["value"].startswith("**leave out**")
    only = hover(server, doc, 3, 19)
    assert only["range"] == span((3, 17), (3, 21))
    assert only["contents"]["value"] == (
        "**variant ... only:** a block whose steps run only when this variant is chosen "
        "(`variant harder only:`); without it they are left out")
    # `only` elsewhere keeps its meaning: one side.
    server.change(doc, 2, [{"text": 'routine "x"\n  sides: left only\n'}])
    assert hover(server, doc, 1, 16)["contents"]["value"] == "**only**: one side only"


def test_no_completion_inside_quoted_text(server: LspClient) -> None:
    assert complete(server, 'routine "x"\n  hold "Lean in \n', 1, 16) == []


# --- document symbols ---------------------------------------------------------------------


def test_document_symbols_outline_the_routine(server: LspClient) -> None:
    server.open(PNF.as_uri(), PNF.read_text(encoding="utf-8"))
    [routine] = request(server, "textDocument/documentSymbol", PNF.as_uri())
    assert routine["name"] == 'routine "Partner PNF Hamstring Stretch"'
    assert routine["range"]["start"] == at(1, 0)
    names = [child["name"] for child in routine["children"]]
    assert names[:3] == ["id", "targets", "equipment"]
    assert {"for pregnant clients", "on pain", "repeat 3", "switch"} <= set(names)
    repeat = next(c for c in routine["children"] if c["name"] == "repeat 3")
    assert repeat["range"] == span((31, 2), (37, 55))
    assert repeat["selectionRange"] == span((31, 2), (31, 8))
    steps = [(s["name"], s.get("detail")) for s in repeat["children"]]
    assert steps[0] == ("contract 6-10 counts", '"Push the leg down into your partner\'s shoulder"')
    assert [c["name"] for c in repeat["children"][0]["children"]] == ["partner"]


def test_the_outline_shows_each_exercise_with_its_settings_and_steps(
        server: LspClient) -> None:
    path = ROOT / "examples" / "daily-leg-programme.stretch"
    server.open(path.as_uri(), path.read_text(encoding="utf-8"))
    [routine] = request(server, "textDocument/documentSymbol", path.as_uri())
    exercises = [c for c in routine["children"] if c["name"].startswith("exercise ")]
    assert [(e["name"], e["detail"]) for e in exercises] == [
        ('exercise "Calf stretch at the wall"', "2 steps"),
        ('exercise "Seated hamstring stretch"', "4 steps"),
        ('exercise "Kneeling hip flexor stretch"', "3 steps")]
    assert all(e["kind"] == 5 for e in exercises)  # Class: an outline's top-level parts
    calf = exercises[0]
    assert calf["range"] == span((22, 2), (32, 52))
    assert calf["selectionRange"] == span((22, 2), (22, 10))
    assert [c["name"] for c in calf["children"]][:5] == [
        "id", "targets", "equipment", "position", "image"]
    assert [c["name"] for c in calf["children"]][5:] == ["setup 5s", "repeat 2"]


def test_the_outline_shows_what_the_variants_change(server: LspClient) -> None:
    path = ROOT / "examples" / "towel-hamstring-three-ways.stretch"
    server.open(path.as_uri(), path.read_text(encoding="utf-8"))
    [routine] = request(server, "textDocument/documentSymbol", path.as_uri())

    def tree(symbol: dict[str, Any]) -> Any:
        children = symbol.get("children") or []
        entry = (symbol["name"], symbol.get("detail") or "")
        return (*entry, [tree(c) for c in children]) if children else entry

    setup, repeat, release, rest = [tree(c) for c in routine["children"][-4:]]
    assert setup[2] == [("variant chair", "1 item in its place", [
        ("setup", '"Sit on the front of a chair with the {side} heel on the floor, toes up"')])]
    assert repeat[2] == [
        ("hold {hold}", '"Draw the {side} leg up with the towel until you feel a gentle '
         'stretch"', [("cue at 10s", '"Keep the {other} leg relaxed"'),
                      ("variant easier: 20s", ""), ("variant harder: 45s", "")]),
        ("variant harder only", "", [
            ("contract 6s", '"Press the heel into the towel"'),
            ("relax 5s", '"Let go and breathe out"'),
            ("deepen", '"Draw the leg a little closer"')])]
    assert release[2] == [("variant chair", "1 item in its place", [
        ("release", '"Sit up tall and put the {side} foot down flat"')])]
    assert rest[2] == [("variant chair: leave out", "")]
    only = routine["children"][-3]["children"][1]
    assert only["kind"] == 3  # Namespace: a block, as `left only:` is
    assert only["range"] == span((33, 4), (36, 43))
    assert only["selectionRange"] == span((33, 4), (33, 11))  # `variant`
    change = routine["children"][-1]["children"][0]
    assert change["kind"] == 22  # EnumMember: a variant
    assert change["range"] == span((41, 4), (41, 28))


def _outline(server: LspClient, doc: str) -> list[str]:
    [routine] = request(server, "textDocument/documentSymbol", doc)
    return [routine["name"], *(c["name"] for c in routine.get("children") or [])]


def test_a_file_opened_with_an_error_outlines_what_parses_above_it(server: LspClient) -> None:
    doc = uri("non-ascii.stretch")  # line 2 has an error
    server.open(doc, (LSP / "non-ascii.stretch").read_text(encoding="utf-8"), version=9)
    assert _outline(server, doc) == ['routine "Étirement du mollet 🦵"']
    doc = uri("open-block.stretch")  # a repeat left without a block at the end
    server.open(doc, 'routine "r"\n  hold 30s\n  rest 5s\n  repeat 3:\n')
    assert _outline(server, doc) == ['routine "r"', "hold 30s", "rest 5s"]


def test_the_outline_keeps_the_last_good_symbols_while_the_file_has_an_error(
        server: LspClient) -> None:
    doc = uri("typing.stretch")
    server.open(doc, 'routine "r"\n  hold 30s\n  rest 5s\n')
    good = _outline(server, doc)
    # Half-way through typing a new step: `hold 3` has no unit yet.
    typing = server.change(doc, 2, [{"text": 'routine "r"\n  hold 30s\n  hold 3\n  rest 5s\n'}])
    assert [d["code"] for d in typing["diagnostics"]] == ["P102"]
    assert _outline(server, doc) == good == ['routine "r"', "hold 30s", "rest 5s"]
    server.change(doc, 3, [{"text": 'routine "r"\n  hold 30s\n  hold 3s\n  rest 5s\n'}])
    assert _outline(server, doc) == ['routine "r"', "hold 30s", "hold 3s", "rest 5s"]
    # Shorter than the last good outline: its ranges stay inside the text.
    server.change(doc, 4, [{"text": 'routine "r"\n  hold\n'}])
    server.change(doc, 5, [{"text": 'routine "r"\n  hold 3'}])
    [routine] = request(server, "textDocument/documentSymbol", doc)
    assert [c["name"] for c in routine["children"]] == ["hold"]
    assert routine["range"]["end"] == at(1, 6)


def test_closing_a_document_forgets_its_last_outline(server: LspClient) -> None:
    doc = uri("closed.stretch")
    server.open(doc, 'routine "r"\n  hold 30s\n')
    assert _outline(server, doc) == ['routine "r"', "hold 30s"]
    server.notify("textDocument/didClose", {"textDocument": {"uri": doc}})
    server.wait_for("textDocument/publishDiagnostics", doc)
    server.open(doc, 'routine "r"\n  hold 30\n')
    assert _outline(server, doc) == ['routine "r"']


# --- positions (the conversion behind every range above) -------------------------------


@pytest.mark.parametrize(("encoding", "column"), [(UTF16, 19), (UTF8, 24), (UTF32, 18)])
def test_positions_follow_the_negotiated_encoding(encoding: str, column: int) -> None:
    text = (LSP / "non-ascii.stretch").read_text(encoding="utf-8")
    index = LineIndex(text, encoding)
    assert index.position(2, 19) == Position(1, column)
    assert index.column(Position(1, column)) == (2, 19)


def test_positions_after_a_byte_order_mark_and_crlf() -> None:
    index = LineIndex('\ufeffroutine "x"\r\n  hold 30\r\n')
    # The parser counts columns after the mark; the editor counts the mark too.
    assert index.position(1, 1) == Position(0, 1)
    assert index.position(2, 8) == Position(1, 7)
    assert index.range(Span(9, 1, 9, 5)).start == Position(2, 0)  # past the end: clamped
    assert index.column(Position(0, 1)) == (1, 1)


def test_hover_completion_and_outline_never_fail_on_the_examples() -> None:
    from test_docs import as_routine, blocks

    from dsl.lsp import completion, hover, symbols
    from dsl.lsp.words import scan
    from dsl.syntax.parser import parse

    texts = [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.stretch"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(LSP.glob("*.stretch"))]
    texts += [as_routine(block) for _, block in blocks()]
    for text in texts:
        lines = text.split("\n")
        for number, line in enumerate(lines, 1):
            # every token's first and last character, and the end of the line
            columns = {c for t in scan(line) for c in (t.start + 1, t.end)} | {len(line) + 1}
            for column in sorted(columns):
                hover.hover(lines, number, column)
                completion.complete(lines, number, column)
        parsed = parse(text)
        if parsed.routine is not None:
            [outline] = symbols.outline(parsed.routine)
            assert outline.kind == "routine"
