"""`stretch handout`: the printable sheet, checked as a person would read it.

Every example routine and session is printed to PDF by the real WeasyPrint, and the PDF's
text (poppler's `pdftotext`) must hold the title, every step in the words the voice says
them, the limits, what to do on pain and the contraindications; `pdfinfo` tells the paper
size, and the first page rendered to PNG (`pdftoppm`) must not be blank. The same checks
run on the HTML. (tests/test_handout.py is about something else: a coach's handout as
written in the language.)
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from components import program, require
from conftest import EXAMPLES, example_paths, plan_example_paths
from typer.testing import CliRunner

from dsl import compile_file
from dsl.cli import app
from dsl.exports.handout import HandoutError, handout_html, handout_pdf
from dsl.timeline import voice

runner = CliRunner()

def _first_statement(path: Path) -> str:
    return next(line for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.lstrip().startswith("#"))


# Every example routine and session (a programme has no steps of its own: refused).
HANDOUT_EXAMPLES = [*example_paths(), *(p for p in plan_example_paths()
                                        if _first_statement(p).startswith("session"))]


def _weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        require("WeasyPrint", False, "pip install weasyprint")


@pytest.fixture(scope="module")
def poppler() -> dict[str, str]:
    install = "apt-get install poppler-utils"
    return {name: program(name, install) for name in ("pdftotext", "pdfinfo", "pdftoppm")}


def _handout(*arguments: str) -> Any:
    return runner.invoke(app, ["handout", *arguments])


def _pdf_text(poppler: Mapping[str, str], pdf: Path) -> str:
    done = subprocess.run([poppler["pdftotext"], str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60)
    return " ".join(done.stdout.split())


def _html_text(page: str) -> str:
    body = page.split("<body>", 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _swapped(text: str) -> str:
    """The text with the sides swapped: a side printed as "the same steps" as the other
    side is read in the other side's words."""
    words = {"left": "right", "right": "left", "Left": "Right", "Right": "Left"}
    return re.sub(r"\b(left|right|Left|Right)\b", lambda m: words[m[0]], text)


def _printed(text: str) -> str:
    """A text as the sheet prints it: side words of a template are the working side's."""
    return (text.replace("{side}", "working").replace("{Side}", "Working")
            .replace("{other}", "other").replace("{Other}", "Other"))


