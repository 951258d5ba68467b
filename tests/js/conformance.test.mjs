// The conformance suite through the JavaScript engine: every case of tests/conformance/
// played on a virtual clock must write its expected.log, line for line, as the Python
// reference player does (tests/test_player.py). One behaviour in two languages.

import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { Event, fill, formatSeconds, playable, sideWords, switched } from "../../dsl/web/player/engine.js";
import { parseInputs, run } from "./scripted.mjs";

const SUITE = fileURLToPath(new URL("../conformance/", import.meta.url));
const CASES = readdirSync(SUITE).filter((name) => existsSync(join(SUITE, name, "expected.log"))).sort();

function played(folder) {
  let document = JSON.parse(readFileSync(join(folder, "routine.json"), "utf8"));
  if (document.kind === "session") document = playable(document);
  const variant = join(folder, "variant.txt");
  if (existsSync(variant)) document = switched(document, readFileSync(variant, "utf8").trim());
  const inputs = parseInputs(readFileSync(join(folder, "inputs.txt"), "utf8"));
  return run(document, inputs).map((event) => event.line() + "\n").join("");
}

test("the suite has its cases", () => {
  assert.ok(CASES.length >= 19, `only ${CASES.length} cases found in ${SUITE}`);
});

for (const name of CASES) {
  test(`conformance ${name}`, () => {
    const expected = readFileSync(join(SUITE, name, "expected.log"), "utf8");
    assert.deepEqual(played(join(SUITE, name)).split("\n"), expected.split("\n"));
  });
}

test("seconds print as the reference player prints them", () => {
  assert.equal(formatSeconds(12), "12.0");
  assert.equal(formatSeconds(1.25), "1.25");
  assert.equal(formatSeconds(1 / 3), "0.333");
  assert.equal(formatSeconds(0.0625), "0.062"); // a tie, to the even thousandth
  assert.equal(formatSeconds(0.1875), "0.188");
  assert.equal(formatSeconds(2.0005), "2.001"); // not a tie in binary: just above
});

test("event values: none, yes/no, JSON text", () => {
  const event = new Event(1.5, "cue", [["index", 0], ["offset", 10], ["partner", false],
    ["text", 'Say "hi" \u00e9\n']]);
  assert.equal(event.line(), 't=1.5 cue index=0 offset=10.0 partner=no text="Say \\"hi\\" \u00e9\\n"');
  assert.equal(new Event(0, "sound", [["kind", "end"], ["count", null]]).line(), "t=0.0 sound kind=end count=-");
});

test("side words fill templates and keep what has no value", () => {
  assert.equal(fill("{Side} leg, then the {other}; {{x}} {hold} {", sideWords("left")),
    "Left leg, then the right; {x} {hold} {");
  assert.equal(fill("{side}", sideWords(null)), "{side}");
});

test("a variant that is not there is refused", () => {
  assert.throws(() => switched({ variantTimelines: [] }, "harder"), /no variant `harder`/);
});
