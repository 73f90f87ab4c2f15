// Validate DOCX files with Microsoft's Open XML SDK (npm @ooxml-tools/validate, run offline) for every Office
// version it knows, in one node process (the SDK's start-up takes seconds):
//     node tests/tools/ooxml_validate.mjs PACKAGE_DIR FILE.docx …
// PACKAGE_DIR: the installed package (…/node_modules/@ooxml-tools/validate). Prints JSON:
// {"versions": [...], "results": {file: {version: [error, …]}}}. Used by tests/test_ooxml_schema.py.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pkgDir, ...files] = process.argv.slice(2);
const pkg = JSON.parse(await readFile(path.join(pkgDir, "package.json"), "utf8"));
const mod = await import(pathToFileURL(path.join(pkgDir, pkg.main)).href);
const validate = mod.default;
const versions = [...mod.OFFICE_VERSIONS];
const results = {};
for (const file of files) {
  const data = new Uint8Array(await readFile(file));
  results[file] = {};
  for (const version of versions) {
    results[file][version] = await validate(data, "docx", version);
  }
}
process.stdout.write(JSON.stringify({ versions, results }));
