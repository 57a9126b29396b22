import { strict as assert } from "assert";
import { test } from "node:test";
import * as path from "path";
import {
  DOCUMENT_SELECTOR,
  WATCHED_FILES,
  binaryPath,
  isInside,
  mapArguments,
  projectRootFor,
  schemaFor,
} from "../src/setup";

const root = path.resolve("/home/me/site");

test("the binary comes from the setting, else the PATH", () => {
  assert.equal(binaryPath(undefined), "align");
  assert.equal(binaryPath("   "), "align");
  assert.equal(binaryPath(" /opt/align/bin/align "), "/opt/align/bin/align");
});

test("align.yaml gets the config schema, other YAML under the project the data schema", () => {
  assert.equal(schemaFor(path.join(root, "align.yaml"), [root]), "config");
  assert.equal(schemaFor(path.join(root, "gtm", "messages.yaml"), [root]), "data");
  assert.equal(schemaFor(path.join(root, "gtm", "messages.YML"), [root]), "data");
});

test("files outside a project, and files that are not YAML, get no schema", () => {
  assert.equal(schemaFor(path.resolve("/elsewhere/messages.yaml"), [root]), undefined);
  assert.equal(schemaFor(path.resolve("/home/me/site-other/m.yaml"), [root]), undefined);
  assert.equal(schemaFor(path.join(root, "index.md"), [root]), undefined);
});

test("a file belongs to the innermost project", () => {
  const inner = path.join(root, "brands", "b");
  assert.equal(projectRootFor(path.join(inner, "m.yaml"), [root, inner]), inner);
  assert.equal(projectRootFor(path.join(root, "m.yaml"), [root, inner]), root);
  assert.equal(projectRootFor(path.resolve("/tmp/m.yaml"), [root]), undefined);
  assert.ok(isInside(root, root));
  assert.ok(!isInside(path.resolve("/home/me/sitemap"), root));
});

test("the server sees YAML, rule files and pages", () => {
  const languages = DOCUMENT_SELECTOR.map((s) => s.language).filter(Boolean);
  for (const l of ["yaml", "align", "markdown", "html"]) {
    assert.ok(languages.includes(l), l);
  }
  for (const ext of ["yaml", "align", "md", "mdx", "html"]) {
    assert.ok(WATCHED_FILES.includes(`*.${ext}`), ext);
  }
});

test("show map writes the HTML page to the given file", () => {
  assert.deepEqual(mapArguments("/tmp/m.html"), ["map", "--format", "html", "-o", "/tmp/m.html"]);
});
