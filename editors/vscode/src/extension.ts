// align for VS Code: starts `align lsp` for workspaces that hold an `align.yaml`, gives the
// YAML extension align's JSON Schemas when it is installed, and opens the alignment map.
// All checking is align's own: this extension only connects VS Code to it.

import * as cp from "child_process";
import * as os from "os";
import * as path from "path";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import {
  DOCUMENT_SELECTOR,
  WATCHED_FILES,
  binaryPath,
  mapArguments,
  projectRootFor,
  schemaFor,
} from "./setup";

let client: LanguageClient | undefined;
let roots: string[] = [];
const schemaText = new Map<string, string>();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  roots = await findRoots();
  context.subscriptions.push(
    vscode.commands.registerCommand("align.showMap", () => showMap()),
    vscode.commands.registerCommand("align.restartServer", async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration("align.path")) {
        await stopClient();
        await startClient(context);
      }
    }),
  );
  const watcher = vscode.workspace.createFileSystemWatcher("**/align.yaml");
  const refresh = async () => {
    roots = await findRoots();
  };
  watcher.onDidCreate(refresh);
  watcher.onDidDelete(refresh);
  context.subscriptions.push(watcher);
  await startClient(context);
  await registerSchemas();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

/** The folders holding an `align.yaml`, outside dependencies and build output. */
async function findRoots(): Promise<string[]> {
  const found = await vscode.workspace.findFiles("**/align.yaml", "**/{node_modules,target,.git}/**");
  return found.map((u) => path.dirname(u.fsPath));
}

function binary(): string {
  return binaryPath(vscode.workspace.getConfiguration("align").get<string>("path"));
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  if (roots.length === 0) {
    return;
  }
  const command = binary();
  const serverOptions: ServerOptions = {
    run: { command, args: ["lsp"] },
    debug: { command, args: ["lsp"] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED_FILES),
    },
  };
  client = new LanguageClient("align", "align", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (e) {
    client = undefined;
    const choice = await vscode.window.showErrorMessage(
      `align could not start \`${command} lsp\`: ${String(e)}. Install align (cargo install --path .) or set "align.path".`,
      "Open settings",
    );
    if (choice === "Open settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "align.path");
    }
  }
  context.subscriptions.push({ dispose: () => void stopClient() });
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c !== undefined) {
    await c.stop();
  }
}

/** The JSON Schema `align schema KIND` prints, cached for the session. */
function schema(kind: string): string | undefined {
  const cached = schemaText.get(kind);
  if (cached !== undefined) {
    return cached;
  }
  const run = cp.spawnSync(binary(), ["schema", kind], { encoding: "utf8" });
  if (run.status !== 0 || typeof run.stdout !== "string") {
    return undefined;
  }
  schemaText.set(kind, run.stdout);
  return run.stdout;
}

interface YamlExtensionApi {
  registerContributor(
    name: string,
    requestSchema: (resource: string) => string | undefined,
    requestSchemaContent: (uri: string) => string | undefined,
  ): boolean;
}

/** Gives the YAML extension align's schemas for the files align reads. */
async function registerSchemas(): Promise<void> {
  if (!vscode.workspace.getConfiguration("align").get<boolean>("schemas.enable", true)) {
    return;
  }
  const yaml = vscode.extensions.getExtension<YamlExtensionApi>("redhat.vscode-yaml");
  if (yaml === undefined) {
    return;
  }
  const api = await yaml.activate();
  api.registerContributor(
    "align",
    (resource) => {
      const kind = schemaFor(vscode.Uri.parse(resource).fsPath, roots);
      return kind === undefined ? undefined : `align://schema/${kind}`;
    },
    (uri) => schema(vscode.Uri.parse(uri).path.replace(/^\//, "")),
  );
}

/** Runs `align map` for the project of the open file (or the first one) and opens the page. */
async function showMap(): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri.fsPath;
  const root = (active && projectRootFor(active, roots)) || roots[0];
  if (root === undefined) {
    await vscode.window.showWarningMessage("align: no align.yaml in this workspace, so there is no map to show.");
    return;
  }
  const out = path.join(os.tmpdir(), `align-map-${process.pid}.html`);
  const run = cp.spawnSync(binary(), mapArguments(out), { cwd: root, encoding: "utf8" });
  if (run.error !== undefined || run.status === 2) {
    await vscode.window.showErrorMessage(
      `align map failed: ${run.error?.message ?? run.stderr?.toString() ?? "unknown error"}`,
    );
    return;
  }
  await vscode.env.openExternal(vscode.Uri.file(out));
}
