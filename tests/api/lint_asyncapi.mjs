// Parses docs/api/asyncapi.yaml with @asyncapi/parser (schema validation
// plus the parser's built-in Spectral rules) and fails on any error or
// warning. Usage: node lint_asyncapi.mjs FILE
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node lint_asyncapi.mjs FILE');
  process.exit(2);
}
const parser = new Parser();
const { document, diagnostics } = await parser.parse(await readFile(file, 'utf8'), { source: file });
const serious = diagnostics.filter(
  (d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning);
for (const d of serious)
  console.error(`${file}:${(d.range?.start?.line ?? 0) + 1}: ${d.code}: ${d.message} (${d.path.join('.')})`);
if (!document || serious.length > 0) {
  console.error(`FAIL: ${serious.length} problem(s) in ${file}`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.operations().length} operations, ${document.messages().length} messages`);
