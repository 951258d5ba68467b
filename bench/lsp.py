"""Editor responsiveness: how long the language server takes to diagnose a 500-line
routine again after an edit (the issue's target: under 30 ms), and a 5,000-line one
(target: 50 ms, median of 20 edits).

Prints medians over many runs of
- ``engine.diagnose`` (parse and every lint rule) in process, after an edit that keeps the
  file valid and after one that breaks it (a syntax error: no rules run then);
- the whole server path in process: diagnose plus conversion to protocol diagnostics;
- end to end through the protocol: ``didChange`` sent to ``python -m dsl lsp`` until its
  ``publishDiagnostics`` arrives (full-text and incremental changes);
- bursts: 1,000 incremental edits, then a hover, against one edit on its own in the same
  process: written all at once (an undo history replayed: the hover's answer marks the
  end of the burst, and the diagnostics follow it), and sent 1 ms apart, faster than
  anyone types (how long after the last edit the hover is answered and the diagnostics
  of the final version arrive; the target: 100 ms); and 200 edits on a 4 MB document,
  until its diagnostics settle;
- a 5,000-line routine (within the 10,000-step cap: steps with several cues each): an edit
  through the protocol (only the blocks it touches are parsed again), one that adds or
  removes a line (every block after it moves), against the baseline of parsing and
  diagnosing the whole text in process, in the same run.

    python bench/lsp.py [--lines 500] [--runs 50] [--bursts 5] [--big-lines 5000]
                        [--big-runs 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from dsl.lsp import engine  # noqa: E402
from dsl.lsp.positions import LineIndex  # noqa: E402

URI = (ROOT / "bench" / "long-routine.stretch").as_uri()

_HEADER = """\
# A long routine: a whole clinic session in one file.
routine "Long Session"
  id: long-session
  targets: hamstrings (semitendinosus, semimembranosus, biceps femoris), calves, quadriceps
  equipment: mat, strap
  position: lying on the back
  level: intermediate
  partner: optional "A partner can hold the strap"
  sides: each, left first
  tempo: 1 count = 1s, 1 breath = 6s
  limit cycles 200
  limit hold 60s

  posture:
    "Keep your spine long"
    "Do not bounce"

  on pain "Too far: ease off"
    release "Move back out of the stretch a little"
    relax 30s "Relax there"

  setup "Lie on your back with the strap around one foot"
"""

_BLOCK = """\

  repeat up to 3, rest {rest}s between:  # block {number}
    contract {low}-{high} counts gently "Press the heel into the strap"
      cue at 3 counts "Keep breathing"
    relax 2 breaths "Let go and breathe out"
    hold {hold}-45s to mild tension "Ease a little deeper and hold"
      cue at 10s "Let the knee stay soft"
    inhale 4 counts "Breathe in"
    exhale 6 counts "Breathe out slowly"
"""


def long_routine(lines: int) -> str:
    """A valid routine of at least ``lines`` lines, built from repeat blocks."""
    parts = [_HEADER]
    number = 0
    while sum(p.count("\n") for p in parts) < lines - 1:
        parts.append(_BLOCK.format(rest=10 + number % 20, number=number, low=3 + number % 3,
                                   high=8 + number % 5, hold=15 + number % 10))
        number += 1
    parts.append('  release "Come out of the stretch slowly"\n')
    return "".join(parts)


# A block with several cues to each step: many lines for few steps, so a long routine
# stays within the 10,000 performed steps a player can be given.
_CUED_BLOCK = """\

  repeat 2, rest {rest}s between:  # block {number}
    contract {low}-{high} counts gently "Press the heel into the strap"
      cue at 3 counts "Keep breathing"
      cue at 5 counts "Stay long through the spine"
    relax 2 breaths "Let go and breathe out"
      cue at 1 breath "Let the shoulders drop"
    hold {hold}-45s to mild tension "Ease a little deeper and hold"
      cue at 10s "Let the knee stay soft"
      cue at 20s "Keep the hips square"
      cue at 30s "Breathe into the stretch"
