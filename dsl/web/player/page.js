// The player page: shows and says what the engine (engine.js) does as the time passes.
// The page reads the compiled routine from the <script id="stretch-routine"> element and
// the embedded pictures from <script id="stretch-pictures">; it fetches nothing. The engine
// decides everything (the same events as the terminal player); this file only turns its
// events into the screen, the voice and the beeps, and the buttons and keys into inputs.

import { Engine, playable, switched, variantNames } from "./engine.js";

const $ = (id) => document.getElementById(id);
const compiled = JSON.parse($("stretch-routine").textContent);
const pictures = JSON.parse($("stretch-pictures").textContent);
const REMOTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

let documentPlayed = null; // the document as played: a session made playable, a variant chosen
let engine = null;
let started = false;
let origin = 0; // performance.now() at Play: session time counts from there
let timer = null;
let lengths = []; // each routine entry's length as played (0 when untimed)
let after = []; // after[i]: the seconds of the routine entries after entry i
let shownEntry = undefined; // the entry the screen shows (re-drawn when it changes)
let audio = null;
let wakeLock = null;

// What happened (the event log) and a way in for inputs that have no button (cramp,
// dizziness, numbness): for the curious, for a page that embeds this one, and for tests.
const player = { events: [], lines: [], input: (name) => input(name) };
window.stretchPlayer = player;

// --- the document ---------------------------------------------------------------------

function prepare(variant) {
  let chosen = compiled.kind === "session" ? playable(compiled) : compiled;
  if (variant) chosen = switched(chosen, variant);
  documentPlayed = chosen;
  engine = new Engine(chosen);
  player.engine = engine;
  lengths = chosen.timeline.map((entry) => (entry.duration ? Number(entry.duration.max) : 0));
  after = new Array(lengths.length + 1).fill(0);
  for (let i = lengths.length - 1; i >= 0; i--) after[i] = after[i + 1] + lengths[i];
  showNext(chosen.timeline[0]);
  $("bar").value = 0;
  $("left").textContent = `${clockText(after[0])} in all`;
}

function setUp() {
  const variants = compiled.kind === "session" ? [] : variantNames(compiled);
  if (variants.length) {
    for (const name of variants) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = name;
      $("variant").append(option);
    }
    $("variant-choice").hidden = false;
    $("variant").addEventListener("change", () => { if (!started) prepare($("variant").value); });
  }
  // Parameters: their values are fixed in this document (the coach chose them).
  const parameters = compiled.parameters || [];
  if (parameters.length) {
    for (const parameter of parameters) {
      const term = document.createElement("dt");
      term.textContent = parameter.text || parameter.name;
      const value = document.createElement("dd");
      value.textContent = `${parameter.value}${parameter.unit ? " " + parameter.unit : ""}`;
      value.dataset.parameter = parameter.name;
      $("parameters").append(term, value);
    }
    $("parameters").hidden = false;
  }
  prepare("");
}

// --- the clock --------------------------------------------------------------------------

// The engine's clock follows the page's: session time is the time since Play, pauses
// included, as in the event log.
function tick() {
  if (!started || engine.ended) return;
  const now = (performance.now() - origin) / 1000;
  if (now > engine.now) handle(engine.advance(now - engine.now));
  draw();
}

function input(name) {
  if (!started) {
    if (name === "toggle" || name === "resume") start();
    return;
  }
  if (engine.ended) return;
  tick(); // the input applies at this moment, after what was due before it
  if (["skip", "back", "quit", "pain", "cramp", "dizziness", "numbness"].includes(name)) {
    hush(); // the words of the step left behind are not said any more
  }
  const wasPaused = engine.paused;
  handle(engine.press(name));
  if (wasPaused && !engine.paused) keepAwake();
  draw();
}

function start() {
  started = true;
  $("variant").disabled = true;
  document.body.classList.add("playing");
  origin = performance.now();
  beep("none"); // a user's gesture: the audio can start now
  keepAwake();
  handle(engine.start());
  timer = setInterval(tick, 100);
  draw();
}

// --- events -----------------------------------------------------------------------------

