#!/usr/bin/env node
/*
 * Turns each plugin's src/schema/openapi.yaml into src/schema/openapi.generated.ts,
 * the spec as a `const` that createValidatedOpenApiRouter types the router from.
 * (`backstage-repo-tools package schema openapi generate` does the same but needs
 * a Java generator downloaded from outside the npm registry.)
 *
 *   node scripts/openapi-const.js          write the generated files
 *   node scripts/openapi-const.js --check  fail if a generated file is stale
 */
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;

for (const dir of fs.readdirSync(path.join(root, 'plugins'))) {
  const schemaDir = path.join(root, 'plugins', dir, 'src', 'schema');
  const yamlFile = path.join(schemaDir, 'openapi.yaml');
  if (!fs.existsSync(yamlFile)) continue;
  const spec = YAML.parse(fs.readFileSync(yamlFile, 'utf8'));
  const out = [
    '// ******************************************************************',
    '// * THIS IS A GENERATED FILE. DO NOT EDIT IT DIRECTLY.              *',
    '// * Source: openapi.yaml beside it; run `yarn openapi:generate`.    *',
    '// ******************************************************************',
    '/* eslint-disable */',
    '',
    `export const spec = ${JSON.stringify(spec, null, 2)} as const;`,
    '',
  ].join('\n');
  const target = path.join(schemaDir, 'openapi.generated.ts');
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current === out) continue;
  if (check) {
    console.error(
      `${path.relative(root, target)} is stale; run yarn openapi:generate`,
    );
    stale++;
  } else {
    fs.writeFileSync(target, out);
    console.log(`wrote ${path.relative(root, target)}`);
  }
}
process.exit(stale ? 1 : 0);
