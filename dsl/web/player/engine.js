// The player's engine in JavaScript: the same behaviour as the reference engine
// (dsl/player/engine.py), event for event, so that the web page plays a routine exactly as
// the terminal does. It reads only the compiled JSON document. Drivers move its clock
// (advance) and pass on the client's inputs (press); it answers with events. The rules are
// those docs/json.md gives every player; tests/js/ runs the conformance suite through it.
// An ES module with no dependencies: the exported page inlines it.

export const EPSILON = 1e-6;

/** What a client can do (docs/json.md, "Player inputs"). */
export const INPUTS = ["ready", "pause", "resume", "toggle", "skip", "back", "stop", "quit",
  "pain", "cramp", "dizziness", "numbness"];
export const SIGNALS = ["pain", "cramp", "dizziness", "numbness"];

// --- placeholders (dsl/model/placeholders.py) -------------------------------------------

const PIECE = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_-]*)\}|[{}]/g;

/** The side placeholders' values while `side` is being worked. */
export function sideWords(side) {
  if (side !== "left" && side !== "right") return {};
  const other = side === "left" ? "right" : "left";
  const cap = (word) => word[0].toUpperCase() + word.slice(1);
  return { side, Side: cap(side), other, Other: cap(other) };
}

/** A template filled: `{{` and `}}` undoubled, a known `{name}` replaced, the rest kept. */
export function fill(text, values) {
  if (!text.includes("{") && !text.includes("}")) return text;
  return text.replace(PIECE, (piece, name) => {
    if (piece === "{{") return "{";
    if (piece === "}}") return "}";
    if (name === undefined) return piece;
    return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : piece;
  });
}

// --- the event log (Event.line in dsl/player/engine.py) ---------------------------------

/** `12.0`, `1.25`: at least one decimal, at most three (rounded half to even on exact
 * ties, as Python's round does). */
export function formatSeconds(value) {
  let text;
  const sixteenths = value * 16;
  if (Number.isInteger(sixteenths) && Math.abs(sixteenths % 2) === 1) {
    // value * 1000 ends in exactly .5: Python rounds such a tie to the even thousandth.
    let thousandths = Math.floor(sixteenths * 62.5);
    if (thousandths % 2 !== 0) thousandths += 1;
    text = (thousandths / 1000).toFixed(3);
  } else {
    text = value.toFixed(3);
  }
  text = text.replace(/0+$/, "");
  return text.endsWith(".") ? text + "0" : text;
}

// Fields whose numbers are seconds (floats in the reference engine): printed as seconds.
const SECONDS_FIELDS = new Set(["seconds", "offset"]);

function formatValue(key, value) {
  if (value === null || value === undefined) return "-";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number" && SECONDS_FIELDS.has(key)) return formatSeconds(value);
  if (key === "text" || key === "title") return JSON.stringify(value);
  return String(value);
}

/** Something that happened at session time `time` (seconds since the start). */
export class Event {
  constructor(time, name, fields = []) {
    this.time = time;
    this.name = name;
    this.fields = fields; // [[key, value], ...] in order
  }

  get(key) {
    const found = this.fields.find(([name]) => name === key);
    return found === undefined ? undefined : found[1];
  }

  /** The event as one line of the event log (docs/json.md, "The event log"). */
  line() {
    const parts = [`t=${formatSeconds(this.time)}`, this.name];
    for (const [key, value] of this.fields) parts.push(`${key}=${formatValue(key, value)}`);
    return parts.join(" ");
  }
}

// --- repeats and passes -----------------------------------------------------------------

const SOUND = 0;
const CUE = 1;

function passesOf(entry) {
  return (entry.passes || []).map((p) => [p.repeat, Math.trunc(Number(p.pass))]);
}

/** The level at which `upcoming` starts the next pass of the run `current` is in. */
function boundary(current, upcoming) {
  const levels = Math.min(current.length, upcoming.length);
  for (let level = 0; level < levels; level++) {
    const here = current[level];
    const there = upcoming[level];
    if (here[0] === there[0] && here[1] === there[1]) continue;
    if (here[0] === there[0] && there[1] === here[1] + 1) return level;
    return null;
  }
  return null;
}

// A run of a repeat: the outer repeats' passes it is in, then the repeat's id. Compared by
// its JSON text.
const runName = (run) => JSON.stringify(run);

function inRun(passes, run) {
  const level = run.length - 1;
  if (passes.length <= level || passes[level][0] !== run[level]) return false;
  return runName(passes.slice(0, level)) === runName(run.slice(0, level));
}

