"""Time and peak memory of the pathological inputs, full size (tests/test_pathological.py
runs smaller ones). Each case runs in a fresh process, so peak memory (the process's
maximum resident size, and the peak Python allocation traced by tracemalloc) is its own.

    python bench/pathological.py [--runs 3] [--only NAME,...] [--list]

Prints, per case and tool: the median time, the peak traced memory, the process's peak
resident size, and the first diagnostic (code and line).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000
HEAD = 'routine "Pathological"\n'


def _deep(levels: int) -> str:
    lines = [HEAD.rstrip("\n")]
    lines += ["  " * (depth + 1) + "repeat 2:" for depth in range(levels)]
    return "\n".join(lines) + "\n" + "  " * (levels + 1) + "hold 1s\n"


CASES: dict[str, Callable[[], str]] = {
    "nesting-1000": lambda: _deep(1000),
    "repeat-1000000": lambda: HEAD + "  repeat 1000000:\n    hold 10s\n    relax 5s\n",
    "steps-10000": lambda: HEAD + "  hold 1s\n" * 10_000,
    "repeats-5000": lambda: HEAD + "  repeat 2:\n    hold 1s\n" * 5_000,
    "string-1MB": lambda: HEAD + '  note "' + "a" * MB + '"\n',
    "file-10MB-steps": lambda: HEAD + '  hold 30s "Lean in"\n' * (10 * MB // 21),
    "file-10MB-comment": lambda: HEAD + "  hold 1s  # " + "x" * (10 * MB) + "\n",
    "file-10MB-garbage": lambda: HEAD + "  hold 1s\n" + "  blah blah\n" * (10 * MB // 12),
    "file-10MB-blank-lines": lambda: HEAD + "  hold 1s\n" + "\n" * (10 * MB),
    "file-10MB-string": lambda: HEAD + '  note "' + "a" * (10 * MB) + '"\n',
    "nul-bytes": lambda: HEAD + '  hold 30s "a\0b"\n' + "\0" * 1000,
    "number-5000-digits": lambda: HEAD + "  hold " + "9" * 5000 + "s\n",
}

_TOOLS = """
import json, resource, statistics, sys, time, tracemalloc
sys.path.insert(0, {root!r})
from dsl.lint.checker import check
from dsl.timeline.compiler import RoutineTooLong, compile_routine
from dsl.format.formatter import format_text
from dsl.lsp.engine import diagnose
from dsl.syntax.parser import parse

parse('routine "warm up"\\n  hold 1s\\n')  # the parser is built before timing
text = open(sys.argv[1], encoding="utf-8", newline="").read()
runs = int(sys.argv[2])

def compile_text(text):
    parsed = parse(text)
    if parsed.routine is None or any(d.severity == "error" for d in check(parsed)):
        return "not compiled"
    try:
        return compile_routine(parsed.routine)
    except RoutineTooLong:
        return "C001"

def first(found):
    return f"{{found[0].code}}@{{found[0].span.line}}" if found else "-"

def fmt(text):
    result = format_text(text)
    return "formatted" if result.formatted is not None else first(result.diagnostics)

def compiled(text):
    outcome = compile_text(text)
    return outcome if isinstance(outcome, str) else "compiled"

tools = {{
    "parse": lambda: first(parse(text).diagnostics),
    "lint": lambda: first(check(parse(text))),
    "fmt": lambda: fmt(text),
    "lsp": lambda: first(diagnose(text, "untitled:x")),
    "compile": lambda: compiled(text),
}}
results = {{}}
for name, tool in tools.items():
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        outcome = tool()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    tool()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    results[name] = [statistics.median(times), peak, outcome]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes
print(json.dumps({{"tools": results, "rss": rss}}))
"""


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--runs", type=int, default=3)
    options.add_argument("--only", default="", help="comma-separated case names")
    options.add_argument("--list", action="store_true", help="list the cases and exit")
    options.add_argument("--timeout", type=float, default=600, help="seconds per case")
    args = options.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    chosen = [c for c in args.only.split(",") if c] or list(CASES)
    work = ROOT / "bench" / ".pathological"
    work.mkdir(exist_ok=True)
    code = _TOOLS.format(root=str(ROOT))
    print(f"{'case':<24}{'size':>9}  {'tool':<8}{'median':>9}{'traced peak':>13}  outcome")
    for name in chosen:
        text = CASES[name]()
        path = work / f"{name}.stretch"
        path.write_text(text, encoding="utf-8", newline="")
        try:
            done = subprocess.run([sys.executable, "-c", code, str(path), str(args.runs)],
                                  capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{name:<24}{len(text) / MB:>8.1f}M  TIMEOUT after {args.timeout:.0f}s")
            continue
        finally:
            path.unlink()
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{name:<24}{len(text) / MB:>8.1f}M  FAILED: {last}")
            continue
        report = json.loads(done.stdout)
        for tool, (seconds, peak, outcome) in report["tools"].items():
            print(f"{name:<24}{len(text) / MB:>8.1f}M  {tool:<8}{seconds:>8.3f}s"
                  f"{peak / MB:>11.1f}MB  {outcome}")
        print(f"{'':<24}{'':>9}  process peak resident size {report['rss'] / MB:.0f} MB")
    work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