function handle(events) {
  for (const event of events) {
    player.events.push(event);
    player.lines.push(event.line());
    switch (event.name) {
      case "say": speak(event.get("text")); break;
      case "sound": beep(event.get("kind")); break;
      case "cue": $("cue").textContent = event.get("text") || ""; break;
      case "exercise": $("exercise").textContent = event.get("title") || ""; break;
      case "step": case "handler-step": case "back": $("cue").textContent = ""; break;
      case "handler": $("exercise").textContent = event.get("text") || "Stop and ease off"; break;
      case "continue": $("exercise").textContent = engine.section ? engine.section.title : ""; break;
      case "end": finish(event.get("reason")); break;
      default: break;
    }
  }
}

function finish(reason) {
  clearInterval(timer);
  document.body.classList.add("ended");
  if (wakeLock) wakeLock.release().catch(() => {});
  wakeLock = null;
  const said = {
    done: "Well done: that is the end.",
    quit: "Ended.",
  };
  $("step").textContent = said[reason] || `Stopped (${reason}). Rest, and ask your therapist before going on.`;
}

// --- what is shown ----------------------------------------------------------------------

function draw() {
  document.body.classList.toggle("paused", engine.paused);
  document.body.classList.toggle("waiting", engine.waiting);
  if (engine.ended) {
    $("countdown").textContent = "";
    $("bar").value = 1;
    $("left").textContent = engine.endReason === "done" ? "Done" : "";
    for (const id of ["side", "pass", "kind", "standing", "next-step"]) $(id).textContent = "";
    return;
  }
  const entry = engine.entry;
  if (entry !== shownEntry) {
    shownEntry = entry;
    showEntry(entry);
  }
  if (entry !== null && engine.stepLength !== null) {
    $("countdown").textContent = String(Math.max(Math.ceil(engine.stepLength - engine.stepElapsed - 1e-6), 0));
  } else {
    $("countdown").textContent = engine.prompting ? "" : "Go on when ready";
  }
  // The total: the routine's entries after the one in progress, and what is left of it.
  const routine = engine.routine;
  const index = Math.max(routine.index, 0);
  let left = after[Math.min(index + 1, after.length - 1)];
  if (engine.track === routine && entry !== null && engine.stepLength !== null) {
    left += Math.max(engine.stepLength - engine.stepElapsed, 0);
  }
  const total = after[0];
  $("bar").value = total > 0 ? Math.min(Math.max((total - left) / total, 0), 1) : 0;
  $("left").textContent = `${clockText(left)} left${engine.paused ? " (paused)" : ""}`;
}

function showEntry(entry) {
  if (entry === null) { // the prompt after a safety handler
    $("side").textContent = "";
    $("pass").textContent = "";
    $("kind").textContent = "";
    $("step").textContent = "Go on when you are ready, or press End.";
    $("standing").textContent = "";
    $("pictures").replaceChildren();
    showNext(engine.routine.timeline[engine.routine.index + 1]);
    return;
  }
  $("side").textContent = entry.sideLabel || "";
  $("pass").textContent = passText(entry, engine.track.timeline);
  const reps = entry.reps ? ` · ${entry.reps.min === entry.reps.max ? entry.reps.max : `${entry.reps.min}–${entry.reps.max}`} times` : "";
  $("kind").textContent = entry.kind + reps;
  const text = engine.words(entry.text, entry);
  $("step").textContent = text || (entry.kind === "switch" ? "Change sides" : sentence(entry.kind));
  showPictures(entry);
  // The standing cues in force (a posture block), their side words those of this entry.
  const blocks = new Map((documentPlayed.standingCues || []).map((block) => [block.id, block]));
  $("standing").textContent = (entry.standingCues || []).flatMap((id) =>
    ((blocks.get(id) || {}).cues || []).map((cue) => engine.standing(cue.text, entry))).join(" · ");
  const next = engine.track.timeline[engine.track.index + 1];
  showNext(next === undefined && engine.track !== engine.routine
    ? engine.routine.timeline[engine.routine.index + 1] : next);
}

function showNext(entry) {
  if (entry === undefined || entry === null) {
    $("next-step").textContent = "the end";
    return;
  }
  const text = engine ? engine.words(entry.text, entry) : entry.text;
  const length = entry.duration ? ` (${clockText(Number(entry.duration.max))})` : "";
  $("next-step").textContent = (text || (entry.kind === "switch" ? "Change sides" : sentence(entry.kind))) + length;
}