/** One run per repeat the entry is in: its outer passes, then the repeat id. */
function runsOf(entry) {
  const passes = passesOf(entry);
  return passes.map((pass, level) => [...passes.slice(0, level), pass[0]]);
}

function soundOffset(sound, length) {
  const played = length || 0;
  const anchor = { start: 0, middle: played / 2, end: played }[sound.from];
  return anchor + Number(sound.offset);
}

class Track {
  constructor(timeline, handler = null) {
    this.timeline = timeline;
    this.handler = handler;
    this.index = -1;
    this.stopRequest = null; // the run (its name) the client asked to stop
    this.played = []; // the entries started, for `back`
  }
}

/** Plays one compiled document. Times are seconds; `now` is the session clock. */
export class Engine {
  constructor(document, { ranges = "high" } = {}) {
    this.document = document;
    this.ranges = ranges;
    this.repeats = new Map((document.repeats || []).map((r) => [r.id, r]));
    this.handlers = new Map();
    for (const handler of document.safetyHandlers || []) {
      if (!this.handlers.has(handler.signal)) this.handlers.set(handler.signal, handler);
    }
    // A routine with exercises: each exercise by id, and its own handlers by signal.
    this.sections = new Map((document.sections || []).map((s) => [s.id, s]));
    this.sectionHandlers = new Map();
    for (const section of this.sections.values()) {
      const own = new Map();
      for (const handler of section.safetyHandlers || []) {
        if (!own.has(handler.signal)) own.set(handler.signal, handler);
      }
      this.sectionHandlers.set(section.id, own);
    }
    this.section = null; // the exercise being played
    this.routine = new Track([...document.timeline]);
    this.track = this.routine;
    this.now = 0;
    this.paused = false;
    this.ended = false;
    this.endReason = null;
    this.prompting = false; // after a safety handler: waiting for the client to go on
    this.stepElapsed = 0;
    this.stepLength = null;
    // What is due in the current step, by offset: sounds (rank 0) and cues (rank 1).
    this.cues = [];
    this.lastCues = []; // the cues given most recently, all at one offset
    this.autoReady = null; // scripted mode: untimed steps end by themselves
    // The side in progress (docs/json.md, "Placeholders").
    const sides = (document.metadata || {}).sides || {};
    this.side = sides.mode !== "none" ? (sides.first ?? null) : null;
  }

  // --- what drivers read ----------------------------------------------------------------

  /** The entry being played (null before the start, after the end, while prompting). */
  get entry() {
    const track = this.track;
    if (this.ended || this.prompting || !(track.index >= 0 && track.index < track.timeline.length)) {
      return null;
    }
    return track.timeline[track.index];
  }

  /** A text as the client sees it: an entry's text with a side is filled in already; any
   * other text is a template, filled with the side in progress. */
  words(text, entry = null) {
    if (text === null || text === undefined) return null;
    if (entry !== null && entry.side !== null && entry.side !== undefined) return text;
    return fill(text, sideWords(this.side));
  }

  /** A standing cue's text (always a template) beside `entry`. */
  standing(text, entry) {
    return fill(text, sideWords(entry.side || this.side));
  }

  /** True while the engine waits for `ready`. */
  get waiting() {
    return !this.ended && (this.prompting || (this.entry !== null && this.stepLength === null));
  }

  /** Seconds until the engine does something by itself, or null if it waits. */
  timeToNext() {
    if (this.ended || this.paused) return null;
    const deadlines = [];
    if (this.cues.length) deadlines.push(this.cues[0][0] - this.stepElapsed);
    if (this.stepLength !== null && !this.prompting) {
      deadlines.push(this.stepLength - this.stepElapsed);
    } else if (this.autoReady !== null) {
      deadlines.push(this.autoReady - this.stepElapsed);
    }
    return deadlines.length ? Math.max(Math.min(...deadlines), 0) : null;
  }

  // --- what drivers do ------------------------------------------------------------------

  /** Begin the session: the start event and the first step. */
  start() {
    const metadata = this.document.metadata || {};
    const events = [this.event("start", ["title", metadata.title],
      ["schema", this.document.schemaVersion], ["steps", this.routine.timeline.length])];
    events.push(...this.goTo(this.nextIndex(this.routine, -1, events)));
    return events;
  }

  /** Let `seconds` of session time pass; events are stamped at their exact time. */
  advance(seconds) {
    const events = [];
    let remaining = seconds;
    while (!this.ended) {
      const step = this.timeToNext();
      if (step === null || step > remaining + EPSILON) {
        this.tick(remaining);
        break;
      }
      this.tick(step);
      remaining = Math.max(remaining - step, 0);
      events.push(...this.due());
    }
    return events;
  }

