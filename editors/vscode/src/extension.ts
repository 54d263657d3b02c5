// VS Code extension for `.xlic` agreements: starts the `xlic-lsp` language
// server over stdio and adds the prose preview and policy build commands,
// which run the `xlic` compiler.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { exe, resolveServer, Resolved, settingFor, which } from "./serverPath";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

const COMPILER_NAME = "xlic";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let previewPanel: vscode.WebviewPanel | undefined;
let extensionPath = "";

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function folders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

/** The server: the setting (relative paths against the workspace), the bundled binary, PATH. */
function serverPath(): Resolved & { setting: string } {
  const setting = vscode.workspace.getConfiguration("xlic").get<string>("server.path") ?? "";
  const found = resolveServer({
    setting,
    folders: folders(),
    extensionPath,
    platform: process.platform,
    env: process.env,
  });
  if (found.source === "bundled" && found.path) {
    ensureExecutable(found.path);
  }
  return { ...found, setting };
}

/** A binary unpacked from a .vsix may have lost its executable bit. */
function ensureExecutable(p: string): void {
  if (process.platform === "win32") {
    return;
  }
  try {
    const mode = fs.statSync(p).mode;
    if ((mode & 0o111) === 0) {
      fs.chmodSync(p, mode | 0o755);
    }
  } catch {
    // reported when starting it fails
  }
}

/** The `xlic` compiler: next to the server first, then on PATH. */
function compilerPath(): string | undefined {
  const server = serverPath().path;
  if (server) {
    const sibling = path.join(path.dirname(server), exe(COMPILER_NAME, process.platform));
    if (isFile(sibling)) {
      return sibling;
    }
  }
  return which(COMPILER_NAME, process.env, process.platform);
}

/** Lets the user pick the binary and stores it in the setting (relative when inside the workspace). */
async function locateServer(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    openLabel: "Use this xlic-lsp",
    title: "Locate the xlic-lsp language server",
  });
  const file = picked?.[0]?.fsPath;
  if (!file) {
    return;
  }
  const value = settingFor(file, folders());
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  // The configuration listener restarts the server.
  await vscode.workspace.getConfiguration("xlic").update("server.path", value, target);
}

async function reportMissingServer(setting: string, tried: string[]): Promise<void> {
  const message = setting
    ? `xlic: the language server was not found at "${setting}" (setting xlic.server.path; looked at ${tried.join(", ")}).`
    : "xlic: the language server `xlic-lsp` was not found (not bundled with this extension, not on PATH). " +
      "Build it with `cargo build --release -p xlic-lsp`, then locate it or put it on PATH.";
  const locate = "Locate xlic-lsp…";
  const configure = "Open Settings";
  const choice = await vscode.window.showErrorMessage(message, locate, configure);
  if (choice === locate) {
    await locateServer();
  } else if (choice === configure) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "xlic.server.path");
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const { path: command, setting, tried, source } = serverPath();
  if (!command) {
    void reportMissingServer(setting, tried);
    return;
  }
  output?.appendLine(`xlic: starting ${command} (${source})`);
  const serverOptions: ServerOptions = {
    run: { command, args: ["--stdio"], transport: TransportKind.stdio },
    debug: { command, args: ["--stdio"], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "xlic" },
      { scheme: "untitled", language: "xlic" },
    ],
    // No `synchronize.fileEvents`: the server registers its own `**/*.xlic` watcher
    // (dynamic registration), and a second one would report every change twice.
    outputChannel: output,
    traceOutputChannel: output,
  };
  client = new LanguageClient("xlic", "xlic", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    const choice = await vscode.window.showErrorMessage(
      `xlic: could not start the language server "${command}": ${String(err)}`,
      "Configure",
    );
    if (choice === "Configure") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "xlic.server.path");
    }
  }
  void context;
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    await c.stop();
  }
}

/** The `.xlic` file of the active editor (saved first), or undefined with a message. */
async function activeXlicFile(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document;
  if (!doc || doc.languageId !== "xlic") {
    void vscode.window.showWarningMessage("xlic: open an .xlic file first.");
    return undefined;
  }
  if (doc.isUntitled) {
    void vscode.window.showWarningMessage("xlic: save the file first.");
    return undefined;
  }
  if (doc.isDirty) {
    await doc.save();
  }
  return doc.uri.fsPath;
}

function runCompiler(args: string[], cwd: string): Promise<{ stdout: string; stderr: string; code: number }> {
  const compiler = compilerPath();
  if (!compiler) {
    return Promise.reject(
      new Error("the `xlic` compiler was not found next to xlic-lsp or on PATH"),
    );
  }
  output?.appendLine(`$ ${compiler} ${args.join(" ")}`);
  return new Promise((resolve) => {
    execFile(
      compiler,
      args,
      { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        if (stderr) {
          output?.appendLine(stderr);
        }
        resolve({ stdout, stderr, code });
      },
    );
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

async function showPreview(): Promise<void> {
  const file = await activeXlicFile();
  if (!file) {
    return;
  }
  let html: string;
  try {
    const result = await runCompiler(["build", file, "--emit", "html", "--stdout"], path.dirname(file));
    html =
      result.code === 0 && result.stdout
        ? result.stdout
        : `<html><body><h2>xlic build failed</h2><pre>${escapeHtml(result.stderr || result.stdout)}</pre></body></html>`;
  } catch (err) {
    void vscode.window.showErrorMessage(`xlic: ${(err as Error).message}`);
    return;
  }
  const title = `Preview ${path.basename(file)}`;
  if (!previewPanel) {
    previewPanel = vscode.window.createWebviewPanel("xlic.preview", title, vscode.ViewColumn.Beside, {
      enableScripts: false,
      localResourceRoots: [],
    });
    previewPanel.onDidDispose(() => {
      previewPanel = undefined;
    });
  }
  previewPanel.title = title;
  previewPanel.webview.html = html;
  previewPanel.reveal(vscode.ViewColumn.Beside, true);
}

async function buildPolicy(): Promise<void> {
  const file = await activeXlicFile();
  if (!file) {
    return;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.Uri.file(path.dirname(file)),
    openLabel: "Write policy.json here",
  });
  const dir = picked?.[0]?.fsPath;
  if (!dir) {
    return;
  }
  try {
    const result = await runCompiler(["build", file, "--emit", "json", "-o", dir], path.dirname(file));
    if (result.code === 0) {
      const target = path.join(dir, "policy.json");
      const open = "Open";
      const choice = await vscode.window.showInformationMessage(`xlic: wrote ${target}`, open);
      if (choice === open) {
        await vscode.window.showTextDocument(vscode.Uri.file(target));
      }
    } else {
      output?.show(true);
      void vscode.window.showErrorMessage("xlic: the build failed; see the xlic output for the diagnostics.");
    }
  } catch (err) {
    void vscode.window.showErrorMessage(`xlic: ${(err as Error).message}`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel("xlic");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("xlic.restartServer", async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.commands.registerCommand("xlic.locateServer", locateServer),
    vscode.commands.registerCommand("xlic.showPreview", showPreview),
    vscode.commands.registerCommand("xlic.buildPolicy", buildPolicy),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("xlic.server.path")) {
        await stopClient();
        await startClient(context);
      }
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