def _routines(document: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if document.get("kind") == "session":
        for part in document["parts"]:
            if part["kind"] == "routine":
                yield part["routine"]
    else:
        yield document


def _expected_words(document: Mapping[str, Any]) -> list[str]:
    """What the sheet of a compiled document must say, each a run of words."""
    said = [str(document["metadata"]["title"])]
    for routine in _routines(document):
        metadata = routine["metadata"]
        said.append(metadata["title"])
        for entry in routine["timeline"]:
            speech = re.sub(r"^(Left|Right) side\. ", "", entry["speech"])
            said.append(_printed(speech))
            said += [_printed(cue["speech"]) for cue in entry["cues"]]
        handlers = [*routine["safetyHandlers"],
                    *(h for s in routine.get("sections", []) for h in s["safetyHandlers"])]
        signals = {h["signal"] for h in routine["safetyHandlers"]}
        for handler in handlers:
            said.append(voice.SIGNAL_PHRASES[handler["signal"]] + ":")
            said.append(_printed(handler["speech"]))
            said += [_printed(e["speech"]) for e in handler["timeline"]]
        if "pain" not in signals:
            said.append(voice.STOP_ON_PAIN)
        said += [voice.sentence(_printed(t)) for t in metadata["contraindications"]]
        said += [voice.sentence(_printed(t)) for t in metadata["indications"]]
        said += [_printed(t) for t in metadata["notes"]]
    return said


def _missing(text: str, document: Mapping[str, Any]) -> list[str]:
    return [words for words in _expected_words(document)
            if " ".join(words.split()) not in text
            and " ".join(_swapped(words).split()) not in text]


def _compiled(path: Path, *variants: str) -> dict[str, Any]:
    result = compile_file(path, variants=variants)
    assert result.document is not None, result.diagnostics
    return json.loads(json.dumps(result.document))  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", HANDOUT_EXAMPLES, ids=lambda p: p.stem)
def test_every_example_prints_its_steps_limits_and_safety(
        tmp_path: Path, poppler: dict[str, str], path: Path) -> None:
    _weasyprint()
    document = _compiled(path)
    pdf, page = tmp_path / "handout.pdf", tmp_path / "handout.html"
    for output in (pdf, page):
        result = _handout(str(path), "-o", str(output))
        assert (result.exit_code, result.stderr) == (0, f"wrote {output}\n")
    text = _pdf_text(poppler, pdf)
    assert _missing(text, document) == []
    assert _missing(_html_text(page.read_text(encoding="utf-8")), document) == []
    for routine in _routines(document):
        for limit in routine["limits"]:
            if limit["group"] is None:
                assert _limit_sentence(limit) in text


def _limit_sentence(limit: Mapping[str, Any]) -> str:
    from dsl.exports.handout import _limit_words

    return _limit_words(limit)


@pytest.mark.parametrize(("path", "said"), [
    ("partner-hamstring-pnf", ["At most 3 contract and relax cycles on each side.",
                               "No contraction longer than 10 seconds.",
                               "Never contract harder than 50 percent effort.",
                               "Never hold your breath longer than 2 counts."]),
    ("towel-hamstring-three-ways", ["No hold longer than 1 minute.",
                                    "No contraction longer than 10 seconds.",
                                    "At most 3 contractions on each side."]),
    ("box-breathing", ["No more than 10 minutes in all.",
                       "Never hold your breath longer than 2 counts."]),
    ("morning-legs", ["No more than 30 minutes in all.",
                      "At most 8 contractions on each side."]),
])
def test_the_limits_are_said_in_words(path: str, said: list[str]) -> None:
    document = _compiled(EXAMPLES / f"{path}.stretch")
    assert [_limit_sentence(limit) for limit in document["limits"]] == said
    text = _html_text(handout_html(document, base=EXAMPLES).html)
    assert all(words in text for words in said)
    if path == "box-breathing":  # a group's limit is under the group's heading
        assert "For pregnant clients" in text


def test_a_repeat_is_written_once_and_a_side_like_the_other_in_a_line(
        tmp_path: Path, poppler: dict[str, str]) -> None:
    _weasyprint()
    pdf = tmp_path / "hip.pdf"
    assert _handout(str(EXAMPLES / "hip-and-hamstring.stretch"), "-o", str(pdf)).exit_code == 0
    text = _pdf_text(poppler, pdf)
    # Three passes a side, six in all in the timeline: the sheet writes the pass once.
    assert text.count("Rest for 30 seconds. Stay there and rest, breathing slowly.") == 1
    assert text.count("Repeat up to 3 times:") == 1
    assert "Left side 1. Get into position." in text
    assert ("Change to the right side. Change legs: bring the other leg in front. Go on "
            "when you are ready. Right side: the same steps, on the right side.") in text
    # The opening's warning, word for word as the voice says it before the routine starts
    # (the PDF numbers the handler's steps; the HTML's numbers are the style sheet's).
    document = _compiled(EXAMPLES / "hip-and-hamstring.stretch")
    warning = document["announcements"]["opening"].removeprefix("Hip and Hamstring Stretch. ")
    assert warning.startswith("If you feel pain: Ouch: you went too far. Release.")
    assert warning in _html_text(handout_html(document, base=EXAMPLES).html)
    assert "If you feel pain: Ouch: you went too far. 1. Release." in text


ROUTINE = """routine "Towel hamstring"
  targets: hamstrings
  position: lying on your back
  sides: each, left first
  limit hold 60s
  contraindications:
    "A recent hamstring tear"
  image "pic.svg" "The towel around the {side} foot"
  image "https://example.org/towel.jpg" "The towel, from above"
  image "missing.svg" "Knee straight"
  note "Keep the {other} leg flat"

  repeat 2, rest 15s between "Shake the leg out":
    hold left 30s, right 45s "Draw the {side} leg up"
"""
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60">'
       '<rect x="0" y="0" width="120" height="60" fill="#113355"/></svg>')


