// Writes docs/json/NAME.schema.json from the zod schemas of src/cli/json/schemas.ts, the one
// source of each command's --json; test/cli/json.test.ts fails when the files fall behind. Usage:
//   node scripts/json-schemas.mjs
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

await build({ entryPoints: ['src/cli/json/schemas.ts'], outfile: '.bench/json-schemas.mjs', bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
const { JSON_SCHEMAS, jsonSchemaOf } = await import(pathToFileURL('.bench/json-schemas.mjs').href);
mkdirSync('docs/json', { recursive: true });
for (const name of Object.keys(JSON_SCHEMAS)) writeFileSync(`docs/json/${name}.schema.json`, `${JSON.stringify(jsonSchemaOf(name), null, 2)}\n`);
process.stdout.write(`wrote ${Object.keys(JSON_SCHEMAS).map((n) => `docs/json/${n}.schema.json`).join(', ')}\n`);
