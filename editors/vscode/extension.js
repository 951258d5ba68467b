// VS Code client for the stretch language server: starts `stretch lsp` (or the command
// in the `stretch.server.command` setting) and connects it to .stretch documents.
// Plain JavaScript, no build step.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const configured = vscode.workspace.getConfiguration("stretch").get("server.command");
  const [command, ...args] = Array.isArray(configured) && configured.length
    ? configured
    : ["stretch", "lsp"];
  return { command, args, transport: TransportKind.stdio };
}

async function start() {
  const options = serverOptions();
  client = new LanguageClient(
    "stretch",
    "Stretch",
    options,
    {
      documentSelector: [
        { scheme: "file", language: "stretch" },
        { scheme: "untitled", language: "stretch" },
      ],
    },
  );
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `Could not start the stretch language server (${options.command}): ${error.message}. ` +
      "Install it with `pip install 'stretch-dsl[lsp]'`, or set `stretch.server.command`.",
    );
  }
}

async function restart() {
  if (client) {
    await client.stop();
    client = undefined;
  }
  await start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("stretch.restartServer", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("stretch.server.command")) restart();
    }),
  );
  await start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
