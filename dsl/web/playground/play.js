// Before playing: choose a variant and the parameters' values, then open the player page
// of the routine compiled with them (`stretch compile --variant ... --set ...`).
"use strict";

const path = new URLSearchParams(location.search).get("path");
const $ = (id) => document.getElementById(id);
const UNITS = { s: "s", count: " counts", breath: " breaths", rep: " reps" };

function say(message, problems = []) {
  $("status").textContent = message;
  const list = $("problems");
  list.replaceChildren();
  for (const d of problems) {
    const item = document.createElement("li");
    item.textContent = `${d.code} ${d.line}:${d.column} ${d.message}${d.hint ? ` (${d.hint})` : ""}`;
    list.append(item);
  }
}

function playerAddress() {
  const query = new URLSearchParams({ path });
  const variant = document.querySelector("input[name=variant]:checked");
  if (variant && variant.value) query.append("variant", variant.value);
  for (const input of document.querySelectorAll("input[data-parameter]")) {
    if (input.value !== input.dataset.default) {
      query.append("set", `${input.dataset.parameter}=${input.value}${input.dataset.unit}`);
    }
  }
  return `player?${query}`;
}

async function start(event) {
  event.preventDefault();
  const address = playerAddress();
  // Asked first, so that a value the routine cannot take is said here, not as a bare page.
  const response = await fetch(address);
  if (!response.ok) {
    const answer = await response.json().catch(() => ({}));
    say(answer.error || `the server answered ${response.status}`, answer.diagnostics || []);
    return;
  }
  location.href = address;
}

async function load() {
  const response = await fetch(`api/choices?path=${encodeURIComponent(path || "")}`);
  const answer = await response.json();
  if (!response.ok) {
    say(answer.error, answer.diagnostics || []);
    return;
  }
  $("title").textContent = answer.title;
  document.title = `Play ${answer.title}`;
  const variants = $("variant-choice");
  for (const variant of answer.variants) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "variant";
    input.value = variant.choice;
    label.append(input, ` ${variant.choice}${variant.text ? `: ${variant.text}` : ""}`);
    variants.append(label);
  }
  variants.hidden = answer.variants.length === 0;
  const values = $("parameter-choice");
  for (const parameter of answer.parameters) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "number";
    input.dataset.parameter = parameter.name;
    input.dataset.unit = UNITS[parameter.unit] ?? "";
    input.dataset.default = String(parameter.default);
    input.value = String(parameter.default);
    if (parameter.range) { input.min = parameter.range.min; input.max = parameter.range.max; }
    input.step = parameter.unit === null ? "1" : "any";
    const unit = parameter.unit === null ? "times" : (UNITS[parameter.unit] || "").trim();
    const allowed = parameter.range ? `${parameter.range.min}–${parameter.range.max} ` : "";
    label.append(`${parameter.text || parameter.name} (${parameter.name}: ${allowed}${unit}) `,
      input);
    values.append(label);
  }
  values.hidden = answer.parameters.length === 0;
  $("choices").hidden = false;
  $("choices").addEventListener("submit", start);
  document.body.dataset.ready = "true";
}

load().catch((problem) => say(problem.message));
