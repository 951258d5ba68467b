// The playground page: the editor (editor.js), the folder's files, the linter's problems
// while typing, formatting, saving and the timeline of the compiled routine. Everything
// is asked of the server (dsl/web/server.py), which runs the commands' own code.
"use strict";

const DELAY = 250; // ms of quiet typing before the text is checked again

const state = { path: null, version: null, saved: "", editor: null, asked: 0 };
const $ = (id) => document.getElementById(id);

async function call(url, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  let response;
  try {
    response = await fetch(url, options);
  } catch (problem) {
    throw new Error(`the server cannot be reached (${problem.message}); is stretch serve running?`);
  }
  let answer;
  try {
    answer = await response.json();
  } catch {
    throw new Error(`the server answered ${response.status} without JSON`);
  }
  if (!response.ok) {
    const failure = new Error(answer.error || `the server answered ${response.status}`);
    failure.answer = answer;
    throw failure;
  }
  return answer;
}

function say(message, isError = false) {
  const status = $("status");
  status.textContent = message;
  status.className = isError ? "error" : "";
}

function dirty() { return state.editor.text() !== state.saved; }

function showName() {
  $("file-name").textContent = (state.path || "untitled") + (dirty() ? " •" : "");
  const play = $("play");
  play.hidden = state.path === null;
  if (state.path !== null) play.href = `play?path=${encodeURIComponent(state.path)}`;
  for (const link of document.querySelectorAll("#files a")) {
    link.setAttribute("aria-current", String(link.dataset.path === state.path));
  }
}

// --- problems ------------------------------------------------------------------------

function showProblems(diagnostics) {
  state.editor.show(diagnostics);
  const list = $("problems");
  list.replaceChildren();
  for (const d of diagnostics) {
    const item = document.createElement("li");
    item.className = d.severity;
    item.tabIndex = 0;
    const code = document.createElement("span");
    code.className = "code";
    code.textContent = d.code;
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = `${d.line}:${d.column}`;
    const message = document.createElement("span");
    message.className = "message";
    message.textContent = d.message;
    item.append(code, where, message);
    if (d.hint) {
      const hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = d.hint;
      item.append(hint);
    }
    const go = () => state.editor.goTo(d.line, d.column);
    item.addEventListener("click", go);
    item.addEventListener("keydown", (event) => { if (event.key === "Enter") go(); });
    list.append(item);
  }
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  $("problem-count").textContent = diagnostics.length
    ? `(${diagnostics.length}${errors ? `, ${errors} error${errors > 1 ? "s" : ""}` : ""})` : "";
}

let timer = null;
function changed() {
  showName();
  clearTimeout(timer);
  timer = setTimeout(check, DELAY);
}

async function check() {
  const asked = ++state.asked;
  const text = state.editor.text();
  try {
    const answer = await call("api/lint", { path: state.path, text });
    if (asked !== state.asked) return; // the text changed meanwhile: a newer check is on its way
    showProblems(answer.diagnostics);
    if (!answer.diagnostics.some((d) => d.severity === "error")) await showTimeline(asked);
  } catch (problem) {
    if (asked === state.asked) say(problem.message, true);
  }
}

// --- the timeline ----------------------------------------------------------------------

function time(seconds) {
  const whole = Math.round(seconds * 10) / 10;
  const minutes = Math.floor(whole / 60);
  const rest = Math.round((whole - minutes * 60) * 10) / 10;
  if (!minutes) return `${rest}s`;
  return rest ? `${minutes}m${rest}s` : `${minutes}m`;
}

function range(span, show = time) {
  if (!span) return "";
  return span.min === span.max ? show(span.min) : `${show(span.min)}–${show(span.max)}`;
}

function amount(entry) {
  if (!entry.duration) return "until ready";
  const seconds = range(entry.duration);
  const original = entry.duration.original;
  if (original && original.unit !== "s") {
    const counted = range(original, (n) => String(n));
    return `${counted} ${original.unit}${original.max === 1 ? "" : "s"} (${seconds})`;
  }
  return seconds;
}

function table(caption, entries) {
  const made = document.createElement("table");
  const title = document.createElement("caption");
  title.textContent = caption;
  made.append(title);
  const head = made.createTHead().insertRow();
  for (const name of ["#", "start", "step", "side", "amount", "text"]) {
    const cell = document.createElement("th");
    cell.textContent = name;
    head.append(cell);
  }
  const body = made.createTBody();
  for (const entry of entries) {
    const row = body.insertRow();
    row.className = "step";
    const passes = entry.passes.map((p) => `pass ${p.pass}`).join(", ");
    const kind = entry.kind + (passes ? ` (${passes})` : "") + (entry.optional ? " (optional)" : "");
    for (const value of [entry.index + 1, range(entry.start), kind, entry.side || "",
      amount(entry), entry.text || ""]) {
      row.insertCell().textContent = value;
    }
  }
  return made;
}