"""


def cued_routine(lines: int) -> str:
    """A valid routine of at least ``lines`` lines within the step cap (a 5,000-line one
    runs about 6,500 steps), its cycle limit raised to what it does."""
    parts: list[str] = []
    number = 0
    while len(_HEADER.split("\n")) + sum(p.count("\n") for p in parts) < lines:
        parts.append(_CUED_BLOCK.format(rest=10 + number % 20, number=number,
                                        low=3 + number % 3, high=8 + number % 5,
                                        hold=15 + number % 10))
        number += 1
    header = _HEADER.replace("limit cycles 200", f"limit cycles {2 * number}")
    return header + "".join(parts) + '  release "Come out of the stretch slowly"\n'


def median_ms(run: Callable[[int], object], runs: int) -> tuple[float, float]:
    """Median and best time of ``run(i)`` in milliseconds, after a warm-up run."""
    run(-1)
    timings = []
    for i in range(runs):
        started = time.perf_counter()
        run(i)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), min(timings)


def edited(text: str, i: int, broken: bool = False) -> str:
    """The text after a typical edit in the middle of the file: a rest between passes
    changed (``rest 1Ns``), or the rest of that line replaced by an amount with no unit
    (a syntax error)."""
    middle = text.index("rest 1", len(text) // 2)
    if broken:
        return text[:middle] + f"hold 3{i % 9}" + text[text.index("\n", middle):]
    return text[:middle] + f"rest {1 + i % 9}" + text[middle + len("rest 1"):]


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=500)
    options.add_argument("--runs", type=int, default=50)
    options.add_argument("--bursts", type=int, default=5)
    options.add_argument("--big-lines", type=int, default=5000)
    options.add_argument("--big-runs", type=int, default=20)
    args = options.parse_args()
    text = long_routine(args.lines)
    count = text.count("\n")
    if engine.diagnose(text, URI):
        raise SystemExit("the generated routine has problems")
    print(f"routine: {count} lines")

    def report(label: str, figures: tuple[float, float]) -> None:
        print(f"{label:<52} median {figures[0]:6.2f} ms  (best {figures[1]:.2f} ms)")

    report("diagnose after an edit (in process)",
           median_ms(lambda i: engine.diagnose(edited(text, i), URI), args.runs))
    report("diagnose after an edit that breaks a line",
           median_ms(lambda i: engine.diagnose(edited(text, i, broken=True), URI), args.runs))

    from dsl.lsp.server import to_protocol

    def publish_path(i: int) -> object:
        changed = edited(text, i)
        index = LineIndex(changed)
        return [to_protocol(d, index, URI) for d in engine.diagnose(changed, URI)]

    report("diagnose + protocol conversion (in process)", median_ms(publish_path, args.runs))
    end_to_end(text, args.runs, report)
    bursts(text, args.bursts)
    big_document(args.big_lines, args.big_runs, report)


def end_to_end(text: str, runs: int,
               report: Callable[[str, tuple[float, float]], None]) -> None:
    from lsp_client import LspClient

    client = LspClient()
    try:
        client.initialize()
        client.open(URI, text)
        version = 1

        def full(i: int) -> object:
            nonlocal version
            version += 1
            return client.change(URI, version, [{"text": edited(text, i)}])

        report("didChange -> publishDiagnostics, full text (stdio)", median_ms(full, runs))
        client.change(URI, version + 1, [{"text": text}])
        version += 1
        line = next(n for n, t in enumerate(text.split("\n")) if "rest 10s between" in t)
        column = text.split("\n")[line].index("rest 10s") + 5

        def incremental(i: int) -> object:
            nonlocal version
            version += 1
            digit = str(i % 9 + 1)
            where = {"start": {"line": line, "character": column},
                     "end": {"line": line, "character": column + 1}}
            return client.change(URI, version, [{"range": where, "text": digit}])

        report("didChange -> publishDiagnostics, incremental (stdio)",
               median_ms(incremental, runs))
    finally:
        client.close()


def big_document(lines: int, runs: int,
                 report: Callable[[str, tuple[float, float]], None]) -> None:
    """The long routine: an edit in its middle through the protocol, against parsing and
    diagnosing the whole text in process (what every edit cost before only the touched
    blocks were parsed again)."""
    from lsp_client import LspClient

    from dsl.lint.checker import check

    text = cued_routine(lines)
    if engine.diagnose(text, URI):
        raise SystemExit("the generated long routine has problems")
    print(f"long routine: {text.count(chr(10))} lines")
    config = engine.config_for(URI)
    baseline = median_ms(
        lambda i: check(engine.parse_document(edited(text, i), URI), config), runs)
    report("baseline: parse + diagnose the whole text", baseline)
    rows = text.split("\n")
    # The repeat line nearest the middle, and a cue line below it.
    line = min((n for n, t in enumerate(rows) if "rest 10s between" in t),
               key=lambda n: abs(n - len(rows) // 2))
    column = rows[line].index("rest 10s") + 5
    cue = next(n for n in range(line, len(rows)) if rows[n].lstrip().startswith("cue"))
    client = LspClient(timeout=120)
    big_uri = URI.replace("long-routine", "cued-routine")
    try:
        client.initialize()
        client.open(big_uri, text)
        version = 1

        def digit(i: int) -> object:
            nonlocal version
            version += 1
            where = {"start": {"line": line, "character": column},
                     "end": {"line": line, "character": column + 1}}
            return client.change(big_uri, version, [{"range": where,
                                                     "text": str(i % 9 + 1)}])

        in_line = median_ms(digit, runs)
        report("didChange -> publishDiagnostics, one digit (stdio)", in_line)

        def enter(i: int) -> object:
            # Alternately add a cue line and take it away again: every block below moves.
            nonlocal version
            version += 1
            start = {"line": cue, "character": 0}
            if i % 2 == 0:
                change = {"range": {"start": start, "end": start},
                          "text": '      cue at 4s "Keep breathing"\n'}
            else:
                change = {"range": {"start": start, "end": {"line": cue + 1, "character": 0}},
                          "text": ""}
            return client.change(big_uri, version, [change])

        lines_moved = median_ms(enter, runs + runs % 2)
        report("didChange -> publishDiagnostics, a line added/removed", lines_moved)
        print(f"{lines}-line edit through the protocol: {in_line[0]:.1f} ms = "
              f"{in_line[0] / baseline[0]:.2f}x the whole parse + diagnose "
              f"({lines_moved[0] / baseline[0]:.2f}x when lines move); target 50 ms")
    finally:
        client.close()


def _frame(message: dict[str, object]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _edit(uri: str, version: int, line: int, column: int, digit: str) -> bytes:
    where = {"start": {"line": line, "character": column},
             "end": {"line": line, "character": column + 1}}
    return _frame({"method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"range": where, "text": digit}]}})


def burst_ms(client: object, uri: str, text: str, version: int, edits: int,
             hover_id: int) -> tuple[float, float, int]:
    """Write ``edits`` incremental edits and a hover in one go; the milliseconds from the
    write to the hover's answer and to the final version's diagnostics, and the version."""
    from lsp_client import LspClient

    assert isinstance(client, LspClient)
    line = next(n for n, t in enumerate(text.split("\n")) if "rest 10s between" in t)
    column = text.split("\n")[line].index("rest 10s") + 5
    payload = b"".join(_edit(uri, version + i + 1, line, column, str(i % 9 + 1))
                       for i in range(edits))
    final = version + edits
    hover = _frame({"id": hover_id, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": column}}})
    started = time.perf_counter()
    client.send_bytes(payload + hover)
    reply = client._box(hover_id).get(timeout=120)
    hovered = (time.perf_counter() - started) * 1000
    assert "result" in reply, reply
    client.wait_for("textDocument/publishDiagnostics", uri, final)
    diagnosed = (time.perf_counter() - started) * 1000
    return hovered, diagnosed, final


def paced_ms(client: object, uri: str, text: str, version: int, edits: int,
             hover_id: int, every: float) -> tuple[float, float, int]:
    """Send ``edits`` incremental edits ``every`` seconds apart, then a hover; the
    milliseconds from the last edit to the hover's answer and to its diagnostics."""
    from lsp_client import LspClient

    assert isinstance(client, LspClient)
    line = next(n for n, t in enumerate(text.split("\n")) if "rest 10s between" in t)
    column = text.split("\n")[line].index("rest 10s") + 5
    frames = [_edit(uri, version + i + 1, line, column, str(i % 9 + 1)) for i in range(edits)]
    hover = _frame({"id": hover_id, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": column}}})
    started = time.perf_counter()
    for number, frame in enumerate(frames):
        while time.perf_counter() < started + number * every:
            pass
        client.send_bytes(frame)
    last = time.perf_counter()
    client.send_bytes(hover)
    reply = client._box(hover_id).get(timeout=120)
    hovered = (time.perf_counter() - last) * 1000
    assert "result" in reply, reply
    final = version + edits
    client.wait_for("textDocument/publishDiagnostics", uri, final)
    return hovered, (time.perf_counter() - last) * 1000, final


def bursts(text: str, rounds: int) -> None:
    from lsp_client import LspClient

    client = LspClient(timeout=120)
    try:
        client.initialize()
        client.open(URI, text)
        version = 1
        single, hovered, diagnosed = [], [], []
        for number in range(rounds):
            # The baseline: one edit, then a hover, the same way.
            hover_ms, diagnose_ms, version = burst_ms(client, URI, text, version, 1,
                                                      10_000 + 2 * number)
            single.append(diagnose_ms)
            hover_ms, diagnose_ms, version = burst_ms(client, URI, text, version, 1000,
                                                      10_001 + 2 * number)
            hovered.append(hover_ms)
            diagnosed.append(diagnose_ms)
        # A burst takes as long as reading its 1,000 messages; what matters is the time
        # after the last one, which the hover's answer marks (it is read after them).
        base = statistics.median(single)
        after = [d - h for d, h in zip(diagnosed, hovered, strict=True)]
        print(f"{'one edit: diagnostics after':<52} median {base:6.1f} ms")
        print(f"{'1,000 edits: hover answered after the write':<52} median "
              f"{statistics.median(hovered):6.1f} ms")
        print(f"{'1,000 edits: diagnostics after the hover answer':<52} median "
              f"{statistics.median(after):6.1f} ms  ({statistics.median(after) / base:.2f}x "
              "one edit)")
        paced_hover, paced_diagnostics = [], []
        for number in range(rounds):
            hover_ms, diagnose_ms, version = paced_ms(client, URI, text, version, 1000,
                                                      15_000 + number, 0.001)
            paced_hover.append(hover_ms)
            paced_diagnostics.append(diagnose_ms)
        print(f"{'1,000 edits 1 ms apart: hover after the last edit':<52} median "
              f"{statistics.median(paced_hover):6.1f} ms  (target 100 ms)")
        print(f"{'1,000 edits 1 ms apart: diagnostics after the last':<52} median "
              f"{statistics.median(paced_diagnostics):6.1f} ms  (target 100 ms; "
              f"{statistics.median(paced_diagnostics) / base:.2f}x one edit; worst "
              f"{max(paced_diagnostics):.1f} ms)")

        big = long_routine(60_000)
        big += "# " + "x" * max(0, 3_900_000 - len(big)) + "\n"
        big_uri = URI.replace("long-routine", "four-megabytes")
        started = time.perf_counter()
        client.open(big_uri, big)
        opened = (time.perf_counter() - started) * 1000
        hover_ms, diagnose_ms, _ = burst_ms(client, big_uri, big, 1, 200, 20_000)
        print(f"4 MB document ({len(big) / 1e6:.1f} MB): open and diagnose {opened:.0f} ms; "
              f"200 edits settled in {diagnose_ms:.0f} ms (hover answered in "
              f"{hover_ms:.0f} ms)")
    finally:
        client.close()


if __name__ == "__main__":
    main()
