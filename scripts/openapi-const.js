#!/usr/bin/env node
/*
 * Turns each plugin's src/schema/openapi.yaml into src/schema/openapi.generated.ts,
 * the spec as a `const` that createValidatedOpenApiRouter types the router from.
 * (`backstage-repo-tools package schema openapi generate` does the same but needs
 * a Java generator downloaded from outside the npm registry.)
 *
 * It also writes the frontend's API types from the backend's spec with
 * openapi-typescript (offline): plugins/release-frontend/src/api/openapi.generated.ts.
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

/** Writes a generated file, or in --check mode counts it as stale. */
function emit(target, out) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  if (current === out) return;
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
  emit(path.join(schemaDir, 'openapi.generated.ts'), out);
}

/** The frontend client's types, generated from the backend's spec. */
const CLIENT_TYPES = [
  {
    spec: 'plugins/release-backend/src/schema/openapi.yaml',
    target: 'plugins/release-frontend/src/api/openapi.generated.ts',
  },
];

async function clientTypes() {
  const { default: openapiTS, astToString } = require('openapi-typescript');
  for (const { spec, target } of CLIENT_TYPES) {
    const document = YAML.parse(fs.readFileSync(path.join(root, spec), 'utf8'));
    const ast = await openapiTS(document, {
      alphabetize: false,
      exportType: false,
    });
    const out = [
      '// ******************************************************************',
      '// * THIS IS A GENERATED FILE. DO NOT EDIT IT DIRECTLY.              *',
      `// * Source: ${spec}`,
      '// * Run `yarn openapi:generate` (openapi-typescript) to update it.  *',
      '// ******************************************************************',
      '/* eslint-disable */',
      '',
      // Public API of the client package (its API report names it); the
      // JSDoc tags TSDoc does not know (@description, @enum) become text.
      astToString(ast)
        .replace(/^\s*\/\*\* @enum \{\w+\} \*\/\n/gm, '')
        .replace(/^(\s*)\* @enum \{\w+\}\n/gm, '')
        .replace(/@description /g, '')
        .replace(
          /^export interface components \{/m,
          [
            '/**',
            ' * The components of the release API, generated from its OpenAPI spec.',
            ' *',
            ' * @public',
            ' */',
            'export interface components {',
          ].join('\n'),
        ),
    ].join('\n');
    emit(path.join(root, target), out);
  }
}

clientTypes().then(
  () => process.exit(stale ? 1 : 0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