  /** The client's input: one of INPUTS. */
  press(name, { auto = false } = {}) {
    if (this.ended) return [];
    if (name === "toggle") name = this.paused ? "resume" : "pause";
    if (name === "quit") return this.end("quit", [this.event("quit")]);
    if (SIGNALS.includes(name)) return this.signal(name);
    if (name === "pause" && !this.paused) {
      this.paused = true;
      return [this.event("pause")];
    }
    if (name === "resume" && this.paused) {
      this.paused = false;
      return [this.event("resume")];
    }
    if (!this.paused && name === "ready") return this.ready(auto);
    if (!this.paused && name === "stop") return this.stop();
    if (!this.paused && name === "skip" && this.entry !== null) {
      return [this.event("skip-step", ["index", this.track.index]), ...this.finish()];
    }
    if (!this.paused && name === "back" && this.entry !== null) return this.back();
    return [this.event("ignored", ["input", name])];
  }

  /** Ends the session now (a scripted driver's `stalled` and `too-long`). */
  endNow(reason) {
    return this.end(reason, []);
  }

  // --- inside ---------------------------------------------------------------------------

  event(name, ...fields) {
    return new Event(this.now, name, fields);
  }

  tick(seconds) {
    this.now += seconds;
    if (!this.paused) this.stepElapsed += seconds;
  }

  due() {
    const events = [];
    while (this.cues.length && this.cues[0][0] <= this.stepElapsed + EPSILON) {
      const [offset, rank, due] = this.cues.shift();
      if (rank === SOUND) {
        events.push(this.sound(due));
        continue;
      }
      if (!this.lastCues.length || Number(this.lastCues[0].offset) !== offset) this.lastCues = [];
      this.lastCues.push(due);
      events.push(this.event("cue", ["index", this.track.index], ["offset", Number(due.offset)],
        ["partner", Boolean(due.forPartner)], ["text", this.words(due.text, this.entry)]));
      events.push(this.event("say", ["text", this.words(due.speech, this.entry)]));
    }
    if (this.prompting || this.entry === null) {
      if (this.prompting && this.autoReady !== null &&
          this.stepElapsed >= this.autoReady - EPSILON) {
        events.push(...this.ready(true));
      }
      return events;
    }
    if (this.stepLength !== null && this.stepElapsed >= this.stepLength - EPSILON) {
      events.push(...this.finish());
    } else if (this.stepLength === null && this.autoReady !== null &&
               this.stepElapsed >= this.autoReady - EPSILON) {
      events.push(...this.ready(true));
    }
    return events;
  }

  ready(auto) {
    if (this.prompting) {
      this.prompting = false;
      const events = [this.event("continue", ["auto", auto])];
      events.push(...this.goTo(this.nextIndex(this.routine, this.routine.index, events)));
      return events;
    }
    const entry = this.entry;
    if (entry === null) return [this.event("ignored", ["input", "ready"])];
    const duration = entry.duration;
    // A range: the client may end it anywhere between its low and high end.
    if (duration === null || duration === undefined ||
        this.stepElapsed >= Number(duration.min) - EPSILON) {
      return [this.event("ready", ["index", this.track.index], ["auto", auto]), ...this.finish()];
    }
    return [this.event("ignored", ["input", "ready"])];
  }

  finish() {
    const events = [];
    const following = this.nextIndex(this.track, this.track.index, events);
    events.push(...this.goTo(following));
    return events;
  }

