// The scripted driver of dsl/player/scripted.py in JavaScript: a virtual clock, inputs
// from a script, the event log as output. The same input rules (docs/json.md, "The event
// log"): inputs in time order, each after what the routine does by itself at its time; an
// untimed step goes on by itself after `autoReady` seconds once the script holds no more
// `ready`.

import { Engine, INPUTS } from "../../dsl/web/player/engine.js";

const INPUT = /^\s*([a-z-]+)\s*@\s*(\d+(?:\.\d+)?)\s*$/;

/** Inputs from `ready@12,pain@40` or one a line with `#` comments, in time order. */
export function parseInputs(text) {
  const found = [];
  text.split("\n").forEach((line, number) => {
    for (const raw of line.split("#")[0].split(",")) {
      const item = raw.trim();
      if (!item) continue;
      const match = INPUT.exec(item);
      if (match === null) throw new Error(`line ${number + 1}: expected NAME@SECONDS, found \`${item}\``);
      if (!INPUTS.includes(match[1])) throw new Error(`line ${number + 1}: unknown input \`${match[1]}\``);
      found.push({ time: Number(match[2]), name: match[1] });
    }
  });
  return found.sort((a, b) => a.time - b.time); // stable: ties keep their written order
}

/** Play the document on a virtual clock; the events in order. */
export function run(document, inputs, { autoReady = 10, ranges = "high", maxSeconds = 86400 } = {}) {
  const engine = new Engine(document, { ranges });
  const pending = [...inputs];
  const events = [...engine.start()];
  while (!engine.ended) {
    engine.autoReady = pending.some((i) => i.name === "ready") ? null : autoReady;
    const internal = engine.timeToNext();
    const atInternal = internal !== null ? engine.now + internal : Infinity;
    const atInput = pending.length ? Math.max(pending[0].time, engine.now) : Infinity;
    const target = Math.min(atInternal, atInput);
    if (target === Infinity) {
      events.push(...engine.endNow("stalled"));
    } else if (target > maxSeconds) {
      events.push(...engine.endNow("too-long"));
    } else {
      events.push(...engine.advance(target - engine.now));
      // On a tie the routine goes first: inputs apply to what runs after it.
      if (atInput < atInternal && !engine.ended) events.push(...engine.press(pending.shift().name));
    }
  }
  return events;
}