/** "Round 2 of 3" for the innermost repeat the entry is in. */
function passText(entry, timeline) {
  const passes = entry.passes || [];
  if (!passes.length) return "";
  const inner = passes[passes.length - 1];
  const outer = JSON.stringify(passes.slice(0, -1));
  let most = 0;
  for (const other of timeline) {
    const theirs = other.passes || [];
    if (theirs.length >= passes.length && theirs[passes.length - 1].repeat === inner.repeat &&
        JSON.stringify(theirs.slice(0, passes.length - 1)) === outer) {
      most = Math.max(most, Number(theirs[passes.length - 1].pass));
    }
  }
  return `Round ${inner.pass} of ${most}`;
}

function showPictures(entry) {
  // The step's own pictures, else its exercise's, else the routine's.
  const section = (documentPlayed.sections || []).find((s) => s.id === entry.section);
  const lists = [entry.media, section && section.metadata && section.metadata.media,
    documentPlayed.metadata && documentPlayed.metadata.media];
  const media = (lists.find((list) => list && list.length) || []).filter((m) => m.kind === "image");
  const shown = media.map((item) => picture(item, entry));
  $("pictures").replaceChildren(...shown);
}

function picture(item, entry) {
  const figure = document.createElement("figure");
  const caption = document.createElement("figcaption");
  caption.textContent = engine.words(item.caption || "", entry) || "";
  const key = entry.part !== undefined && compiled.kind === "session" ? `${entry.part}:${item.source}` : item.source;
  const data = pictures[key] || (item.source.startsWith("data:") ? item.source : null);
  if (data) {
    const image = document.createElement("img");
    image.src = data;
    image.alt = caption.textContent;
    figure.append(image, caption);
  } else if (REMOTE.test(item.source)) { // left as a link: the page itself fetches nothing
    const link = document.createElement("a");
    link.href = item.source;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    link.textContent = `Picture: ${caption.textContent || item.source} (opens on the web)`;
    figure.append(link);
  } else {
    figure.append(caption);
  }
  return figure;
}

function sentence(word) {
  return word ? word[0].toUpperCase() + word.slice(1) : "";
}

function clockText(seconds) {
  const whole = Math.max(Math.round(seconds), 0);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

// --- voice, beeps, the screen kept awake ------------------------------------------------

function speak(text) {
  if (!text || !("speechSynthesis" in window)) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = document.documentElement.lang || "en";
  window.speechSynthesis.speak(utterance); // queued: never cuts the words before it
}

function hush() {
  if ("speechSynthesis" in window) window.speechSynthesis.cancel();
}

const PITCH = { start: 660, switch: 880, halfway: 550, lastSeconds: 440, end: 990 };

function beep(kind) {
  try {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = audio || new Context();
    if (kind === "none") return;
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = PITCH[kind] || 600;
    const length = kind === "end" ? 0.6 : 0.15;
    volume.gain.setValueAtTime(0.2, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + length);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + length);
  } catch (error) {
    // No sound on this device: the words and the screen still guide.
  }
}

async function keepAwake() {
  if (!("wakeLock" in navigator)) return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
  } catch (error) {
    wakeLock = null; // refused (low battery, a hidden page): the routine plays on
  }
}

// The browser lets the lock go when the page is hidden: ask again when it is back.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && started && !engine.ended) keepAwake();
});

// --- buttons and keys -------------------------------------------------------------------

$("play").addEventListener("click", () => input(started ? "resume" : "toggle"));
$("pause").addEventListener("click", () => input("pause"));
$("back").addEventListener("click", () => input("back"));
$("skip").addEventListener("click", () => input("skip"));
$("ready").addEventListener("click", () => input("ready"));
$("stop").addEventListener("click", () => input("stop"));
$("pain").addEventListener("click", () => input("pain"));
$("quit").addEventListener("click", () => input("quit"));

const KEYS = {
  " ": "toggle", ArrowRight: "skip", n: "skip", ArrowLeft: "back", b: "back",
  Enter: "ready", s: "stop", p: "pain", q: "quit",
};

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target instanceof Element ? event.target : null;
  // A choice being made keeps its keys; Enter on a button presses that button.
  if (target && target.closest("select, input, textarea")) return;
  if (event.key === "Enter" && target && target.closest("button, a")) return;
  const name = KEYS[event.key];
  if (name === undefined) return;
  event.preventDefault(); // Space pauses even on a focused button (and does not press it)
  input(name);
});
document.addEventListener("keyup", (event) => {
  if (event.key === " " && event.target instanceof Element && event.target.closest("button")) {
    event.preventDefault();
  }
});

setUp();