  goTo(index) {
    const track = this.track;
    this.cues = [];
    this.lastCues = [];
    this.stepElapsed = 0;
    if (index >= track.timeline.length) {
      track.index = index;
      if (track.handler === null) return this.end("done", []);
      return this.handlerEnd();
    }
    track.index = index;
    track.played.push(index);
    const entry = track.timeline[index];
    if (track.handler === null && entry.side !== null && entry.side !== undefined) {
      this.side = entry.side;
    }
    if (track.stopRequest !== null && !runsOf(entry).map(runName).includes(track.stopRequest)) {
      track.stopRequest = null; // the repeat ended on its own
    }
    const duration = entry.duration;
    this.stepLength = duration === null || duration === undefined ? null
      : Number(this.ranges === "high" ? duration.max : duration.min);
    // Sounds first at one offset (a beep, then words), then cues in the order listed.
    const length = this.stepLength;
    const due = (entry.sounds || []).filter((sound) => (length || 0) >= sound.minLength)
      .map((sound) => [soundOffset(sound, length), SOUND, sound]);
    for (const cue of entry.cues || []) due.push([Number(cue.offset), CUE, cue]);
    this.cues = due.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const name = track.handler === null ? "step" : "handler-step";
    const events = [];
    const section = this.sections.get(entry.section ?? "");
    if (track.handler === null && section !== undefined && section !== this.section) {
      // The first step of the next exercise: say which one it is.
      this.section = section;
      events.push(this.event("exercise", ["id", section.id], ["index", section.index],
        ["title", section.title]));
    }
    const fields = [["index", index], ["kind", entry.kind], ["side", entry.side],
      ["seconds", this.stepLength !== null ? this.stepLength : "untimed"]];
    const reps = entry.reps;
    if (reps !== null && reps !== undefined) { // repetitions: the count the client does
      fields.push(["reps", reps.min === reps.max ? `${reps.max}` : `${reps.min}-${reps.max}`]);
    }
    fields.push(["passes", (entry.passes || []).map((p) => `${p.repeat}:${p.pass}`).join(",") || null]);
    fields.push(["text", this.words(entry.text, entry)]);
    events.push(this.event(name, ...fields));
    if (this.cues.length && this.cues[0][0] === 0 && this.cues[0][1] === SOUND) {
      events.push(this.sound(this.cues.shift()[2])); // the start sound, then words
    }
    events.push(this.event("say", ["text", this.words(entry.speech, entry)]));
    events.push(...this.due());
    return events;
  }

  /** Back to the entry started before the current one on this track (the current one
   * again at the first), from its start. */
  back() {
    const played = this.track.played;
    const current = played.pop();
    const target = played.length ? played.pop() : current;
    return [this.event("back", ["index", current], ["to", target]), ...this.goTo(target)];
  }

  sound(sound) {
    return this.event("sound", ["kind", sound.kind], ["count", sound.count]);
  }

  /** The entry after `index`, skipping the rest of a repeat run when the client asked to
   * stop and the pass-boundary rule allows it (docs/json.md). */
  nextIndex(track, index, events) {
    const timeline = track.timeline;
    if (index < 0) return 0;
    const current = passesOf(timeline[index]);
    let following = index + 1;
    while (following < timeline.length) {
      const level = boundary(current, passesOf(timeline[following]));
      if (level === null) break;
      const [repeatId, number] = current[level];
      const run = [...current.slice(0, level), repeatId];
      const reason = this.stopReason(track, runName(run), repeatId, number);
      if (reason === null) break;
      events.push(this.event("skip", ["repeat", repeatId], ["after", number], ["reason", reason]));
      if (track.stopRequest === runName(run)) track.stopRequest = null;
      while (following < timeline.length && inRun(passesOf(timeline[following]), run)) {
        following += 1;
      }
    }
    return following;
  }

  stopReason(track, run, repeatId, number) {
    // Time boxes need no clock here: the timeline holds only the passes that fit at their
    // longest, and passes.min says how many the client must do (docs/json.md).
    const repeat = this.repeats.get(repeatId);
    const passes = repeat !== undefined ? repeat.passes : null;
    const required = passes ? Math.trunc(Number(passes.min ?? 0)) : 0;
    if (track.stopRequest === run && number >= required) return "user";
    return null;
  }

  stop() {
    // A safety handler's repeats stop like the routine's: each timeline keeps its own.
    const entry = this.entry;
    if (entry === null || !(entry.passes && entry.passes.length)) {
      return [this.event("ignored", ["input", "stop"])];
    }
    const runs = runsOf(entry);
    const last = runs[runs.length - 1];
    this.track.stopRequest = runName(last);
    return [this.event("stop-request", ["repeat", last[last.length - 1]])];
  }

  signal(signal) {
    if (this.track !== this.routine || this.prompting) {
      return [this.event("ignored", ["input", signal])];
    }
    const events = [this.event("signal", ["name", signal])];
    // In an exercise, its own handler for the signal, else the routine's.
    const own = this.section ? (this.sectionHandlers.get(this.section.id) || new Map()) : new Map();
    const handler = own.get(signal) || this.handlers.get(signal);
    this.paused = false;
    if (handler === undefined) return this.end(signal, events);
    events.push(this.event("handler", ["id", handler.id], ["signal", signal],
      ["text", this.words(handler.text)]));
    events.push(this.event("say", ["text", this.words(handler.speech)]));
    this.track = new Track([...handler.timeline], handler);
    events.push(...this.goTo(this.nextIndex(this.track, -1, events)));
    return events;
  }