def test_pictures_templates_rests_between_and_per_side_amounts(
        tmp_path: Path, poppler: dict[str, str]) -> None:
    _weasyprint()
    routine = tmp_path / "towel.stretch"
    routine.write_text(ROUTINE, encoding="utf-8")
    (tmp_path / "pic.svg").write_text(SVG, encoding="utf-8")
    page = tmp_path / "towel.html"
    result = _handout(str(routine), "-o", str(page))
    assert result.exit_code == 0
    assert result.stderr == (
        "stretch: warning: picture missing.svg: cannot read it (No such file or directory); "
        f"its caption is printed instead\nwrote {page}\n")
    written = page.read_text(encoding="utf-8")
    assert '<img src="data:image/svg+xml;base64,' in written  # embedded, fetched from nowhere
    assert '<a href="https://example.org/towel.jpg">' in written  # remote: a link
    assert "src=\"https:" not in written and "src=\"pic.svg" not in written
    text = _html_text(written)
    assert "The towel around the working foot" in text
    assert "The towel, from above https://example.org/towel.jpg" in text
    assert "Knee straight (missing.svg)" in text
    assert "Keep the other leg flat" in text
    assert "Do not do this when" not in text and "A recent hamstring tear." in text
    # Per-side amounts: the right side is not the left's, so both are written out.
    assert ("Left side Repeat 2 times: Hold for 30 seconds. Draw the left leg up. "
            "Between passes: Rest for 15 seconds. Shake the leg out.") in text
    assert "Right side" in text and "Hold for 45 seconds. Draw the right leg up." in text
    assert "the same steps" not in text
    pdf = tmp_path / "towel.pdf"
    assert _handout(str(routine), "-o", str(pdf)).exit_code == 0
    assert "Draw the right leg up" in _pdf_text(poppler, pdf)


def test_exercises_have_their_own_headings_and_handlers(tmp_path: Path) -> None:
    document = _compiled(EXAMPLES / "daily-leg-programme.stretch")
    text = _html_text(handout_html(document, base=EXAMPLES).html)
    assert "Exercise 1 of 3: Calf stretch at the wall" in text
    assert "Exercise 3 of 3: Kneeling hip flexor stretch" in text
    assert "If you get a cramp: Cramp in the back of the thigh." in text
    assert "Repeat 2 times:" in text and "Between passes: Rest for 10 seconds." in text


def test_paper_size_is_a4_by_default_and_letter_on_request(
        tmp_path: Path, poppler: dict[str, str]) -> None:
    _weasyprint()
    path = str(EXAMPLES / "calf-wall-stretch.stretch")
    sizes = {}
    for paper in ("a4", "letter", None):
        pdf = tmp_path / f"{paper}.pdf"
        extra = [] if paper is None else ["--paper", paper]
        assert _handout(path, "-o", str(pdf), *extra).exit_code == 0
        info = subprocess.run([poppler["pdfinfo"], str(pdf)], capture_output=True,
                              text=True, check=True).stdout
        sizes[paper] = next(line for line in info.splitlines() if line.startswith("Page size"))
    assert sizes["a4"].endswith("595.276 x 841.89 pts (A4)")
    assert sizes["letter"].endswith("612 x 792 pts (letter)")
    assert sizes[None] == sizes["a4"]