function summary(document_) {
  const s = document_.summary;
  const line = document.createElement("p");
  line.className = "summary";
  line.textContent = `${document_.metadata.title}: ${range(s.duration)} in all, `
    + `${range(s.steps, String)} steps`;
  return line;
}

function renderTimeline(document_) {
  const view = $("timeline");
  view.replaceChildren();
  if (!document_) return;
  if (document_.kind === "programme") {
    const line = document.createElement("p");
    line.textContent = `${document_.metadata.title}: a programme; open one of its sessions `
      + "to see a timeline.";
    view.append(line);
    return;
  }
  view.append(summary(document_));
  const timeline = document_.timeline;
  if (document_.kind === "session") {
    document_.parts.forEach((part, index) => {
      const entries = timeline.filter((e) => e.part === index);
      const name = part.kind === "routine" ? part.routine.metadata.title : part.step.kind;
      view.append(table(`Part ${index + 1}: ${name}`, entries));
    });
  } else if (document_.sections) {
    for (const section of document_.sections) {
      const entries = timeline.slice(section.timeline.first,
        section.timeline.first + section.timeline.count);
      view.append(table(`Exercise ${section.index + 1}: ${section.title}`, entries));
    }
  } else {
    view.append(table("Steps", timeline));
  }
}

async function showTimeline(asked) {
  try {
    const answer = await call("api/timeline", { path: state.path, text: state.editor.text() });
    if (asked !== undefined && asked !== state.asked) return;
    renderTimeline(answer.document);
  } catch (problem) {
    say(problem.message, true);
  }
}

// --- files -------------------------------------------------------------------------------

async function listFiles() {
  const answer = await call("api/files");
  const list = $("files");
  list.replaceChildren();
  for (const path of answer.files) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `?file=${encodeURIComponent(path)}`;
    link.dataset.path = path;
    link.textContent = path;
    link.addEventListener("click", (event) => { event.preventDefault(); open(path); });
    item.append(link);
    list.append(item);
  }
  showName();
}

async function open(path) {
  if (dirty() && !window.confirm("Leave the unsaved changes?")) return;
  try {
    const answer = await call(`api/file?path=${encodeURIComponent(path)}`);
    state.path = answer.path;
    state.version = answer.version;
    state.saved = answer.text ?? "";
    state.editor.setText(state.saved);
    history.replaceState(null, "", `?file=${encodeURIComponent(path)}`);
    if (answer.text === null) {
      showProblems(answer.diagnostics);
      say(`${path} is not routine text: nothing to edit (saving replaces it)`, true);
    } else {
      say(`opened ${path}`);
      await check();
    }
    showName();
  } catch (problem) {
    say(problem.message, true);
  }
}

async function save() {
  if (state.path === null) {
    say("give the text a name first: type it under New file and press Create", true);
    $("new-name").focus();
    return;
  }
  const text = state.editor.text();
  try {
    const answer = await call("api/save", { path: state.path, text, version: state.version });
    state.version = answer.version;
    state.saved = text;
    say(`saved ${answer.path}`);
    showName();
    await listFiles();
  } catch (problem) {
    say(problem.message, true);
  }
}

async function format() {
  try {
    const answer = await call("api/format", { path: state.path, text: state.editor.text() });
    if (answer.formatted === null) {
      showProblems(answer.diagnostics);
      say("the text has errors: fix them, then format", true);
    } else if (answer.changed) {
      state.editor.setText(answer.formatted);
      say("formatted");
    } else {
      say("already formatted");
    }
  } catch (problem) {
    say(problem.message, true);
  }
}

function create(event) {
  event.preventDefault();
  let name = $("new-name").value.trim();
  if (!name) return;
  if (!name.endsWith(".stretch")) name += ".stretch";
  if (state.path !== null) {
    if (dirty()) { say(`save ${state.path} first`, true); return; }
    state.editor.setText("");
  }
  state.path = name;
  state.version = null; // a new file: saving creates it, never replaces one
  state.saved = "";
  $("new-name").value = "";
  say(`new file ${name}: save to create it`);
  showName();
  check();
}

async function start() {
  const words = await call("api/words");
  state.editor = StretchEditor.create($("editor"), {
    text: "", words, onChange: changed,
    keys: [
      { key: "Mod-s", preventDefault: true, run: () => { save(); return true; } },
      { key: "Shift-Alt-f", preventDefault: true, run: () => { format(); return true; } },
    ],
  });
  $("format").addEventListener("click", format);
  $("save").addEventListener("click", save);
  $("refresh-timeline").addEventListener("click", () => showTimeline());
  $("new-file").addEventListener("submit", create);
  window.addEventListener("beforeunload", (event) => { if (dirty()) event.preventDefault(); });
  await listFiles();
  const asked = new URLSearchParams(location.search).get("file");
  if (asked) await open(asked);
  else await check();
  document.body.dataset.ready = "true";
}

start().catch((problem) => say(problem.message, true));