  handlerEnd() {
    const handler = this.track.handler;
    this.track = this.routine;
    this.prompting = true;
    this.stepLength = null;
    this.stepElapsed = 0;
    return [this.event("handler-end", ["id", handler.id]), this.event("prompt")];
  }

  end(reason, events) {
    this.ended = true;
    this.endReason = reason;
    this.cues = [];
    events = [...events];
    if (reason === "done") { // the routine's end: its sound and its closing words
      events.push(this.event("sound", ["kind", "end"], ["count", null]));
      const closing = (this.document.announcements || {}).closing;
      if (closing) events.push(this.event("say", ["text", closing]));
    }
    events.push(this.event("end", ["reason", reason]));
    return events;
  }
}

// --- documents (dsl/player/__init__.py `switched`, dsl/player/sessions.py) --------------

/** A compiled routine switched to one variant, as docs/json.md "Variants that change
 * steps" says: `harder` for the whole routine, `e2/harder` for that exercise alone. */
export function switched(document, variant) {
  const cut = variant.lastIndexOf("/");
  const scope = cut < 0 ? "" : variant.slice(0, cut);
  const name = variant.slice(cut + 1);
  const entries = document.variantTimelines || [];
  for (const entry of entries) {
    if (entry.variant === name && (entry.section ?? null) === (scope || null)) {
      const run = { ...document };
      delete run.variantTimelines;
      for (const [key, value] of Object.entries(entry)) {
        if (key !== "variant" && key !== "section") run[key] = value;
      }
      if (!("sections" in entry)) delete run.sections;
      run.chosenVariants = [{ variant: name, section: scope || null }];
      return run;
    }
  }
  throw new Error(`no variant \`${variant}\` in this compiled routine`);
}

/** The variants a compiled routine offers, as `switched` takes them (`harder`, `e2/harder`). */
export function variantNames(document) {
  return (document.variantTimelines || []).map((e) => (e.section ? `${e.section}/` : "") + e.variant);
}

/** A compiled session as a routine-shaped document the engine plays (docs/json.md,
 * "Sessions"): every part's repeats, standing cues and handlers, ids prefixed with the
 * part (`2.r1`), each routine an exercise of the whole. */
export function playable(session) {
  const repeats = [];
  const standing = [];
  const sections = [];
  const routines = new Map();
  for (const part of session.parts || []) {
    if (part.kind !== "routine") continue;
    const index = Math.trunc(Number(part.index));
    const routine = part.routine;
    routines.set(index, routine);
    const prefix = `${index}.`;
    for (const r of routine.repeats || []) repeats.push({ ...r, id: prefix + r.id });
    for (const c of routine.standingCues || []) standing.push({ ...c, id: prefix + c.id });
    const own = new Map();
    for (const h of routine.safetyHandlers || []) own.set(h.signal, h);
    const title = (routine.metadata || {}).title ?? "";
    const inner = routine.sections || [];
    for (const section of inner.length ? inner : [null]) {
      const handlers = new Map(own);
      if (section !== null) for (const h of section.safetyHandlers) handlers.set(h.signal, h);
      sections.push({
        id: prefix + (section !== null ? section.id : "routine"),
        index: sections.length,
        title: section === null ? title : `${title}: ${section.title}`,
        safetyHandlers: [...handlers.values()].map((h) => prefixedHandler(h, prefix)),
      });
    }
  }
  const timeline = [];
  for (const entry of session.timeline || []) {
    const part = Math.trunc(Number(entry.part ?? 0));
    let flat;
    if (routines.has(part)) {
      const prefix = `${part}.`;
      flat = prefixedEntry(entry, prefix);
      flat.section = prefix + String(entry.section ?? "routine");
    } else {
      flat = { ...entry };
      delete flat.section;
    }
    timeline.push(flat);
  }
  return {
    schemaVersion: session.schemaVersion ?? null,
    kind: "session",
    metadata: { ...(session.metadata || {}), sides: { mode: "none", first: null } },
    repeats,
    standingCues: standing,
    safetyHandlers: [],
    sections,
    timeline,
    summary: session.summary ?? null,
  };
}

function prefixedEntry(entry, prefix) {
  const flat = { ...entry };
  flat.passes = (entry.passes || []).map((p) => ({ ...p, repeat: prefix + p.repeat }));
  flat.standingCues = (entry.standingCues || []).map((c) => prefix + c);
  if (entry.stepId !== null && entry.stepId !== undefined) flat.stepId = prefix + entry.stepId;
  return flat;
}

function prefixedHandler(handler, prefix) {
  return { ...handler, id: prefix + handler.id,
    timeline: (handler.timeline || []).map((e) => prefixedEntry(e, prefix)) };
}
