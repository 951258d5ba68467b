// Tokenizes routines with the TextMate grammar, as VS Code does, and fails if any
// character other than white space gets only the fallback scope `source.stretch`
// (a word or sign the grammar does not know).
//
//   node test/grammar.test.js [FILE...]     (default: every routine in ../../examples)
//   node test/grammar.test.js --scopes FILE  (each token and its innermost scope, one a
//                                             line: what a test compares a form against)
//
// Needs the dev dependencies: `npm ci` in editors/vscode.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const HERE = __dirname;
const GRAMMAR = path.join(HERE, "..", "syntaxes", "stretch.tmLanguage.json");
const EXAMPLES = path.join(HERE, "..", "..", "..", "examples");
const FALLBACK = "source.stretch";

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      if (scopeName !== FALLBACK) return null;
      const text = fs.readFileSync(GRAMMAR, "utf8");
      return vsctm.parseRawGrammar(text, GRAMMAR);
    },
  });
  return registry.loadGrammar(FALLBACK);
}

// Every token with text other than white space: its line and column (1-based), its text
// and its scopes, in order.
function tokens(grammar, file) {
  const found = [];
  const lines = fs.readFileSync(file, "utf8").split(/\r\n|\r|\n/);
  let state = vsctm.INITIAL;
  lines.forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const text = line.slice(token.startIndex, token.endIndex);
      if (text.trim() === "") continue;
      const column = token.startIndex + text.search(/\S/) + 1;
      found.push({ line: index + 1, column, text: text.trim(), scopes: token.scopes });
    }
    state = result.ruleStack;
  });
  return found;
}

// Every run of non-space characters that has only the fallback scope, as file:line:col.
function unscoped(grammar, file) {
  return tokens(grammar, file)
    .filter((t) => t.scopes.length === 1 && t.scopes[0] === FALLBACK)
    .map((t) => `${file}:${t.line}:${t.column}: no scope for ${JSON.stringify(t.text)}`);
}

// Every token with text other than white space, as line:col, its text and its innermost scope.
function scoped(grammar, file) {
  return tokens(grammar, file).map(
    (t) => `${t.line}:${t.column} ${JSON.stringify(t.text)} ${t.scopes[t.scopes.length - 1]}`);
}

async function main() {
  let files = process.argv.slice(2);
  if (files[0] === "--scopes") {
    const grammar = await loadGrammar();
    for (const file of files.slice(1)) scoped(grammar, file).forEach((t) => console.log(t));
    return;
  }
  if (files.length === 0) {
    files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".stretch")).sort()
      .map((f) => path.join(EXAMPLES, f));
  }
  const grammar = await loadGrammar();
  const problems = files.flatMap((file) => unscoped(grammar, file));
  for (const problem of problems) console.log(problem);
  console.log(`${files.length} file${files.length === 1 ? "" : "s"} tokenized: ` +
    `${problems.length} unscoped token${problems.length === 1 ? "" : "s"}`);
  process.exitCode = problems.length ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
