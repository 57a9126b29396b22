// The extension's decisions, kept apart from the VS Code API so that they can be
// unit-tested with Node alone: which binary to run, which files align serves, and which
// JSON Schema a YAML file gets.

import * as path from "path";

/** The binary to start: the `align.path` setting when set, else `align` from the PATH. */
export function binaryPath(setting: string | undefined): string {
  const trimmed = (setting ?? "").trim();
  return trimmed === "" ? "align" : trimmed;
}

/** The files the language server is given: align's YAML, rule files and pages. */
export const DOCUMENT_SELECTOR = [
  { scheme: "file", language: "yaml" },
  { scheme: "file", language: "align" },
  { scheme: "file", language: "markdown" },
  { scheme: "file", language: "mdx" },
  { scheme: "file", language: "html" },
  { scheme: "file", pattern: "**/*.mdx" },
];

/** The files whose changes the server hears about, though no editor holds them open. */
export const WATCHED_FILES = "**/{*.yaml,*.yml,*.align,*.md,*.markdown,*.mdx,*.html,*.htm}";

/** Which of align's schemas describes a YAML file, if any. */
export type SchemaKind = "data" | "config";

/**
 * The schema for a YAML file of a workspace, or undefined when the file is not under a
 * folder holding `align.yaml` (align does not read it). `roots` are the folders that hold
 * an `align.yaml`, as absolute paths.
 */
export function schemaFor(file: string, roots: readonly string[]): SchemaKind | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext !== ".yaml" && ext !== ".yml") {
    return undefined;
  }
  const root = roots.find((r) => isInside(file, r));
  if (root === undefined) {
    return undefined;
  }
  return path.basename(file) === "align.yaml" ? "config" : "data";
}

/** Whether `file` is inside `folder` (or is it). */
export function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The arguments of `align map` for the "show map" command, writing the page to `out`. */
export function mapArguments(out: string): string[] {
  return ["map", "--format", "html", "-o", out];
}

/** The folder that holds `align.yaml` for a file: the nearest of `roots` containing it. */
export function projectRootFor(file: string, roots: readonly string[]): string | undefined {
  return roots
    .filter((r) => isInside(file, r))
    .sort((a, b) => b.length - a.length)[0];
}
