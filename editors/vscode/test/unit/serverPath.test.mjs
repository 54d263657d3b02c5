// Unit tests of src/serverPath.ts (bundled to test/unit/build/ by test.sh): how the
// extension finds xlic-lsp. Plain Node, no VS Code.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, realpathSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const require = createRequire(import.meta.url);
const sp = require("./build/serverPath.js");

// Every temporary tree is removed when the tests end.
const roots = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function tree() {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), "xlic-vscode-")));
  roots.push(root);
  const ws = path.join(root, "ws");
  const other = path.join(root, "other");
  const ext = path.join(root, "ext");
  const bin = path.join(root, "bin");
  for (const d of [path.join(ws, "target/debug"), path.join(other, "tools"), path.join(ext, "server"), bin]) {
    mkdirSync(d, { recursive: true });
  }
  const touch = (p) => (writeFileSync(p, ""), p);
  return {
    root, ws, other, ext, bin,
    wsBinary: touch(path.join(ws, "target/debug/xlic-lsp")),
    otherBinary: touch(path.join(other, "tools/xlic-lsp")),
    touch,
  };
}

const base = (t, setting, extra = {}) => ({
  setting,
  folders: [t.ws],
  extensionPath: t.ext,
  platform: "linux",
  env: { PATH: t.bin, HOME: t.root },
  ...extra,
});

test("a relative setting resolves against the workspace folder", () => {
  const t = tree();
  const r = sp.resolveServer(base(t, "./target/debug/xlic-lsp"));
  assert.equal(r.path, t.wsBinary);
  assert.equal(r.source, "setting");
  assert.equal(sp.resolveServer(base(t, "target/debug/xlic-lsp")).path, t.wsBinary);
});

test("a relative setting is tried in every workspace folder, in order", () => {
  const t = tree();
  const r = sp.resolveServer(base(t, "tools/xlic-lsp", { folders: [t.ws, t.other] }));
  assert.equal(r.path, t.otherBinary);
  assert.deepEqual(r.tried, [path.join(t.ws, "tools/xlic-lsp"), t.otherBinary]);
});

test("~ and ${workspaceFolder} are expanded; absolute paths are taken as they are", () => {
  const t = tree();
  assert.equal(sp.resolveServer(base(t, "~/ws/target/debug/xlic-lsp")).path, t.wsBinary);
  assert.equal(sp.resolveServer(base(t, "${workspaceFolder}/target/debug/xlic-lsp")).path, t.wsBinary);
  assert.equal(sp.resolveServer(base(t, t.otherBinary)).path, t.otherBinary);
});

test("a setting that names no file finds nothing, and says where it looked", () => {
  const t = tree();
  t.touch(path.join(t.ext, "server/xlic-lsp"));
  const r = sp.resolveServer(base(t, "nowhere/xlic-lsp"));
  assert.equal(r.path, undefined);
  assert.deepEqual(r.tried, [path.join(t.ws, "nowhere/xlic-lsp")]);
  // ${workspaceFolder} without a folder cannot be expanded.
  const r2 = sp.resolveServer(base(t, "${workspaceFolder}/x", { folders: [] }));
  assert.equal(r2.path, undefined);
});

test("without a setting: the bundled binary first, then PATH", () => {
  const t = tree();
  const onPath = t.touch(path.join(t.bin, "xlic-lsp"));
  assert.deepEqual(
    [sp.resolveServer(base(t, "")).path, sp.resolveServer(base(t, "")).source],
    [onPath, "PATH"],
  );
  const bundled = t.touch(path.join(t.ext, "server/xlic-lsp"));
  assert.deepEqual(
    [sp.resolveServer(base(t, "  ")).path, sp.resolveServer(base(t, "")).source],
    [bundled, "bundled"],
  );
  // Windows names the binary .exe.
  assert.equal(sp.bundledPath(t.ext, "win32"), path.join(t.ext, "server", "xlic-lsp.exe"));
});

test("nothing found at all", () => {
  const t = tree();
  const r = sp.resolveServer(base(t, ""));
  assert.equal(r.path, undefined);
  assert.deepEqual(r.tried, [path.join(t.ext, "server/xlic-lsp"), "PATH"]);
});

test("a located binary is stored relative to the workspace when inside it", () => {
  const t = tree();
  assert.equal(sp.settingFor(t.wsBinary, [t.ws]), "target/debug/xlic-lsp");
  assert.equal(sp.settingFor(t.otherBinary, [t.ws]), t.otherBinary);
  assert.equal(sp.settingFor(t.otherBinary, []), t.otherBinary);
});
