// VS Code extension for `.xlic` agreements: starts the `xlic-lsp` language
// server over stdio and adds the prose preview and policy build commands,
// which run the `xlic` compiler.

import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

const SERVER_NAME = "xlic-lsp";
const COMPILER_NAME = "xlic";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;
let previewPanel: vscode.WebviewPanel | undefined;

function exe(name: string): string {
  return process.platform === "win32" ? `${name}.exe` : name;
}

/** Expands `~` and `${workspaceFolder}` in a configured path. */
function expandPath(p: string): string {
  let out = p.trim();
  if (out.startsWith("~")) {
    out = path.join(process.env.HOME ?? process.env.USERPROFILE ?? "", out.slice(1));
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder) {
    out = out.replace(/\$\{workspaceFolder\}/g, folder);
  }
  return out;
}

/** Finds an executable on PATH, or undefined. */
function which(name: string): string | undefined {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        if (fs.statSync(candidate).isFile()) {
          return candidate;
        }
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The configured server path, else `xlic-lsp` on PATH. */
function serverPath(): { path?: string; configured: string } {
  const configured = expandPath(
    vscode.workspace.getConfiguration("xlic").get<string>("server.path") ?? "",
  );
  if (configured) {
    return { path: isFile(configured) ? configured : undefined, configured };
  }
  return { path: which(SERVER_NAME), configured };
}

/** The `xlic` compiler: next to the configured server first, then on PATH. */
function compilerPath(): string | undefined {
  const server = serverPath().path;
  if (server) {
    const sibling = path.join(path.dirname(server), exe(COMPILER_NAME));
    if (isFile(sibling)) {
      return sibling;
    }
  }
  return which(COMPILER_NAME);
}

async function reportMissingServer(configured: string): Promise<void> {
  const message = configured
    ? `xlic: the language server was not found at "${configured}" (setting xlic.server.path).`
    : "xlic: the language server `xlic-lsp` was not found on PATH. Build it with " +
      "`cargo build --release -p xlic-lsp` and set xlic.server.path, or put it on PATH.";
  const configure = "Configure";
  const choice = await vscode.window.showErrorMessage(message, configure);
  if (choice === configure) {
    await vscode.commands.executeCommand("workbench.action.openSettings", "xlic.server.path");
  }
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const { path: command, configured } = serverPath();
  if (!command) {
    void reportMissingServer(configured);
    return;
  }
  const serverOptions: ServerOptions = {
    run: { command, args: ["--stdio"], transport: TransportKind.stdio },
    debug: { command, args: ["--stdio"], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "xlic" },
      { scheme: "untitled", language: "xlic" },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.xlic"),
    },
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
  output = vscode.window.createOutputChannel("xlic");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("xlic.restartServer", async () => {
      await stopClient();
      await startClient(context);
    }),
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
