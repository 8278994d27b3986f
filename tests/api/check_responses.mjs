// Checks HTTP responses recorded by tests/integration/rest_api_test.cpp
// against docs/api/openapi.yaml: the path and method are documented, the
// status is one of the operation's responses, the Content-Type is one the
// response lists, and a JSON body validates against its schema (JSON Schema
// 2020-12, as OpenAPI 3.1 uses). Unknown paths may only answer 404.
//
// Usage: node check_responses.mjs OPENAPI.yaml RECORDS.json
// RECORDS.json: [{"method","target","status","content_type","body"}]
// Exit 0 when every record conforms; 1 with one line per problem.
import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const [specFile, recordsFile] = process.argv.slice(2);
if (!specFile || !recordsFile) {
  console.error('usage: node check_responses.mjs OPENAPI.yaml RECORDS.json');
  process.exit(2);
}
const spec = YAML.parse(await readFile(specFile, 'utf8'));
const records = JSON.parse(await readFile(recordsFile, 'utf8'));

const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, 'openapi');

const pointer = (parts) =>
  '#/' + parts.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

// Path templates -> regexes; `{path}` of /media/ spans slashes.
const templates = Object.keys(spec.paths).map((tpl) => {
  const re = tpl.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name) =>
    name === 'path' ? '.+' : '[^/]+');
  return { tpl, re: new RegExp(`^${re}$`) };
});

const resolve = (obj, parts) => {
  // Follows a local $ref; returns [object, its pointer parts].
  while (obj && obj.$ref) {
    parts = obj.$ref.replace(/^#\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    obj = parts.reduce((o, k) => o?.[k], spec);
  }
  return [obj, parts];
};

const problems = [];
let checked = 0;
for (const r of records) {
  const where = `${r.method} ${r.target} -> ${r.status}`;
  const path = r.target.split('?')[0];
  const match = templates.find((t) => t.re.test(path));
  if (!match) {
    if (r.status !== 404) problems.push(`${where}: path not in ${specFile}`);
    continue;
  }
  const method = r.method === 'HEAD' ? 'get' : r.method.toLowerCase();
  const op = spec.paths[match.tpl][method];
  if (!op) {
    if (r.status !== 405) problems.push(`${where}: ${method.toUpperCase()} ${match.tpl} not documented`);
    continue;
  }
  const [response, rparts] = resolve(op.responses[String(r.status)],
    ['paths', match.tpl, method, 'responses', String(r.status)]);
  if (!response) {
    problems.push(`${where}: status ${r.status} not documented for ${method.toUpperCase()} ${match.tpl}`);
    continue;
  }
  const type = (r.content_type || '').split(';')[0].trim().toLowerCase();
  if (!response.content) {
    checked++;
    continue;
  }
  if (!(type in response.content)) {
    problems.push(`${where}: Content-Type '${type}' not among ${Object.keys(response.content).join(', ')}`);
    continue;
  }
  if (type === 'application/json' && r.method !== 'HEAD') {
    let body;
    try {
      body = JSON.parse(r.body);
    } catch (e) {
      problems.push(`${where}: body is not JSON: ${e.message}`);
      continue;
    }
    const ref = 'openapi' + pointer([...rparts, 'content', type, 'schema']);
    const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    if (!validate(body))
      problems.push(`${where}: ${ajv.errorsText(validate.errors)}; body ${r.body.slice(0, 300)}`);
  }
  checked++;
}
for (const p of problems) console.error(p);
if (problems.length > 0) {
  console.error(`FAIL: ${problems.length} of ${records.length} response(s) do not match ${specFile}`);
  process.exit(1);
}
console.log(`${checked} of ${records.length} response(s) match ${specFile}`);