def test_the_first_page_is_not_blank(tmp_path: Path, poppler: dict[str, str]) -> None:
    _weasyprint()
    from PIL import Image

    pdf = tmp_path / "hip.pdf"
    assert _handout(str(EXAMPLES / "hip-and-hamstring.stretch"), "-o", str(pdf)).exit_code == 0
    subprocess.run([poppler["pdftoppm"], "-png", "-r", "40", "-f", "1", "-l", "1",
                    "-singlefile", str(pdf), str(tmp_path / "page")], check=True, timeout=60)
    with Image.open(tmp_path / "page.png") as image:
        grey = image.convert("L")
        pixels = grey.tobytes()
        width, height = grey.size
    assert (width, height) == (331, 468)  # A4 at 40 dots an inch
    dark = sum(1 for p in pixels if p < 128)
    # Text, the safety box and the picture: a real page, not an empty one.
    assert dark > len(pixels) // 100
    # Ink in the top and the bottom half: the title and the steps.
    assert min(pixels[: len(pixels) // 2]) < 64 and min(pixels[len(pixels) // 2:]) < 64


def test_the_same_routine_gives_the_same_pdf(tmp_path: Path, poppler: dict[str, str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    _weasyprint()
    document = _compiled(EXAMPLES / "hip-and-hamstring.stretch")
    page = handout_html(document, base=EXAMPLES).html
    assert handout_pdf(page) == handout_pdf(page)
    assert handout_html(document, base=EXAMPLES).html == page
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdf = tmp_path / "dated.pdf"
    pdf.write_bytes(handout_pdf(handout_html(document, base=EXAMPLES).html))
    info = subprocess.run([poppler["pdfinfo"], "-isodates", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    assert "CreationDate:    2023-11-14T22:13:20Z" in info
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(HandoutError, match="SOURCE_DATE_EPOCH must be a whole number"):
        handout_html(document, base=EXAMPLES)


def test_every_usage_error_of_the_command(tmp_path: Path) -> None:
    routine = tmp_path / "calf.stretch"
    routine.write_bytes((EXAMPLES / "calf-wall-stretch.stretch").read_bytes())
    plan = EXAMPLES / "six-weeks-looser-legs.stretch"
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    (tmp_path / "calf.json").write_text("{}", encoding="utf-8")
    r = str(routine)
    cases = [
        ([r, "-o", str(tmp_path / "other.stretch")],
         f"-o {tmp_path / 'other.stretch'}: a handout is not written to a .stretch file "
         "(write it to a .pdf or .html file, such as routine.pdf)"),
        ([r, "-o", r],
         f"-o {r}: a handout is not written to a .stretch file (write it to a .pdf or "
         ".html file, such as routine.pdf)"),
        ([r, "-o", str(tmp_path / "calf.txt")],
         f"-o {tmp_path / 'calf.txt'}: a handout is a .pdf or .html file, not .txt (the "
         "extension chooses the format)"),
        ([r, "-o", str(tmp_path / "calf")],
         f"-o {tmp_path / 'calf'}: end the file name with .pdf or .html (the extension "
         "chooses the format)"),
        ([r, "-o", str(tmp_path / "calf.html"), "--paper", "a5"],
         "--paper takes `a4` or `letter`, not `a5`"),
        ([str(tmp_path / "nowhere.stretch"), "-o", str(tmp_path / "x.html")],
         f"no such file: {tmp_path / 'nowhere.stretch'}"),
        ([str(tmp_path), "-o", str(tmp_path / "x.html")],
         f"{tmp_path} is a folder: give the routine's .stretch file"),
        ([str(tmp_path / "calf.json"), "-o", str(tmp_path / "x.html")],
         f"{tmp_path / 'calf.json'}: give the routine's .stretch file (its pictures are "
         "found beside it), not a compiled .json"),
        ([str(plan), "-o", str(tmp_path / "x.html")],
         f"{plan} is a programme: make a handout of one of its sessions or routines (a "
         "programme's calendar is `stretch export ics`)"),
        ([r, "-o", str(tmp_path / "a-file" / "x.html")],
         f"cannot write {tmp_path / 'a-file' / 'x.html'}: Not a directory"),
    ]
    written = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    for arguments, message in cases:
        result = _handout(*arguments)
        assert (result.exit_code, result.stderr) == (2, f"stretch: error: {message}\n")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == written
    result = _handout(r)
    assert result.exit_code == 2 and "Missing option '--output' / '-o'." in result.stderr
    # A routine with errors: its diagnostics, exit 1, nothing written.
    result = _handout(r, "-o", str(tmp_path / "x.html"), "--set", "hold=5s")
    assert result.exit_code == 1
    assert "error[C002]: `--set hold=5s`: this routine declares no parameters" in result.stderr
    assert result.stderr.endswith(f"not written: {r} has errors\n")
    assert not (tmp_path / "x.html").exists()


def test_without_weasyprint_a_pdf_says_how_to_install_it_and_html_still_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` fails
    path = str(EXAMPLES / "calf-wall-stretch.stretch")
    result = _handout(path, "-o", str(tmp_path / "calf.pdf"))
    assert (result.exit_code, result.stderr) == (
        2, "stretch: error: a PDF handout needs WeasyPrint: pip install 'stretch-dsl[web]' "
        "(or write the handout as .html)\n")
    assert not (tmp_path / "calf.pdf").exists()
    result = _handout(path, "-o", str(tmp_path / "calf.html"))
    assert result.exit_code == 0 and (tmp_path / "calf.html").exists()


def test_the_installed_command_has_no_traceback_without_weasyprint(tmp_path: Path) -> None:
    """As a user runs it: a fresh interpreter where WeasyPrint cannot be imported."""
    driver = ("import sys; sys.modules['weasyprint'] = None; from dsl.__main__ import main; "
              "sys.argv = ['stretch', *sys.argv[1:]]; main()")
    done = subprocess.run([sys.executable, "-c", driver, "handout",
                           str(EXAMPLES / "calf-wall-stretch.stretch"), "-o",
                           str(tmp_path / "calf.pdf")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert done.stderr == ("stretch: error: a PDF handout needs WeasyPrint: pip install "
                           "'stretch-dsl[web]' (or write the handout as .html)\n")


def test_the_install_hint_names_the_real_distribution() -> None:
    import tomllib

    from conftest import ROOT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    from dsl.exports.handout import INSTALL

    name = project["project"]["name"]
    assert INSTALL.endswith(f" '{name}[web]'") and INSTALL.startswith("pip install ")
    assert any(d.startswith("weasyprint") for d in
               project["project"]["optional-dependencies"]["web"])


def test_a_programme_is_refused_by_the_api_too() -> None:
    document = _compiled(EXAMPLES / "six-weeks-looser-legs.stretch")
    with pytest.raises(HandoutError, match="a programme has no steps of its own"):
        handout_html(document, base=EXAMPLES)


def test_a_session_lists_its_parts_then_prints_each_routine() -> None:
    document = _compiled(EXAMPLES / "morning-legs.stretch")
    text = _html_text(handout_html(document, base=EXAMPLES).html)
    assert ("In order Leg Warm-Up (2 minutes 13 seconds) Rest for 30 seconds. Walk to the "
            "wall. Standing Calf Stretch (1 minute 10 seconds to 5 minutes 20 seconds)") in text
    assert "No more than 30 minutes in all. At most 8 contractions on each side." in text
    # Each routine in full, with its own safety and steps; an alternating repeat once.
    assert "If you feel pain: Sharp pain in the calf or heel." in text
    assert "Repeat 2 to 4 times, each time on both sides:" in text
    assert text.index("Leg Warm-Up Targets") < text.index("Standing Calf Stretch Targets")


def test_a_time_box_says_its_time_and_passes() -> None:
    document = _compiled(EXAMPLES / "box-breathing.stretch")
    text = _html_text(handout_html(document, base=EXAMPLES).html)
    assert "Repeat for 2 to 3 minutes (7 to 11 times):" in text
    assert text.count("Breathe in for 4 counts. Breathe in through the nose.") == 1


def test_the_docs_show_the_handout_picture() -> None:
    from conftest import ROOT

    data = (ROOT / "docs" / "images" / "handout.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (596, 842)  # an A4 page at 72 dots an inch
    assert "](docs/images/handout.png)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](images/handout.png)" in (ROOT / "docs" / "exports.md").read_text(
        encoding="utf-8")


def test_the_values_and_variant_the_coach_chose_are_on_the_sheet(tmp_path: Path) -> None:
    page = tmp_path / "towel.html"
    result = _handout(str(EXAMPLES / "towel-hamstring-three-ways.stretch"), "-o", str(page),
                      "--set", "hold=40s", "--set", "rounds=3", "--variant", "easier")
    assert result.exit_code == 0, result.stderr
    text = _html_text(page.read_text(encoding="utf-8"))
    assert ("Set for you Hold as your therapist sets, 20 to 45 seconds: 40 seconds; Rounds "
            "on each leg: 3") in text
    assert "As prescribed: easier." in text
    assert "Repeat 3 times:" in text
