// Where the `xlic-lsp` binary is: the setting `xlic.server.path` (absolute, `~/…`,
// `${workspaceFolder}/…`, or relative to a workspace folder), else the binary
// packaged inside a platform-specific extension (`server/xlic-lsp`), else `PATH`.
// No `vscode` import: the test suite runs this module in plain Node.

import * as fs from "node:fs";
import * as path from "node:path";

export const SERVER_NAME = "xlic-lsp";

/** What the extension knows when it looks for the server. */
export interface Environment {
  /** The setting as written ("" when unset). */
  setting: string;
  /** The workspace folders' paths, first one first. */
  folders: string[];
  /** Where the extension is installed. */
  extensionPath: string;
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}

/** The answer: the binary, or what was tried. */
export interface Resolved {
  /** The binary to run, when one was found. */
  path?: string;
  /** Where it came from. */
  source?: "setting" | "bundled" | "PATH";
  /** The places looked at, for the message when nothing was found. */
  tried: string[];
}

export function exe(name: string, platform: NodeJS.Platform): string {
  return platform === "win32" ? `${name}.exe` : name;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Expands `~` and `${workspaceFolder}`; `undefined` when a variable cannot be expanded. */
export function expand(setting: string, folders: string[], env: NodeJS.ProcessEnv): string | undefined {
  let out = setting.trim();
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    const home = env.HOME ?? env.USERPROFILE;
    if (!home) {
      return undefined;
    }
    out = path.join(home, out.slice(1));
  }
  if (out.includes("${workspaceFolder}")) {
    const folder = folders[0];
    if (!folder) {
      return undefined;
    }
    out = out.split("${workspaceFolder}").join(folder);
  }
  return out;
}

/**
 * The candidates a setting names: an absolute path as it is; a relative one against
 * every workspace folder, in order (`./target/debug/xlic-lsp` in a checkout).
 */
export function settingCandidates(setting: string, folders: string[], env: NodeJS.ProcessEnv): string[] {
  const expanded = expand(setting, folders, env);
  if (!expanded) {
    return [];
  }
  if (path.isAbsolute(expanded)) {
    return [expanded];
  }
  return folders.map((f) => path.resolve(f, expanded));
}

/** The binary packaged in a platform-specific .vsix, if this one has it. */
export function bundledPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, "server", exe(SERVER_NAME, platform));
}

/** Looks `name` up on PATH. */
export function which(name: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? "").split(path.delimiter).filter(Boolean);
  const exts = platform === "win32" ? (env.PATHEXT ?? ".EXE").split(";") : [""];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * Finds the server. A setting that names no file is an answer of its own (nothing
 * found, with what was tried): the user asked for that binary, and silently running
 * another one would hide the mistake.
 */
export function resolveServer(e: Environment): Resolved {
  if (e.setting.trim()) {
    const tried = settingCandidates(e.setting, e.folders, e.env);
    const found = tried.find(isFile);
    return found ? { path: found, source: "setting", tried } : { tried: tried.length ? tried : [e.setting] };
  }
  const bundled = bundledPath(e.extensionPath, e.platform);
  if (isFile(bundled)) {
    return { path: bundled, source: "bundled", tried: [bundled] };
  }
  const onPath = which(SERVER_NAME, e.env, e.platform);
  if (onPath) {
    return { path: onPath, source: "PATH", tried: [bundled, "PATH"] };
  }
  return { tried: [bundled, "PATH"] };
}

/**
 * The value to store in the setting for a binary the user located: relative to the
 * first workspace folder when it is inside it (so the setting works in every clone),
 * absolute otherwise.
 */
export function settingFor(located: string, folders: string[]): string {
  const folder = folders[0];
  if (folder) {
    const rel = path.relative(folder, located);
    if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) {
      return rel.split(path.sep).join("/");
    }
  }
  return located;
}
