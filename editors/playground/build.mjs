// Rebuild the playground's editor bundle: `npm ci && npm run build` in this folder writes
// dsl/web/playground/editor.js (one minified script, committed; CI uses it as committed).
// The versions bundled are those of package-lock.json; the banner names them.
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";

const lock = JSON.parse(readFileSync(new URL("./package-lock.json", import.meta.url)));
const bundled = Object.entries(lock.packages)
  .filter(([path]) => path.startsWith("node_modules/") && !path.endsWith("esbuild")
    && !path.includes("@esbuild/"))
  .map(([path, info]) => `${path.slice("node_modules/".length)} ${info.version}`)
  .sort();
const esbuild = lock.packages["node_modules/esbuild"].version;
// Each bundled package's licence (all MIT), once each, at the end of the bundle.
const licences = new Map();
for (const [path] of Object.entries(lock.packages)) {
  if (!path.startsWith("node_modules/") || path.includes("esbuild")) continue;
  const file = new URL(`./${path}/LICENSE`, import.meta.url);
  if (!existsSync(file)) continue;
  const text = readFileSync(file, "utf8").trim();
  const names = licences.get(text) || [];
  names.push(path.slice("node_modules/".length));
  licences.set(text, names);
}
const footer = [...licences].map(([text, names]) => `/* ${names.join(", ")}:\n\n`
  + `${text.replaceAll("*/", "* /")}\n*/`).join("\n");

await build({
  entryPoints: [new URL("./editor.mjs", import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  legalComments: "eof",
  outfile: new URL("../../dsl/web/playground/editor.js", import.meta.url).pathname,
  footer: { js: footer },
  banner: {
    js: `/* The stretch playground's editor: CodeMirror 6 (MIT), bundled by esbuild ${esbuild}\n`
      + ` * from editors/playground (npm ci && npm run build). Bundled: ${bundled.join(", ")}. */`,
  },
});
