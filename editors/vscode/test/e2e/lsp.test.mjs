// End-to-end test of xlic-lsp over stdio, as the extension's client talks to it.
// Needs ../../target/debug/xlic-lsp (cargo build -p xlic-lsp), or XLIC_LSP=path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import * as rpc from "vscode-jsonrpc/node.js";
import * as proto from "vscode-languageserver-protocol";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../../..");
const server = process.env.XLIC_LSP ?? path.join(root, "target/debug/xlic-lsp");
const examplePath = path.join(root, "examples/acme_globex.xlic");
const uri = pathToFileURL(examplePath).href;
const text = readFileSync(examplePath, "utf8");
const lines = text.split("\n");

let proc;
let conn;
let diagnostics; // promise of the first publishDiagnostics for uri

/** Position of `needle` (its first character, plus `delta`) on the first line containing `lineNeedle`. */
function positionOf(lineNeedle, needle, delta = 0) {
  const line = lines.findIndex((l) => l.includes(lineNeedle));
  assert.ok(line >= 0, `no line contains ${lineNeedle}`);
  const character = lines[line].indexOf(needle, lines[line].indexOf(lineNeedle)) + delta;
  return { line, character };
}

before(async () => {
  assert.ok(existsSync(server), `${server} is missing: run cargo build -p xlic-lsp`);
  proc = spawn(server, ["--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  conn = rpc.createMessageConnection(
    new rpc.StreamMessageReader(proc.stdout),
    new rpc.StreamMessageWriter(proc.stdin),
  );
  diagnostics = new Promise((resolve) => {
    conn.onNotification(proto.PublishDiagnosticsNotification.type, (params) => {
      if (params.uri === uri) resolve(params.diagnostics);
    });
  });
  conn.listen();
  const init = await conn.sendRequest(proto.InitializeRequest.type, {
    processId: process.pid,
    // The examples folder as the workspace: the server compiles every *.xlic of the
    // workspace together, and the repository's test fixtures (which share patent
    // numbers with the examples on purpose) would meet the example in the ledger.
    rootUri: pathToFileURL(root + "/examples").href,
    workspaceFolders: [{ uri: pathToFileURL(root + "/examples").href, name: "examples" }],
    capabilities: {
      textDocument: {
        hover: { contentFormat: ["markdown", "plaintext"] },
        completion: { completionItem: { snippetSupport: true } },
        publishDiagnostics: { relatedInformation: true },
      },
    },
  });
  assert.ok(init.capabilities.hoverProvider, "server announces hover");
  assert.ok(init.capabilities.completionProvider, "server announces completion");
  await conn.sendNotification(proto.InitializedNotification.type, {});
  await conn.sendNotification(proto.DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: "xlic", version: 1, text },
  });
});

after(async () => {
  if (conn) {
    await conn.sendRequest(proto.ShutdownRequest.type);
    await conn.sendNotification(proto.ExitNotification.type);
    conn.dispose();
  }
  if (proc && proc.exitCode === null) {
    await new Promise((resolve) => {
      const timer = setTimeout(() => { proc.kill(); resolve(); }, 3000);
      proc.on("exit", () => { clearTimeout(timer); resolve(); });
    });
  }
});

test("examples/acme_globex.xlic has no diagnostics", async () => {
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error("no publishDiagnostics within 10 s")), 10000).unref());
  const diags = await Promise.race([diagnostics, timeout]);
  assert.deepEqual(diags.map((d) => `${d.code}: ${d.message}`), []);
});

test("hover on a grant name is non-empty", async () => {
  const hover = await conn.sendRequest(proto.HoverRequest.type, {
    textDocument: { uri },
    position: positionOf("grant acme_to_globex", "acme_to_globex", 2),
  });
  assert.ok(hover, "hover result");
  const contents = hover.contents;
  const value = typeof contents === "string" ? contents
    : Array.isArray(contents) ? contents.map((c) => (typeof c === "string" ? c : c.value)).join("\n")
    : contents.value;
  assert.ok(value.trim().length > 0, "hover text is non-empty");
});

test("completion after `-> ` offers the party globex", async () => {
  const result = await conn.sendRequest(proto.CompletionRequest.type, {
    textDocument: { uri },
    position: positionOf("grant acme_to_globex", "-> ", 3),
  });
  const items = Array.isArray(result) ? result : result?.items ?? [];
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes("globex"), `labels: ${labels.join(", ")}`);
});
