#!/usr/bin/env node
/*
 * Helpers of scripts/verify-install.sh (run from this repository, so they can
 * use its `yaml` package):
 *
 *   helpers.js packages                    the publishable plugins/* packages: "<dir>\t<name>\t<version>"
 *   helpers.js check-tarball <dir> <tgz>   checks what a packed tarball holds
 *   helpers.js snippet <file> <lang> <marker>
 *                                          prints the one fenced code block of a README
 *                                          in <lang> that contains <marker>
 *   helpers.js snippets <file> <lang> <marker>
 *                                          the same for every such block (at least one)
 *   helpers.js imports <README>...         the import statements of Release Manager
 *                                          packages in the READMEs' ts/tsx blocks
 *   helpers.js add-to-backend <index.ts> <README> <marker>
 *                                          adds the README's backend.add(...) statements
 *                                          that the backend does not have yet
 *   helpers.js annotate <entities.yaml> <kind> <name> <yaml snippet file>
 *                                          merges the snippet (metadata: annotations: …)
 *                                          into that entity of a catalog file
 *   helpers.js resolutions <package.json> <name>=<tgz>...
 *                                          points the app's `resolutions` at the tarballs
 */
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..', '..');

function fail(message) {
  process.stderr.write(`verify-install: ${message}\n`);
  process.exit(1);
}

/** Every plugins/* package that is not private: what gets published. */
function publishablePackages() {
  const dir = path.join(root, 'plugins');
  return fs
    .readdirSync(dir)
    .filter(d => fs.existsSync(path.join(dir, d, 'package.json')))
    .map(d => ({
      dir: path.join(dir, d),
      pkg: JSON.parse(
        fs.readFileSync(path.join(dir, d, 'package.json'), 'utf8'),
      ),
    }))
    .filter(({ pkg }) => !pkg.private)
    .sort((a, b) => a.pkg.name.localeCompare(b.pkg.name));
}

/** All string leaves of an `exports` / `typesVersions` value. */
function targets(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(targets);
  if (value && typeof value === 'object') {
    return Object.values(value).flatMap(targets);
  }
  return [];
}

function checkTarball(pkgDir, tarball) {
  const source = JSON.parse(
    fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'),
  );
  const files = new Set(
    execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(f => f.replace(/^package\//, '')),
  );
  const packed = JSON.parse(
    execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  const problems = [];
  const has = f => files.has(f.replace(/^\.\//, ''));

  if (!has('README.md')) problems.push('no README.md');
  for (const field of ['main', 'module', 'types']) {
    if (packed[field] && !has(packed[field])) {
      problems.push(`${field} points at ${packed[field]}, which is not packed`);
    }
  }
  if (!packed.main) problems.push('no main');
  if (!packed.types) problems.push('no types');
  if (/^src\//.test(packed.main ?? '') || /^src\//.test(packed.types ?? '')) {
    problems.push('main/types still point into src/');
  }
  // Condition values that are not paths (the `backstage` condition names the
  // export's kind) are skipped.
  for (const target of targets(packed.exports)) {
    if (!target.startsWith('./') || target.includes('*')) continue;
    if (!has(target)) problems.push(`exports target ${target} is not packed`);
    if (/\/src\//.test(target))
      problems.push(`exports target ${target} is in src/`);
  }
  for (const target of targets(packed.typesVersions)) {
    if (!has(target))
      problems.push(`typesVersions target ${target} is not packed`);
  }
  // Every subpath export of the source has its own types.
  for (const [subpath, value] of Object.entries(packed.exports ?? {})) {
    if (subpath === './package.json') continue;
    if (!(value && typeof value === 'object' && value.types)) {
      problems.push(`export ${subpath} has no types`);
    }
  }
  for (const [section, deps] of Object.entries({
    dependencies: packed.dependencies,
    peerDependencies: packed.peerDependencies,
    optionalDependencies: packed.optionalDependencies,
  })) {
    for (const [name, range] of Object.entries(deps ?? {})) {
      if (/^(workspace|link|portal|file):/.test(range)) {
        problems.push(`${section}.${name} is still ${range}`);
      }
    }
  }
  if (source.configSchema) {
    if (!packed.configSchema || !has(packed.configSchema)) {
      problems.push(`config schema (${source.configSchema}) is not packed`);
    }
  }
  if (fs.existsSync(path.join(pkgDir, 'migrations'))) {
    for (const m of fs.readdirSync(path.join(pkgDir, 'migrations'))) {
      if (/\.test\./.test(m)) continue;
      if (!has(`migrations/${m}`))
        problems.push(`migration ${m} is not packed`);
    }
  }
  if ([...files].some(f => /^src\//.test(f) || /\.test\.[jt]sx?$/.test(f))) {
    problems.push('sources or tests are packed');
  }
  if (problems.length) {
    fail(`${source.name}: ${problems.join('; ')}`);
  }
  process.stdout.write(
    `${source.name}@${packed.version}: ${files.size} files, main ${packed.main}, types ${packed.types}` +
      (packed.exports
        ? `, exports ${Object.keys(packed.exports).join(' ')}`
        : '') +
      (packed.configSchema ? `, config schema ${packed.configSchema}` : '') +
      (files.has('migrations/') ||
      [...files].some(f => f.startsWith('migrations/'))
        ? `, ${
            [...files].filter(f => /^migrations\/.+\.js$/.test(f)).length
          } migrations`
        : '') +
      '\n',
  );
}

function codeBlocks(file, langs) {
  const text = fs.readFileSync(file, 'utf8');
  const blocks = [];
  const re = /^```(\w*)[^\n]*\n([\s\S]*?)^```\s*$/gm;
  let m;
  while ((m = re.exec(text))) {
    if (langs.includes(m[1])) blocks.push(m[2]);
  }
  return blocks;
}

function snippet(file, lang, marker, all = false) {
  const blocks = codeBlocks(file, [lang]).filter(b => b.includes(marker));
  if (all && blocks.length > 0) {
    process.stdout.write(blocks.join('\n'));
    return;
  }
  if (blocks.length !== 1) {
    fail(
      `${path.relative(
        root,
        file,
      )}: expected one \`\`\`${lang} block containing "${marker}", found ${
        blocks.length
      }`,
    );
  }
  process.stdout.write(blocks[0]);
}

/** The import statements of the Release Manager packages in a README's code. */
function imports(files) {
  const seen = new Set();
  for (const file of files) {
    for (const block of codeBlocks(file, ['ts', 'tsx'])) {
      const re = /^import\s[^;]*?\sfrom\s+'@release-manager\/[^']+';/gm;
      let m;
      while ((m = re.exec(block))) {
        if (!seen.has(m[0])) {
          seen.add(m[0]);
          process.stdout.write(`${m[0]}\n`);
        }
      }
    }
  }
}

/**
 * Adds the `backend.add(import('…'))` statements of a README's ts block to a
 * backend's index.ts, before `backend.start()`, skipping packages the backend
 * adds already. Prints what it added.
 */
function addToBackend(indexFile, readme, marker) {
  const block = codeBlocks(readme, ['ts']).filter(b => b.includes(marker));
  if (block.length !== 1) {
    fail(`${readme}: expected one ts block containing "${marker}"`);
  }
  let index = fs.readFileSync(indexFile, 'utf8');
  if (!index.includes('\nbackend.start();'))
    fail(`${indexFile}: no backend.start()`);
  const statements = block[0].match(/^backend\.add\([\s\S]*?\);$/gm) ?? [];
  if (statements.length === 0) fail(`${readme}: no backend.add statement`);
  for (const statement of statements) {
    const pkg = /import\(\s*'([^']+)'\s*\)/.exec(statement)?.[1];
    if (!pkg) fail(`${readme}: cannot read the package of ${statement}`);
    if (index.includes(`import('${pkg}')`)) continue;
    index = index.replace(
      '\nbackend.start();',
      `\n${statement}\n\nbackend.start();`,
    );
    process.stdout.write(`${statement}\n`);
  }
  fs.writeFileSync(indexFile, index);
}

function annotate(file, kind, name, snippetFile) {
  const patch = YAML.parse(fs.readFileSync(snippetFile, 'utf8'));
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const doc = docs.find(
    d => d.get('kind') === kind && d.getIn(['metadata', 'name']) === name,
  );
  if (!doc) fail(`${file}: no ${kind} ${name}`);
  const merge = (at, value) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) merge([...at, k], v);
    } else {
      doc.setIn(at, value);
    }
  };
  merge([], patch);
  fs.writeFileSync(file, docs.map(d => d.toString()).join(''));
}

function resolutions(pkgFile, pairs) {
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  pkg.resolutions = pkg.resolutions ?? {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    pkg.resolutions[pair.slice(0, i)] = `file:${pair.slice(i + 1)}`;
  }
  fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'packages':
    for (const { dir, pkg } of publishablePackages()) {
      process.stdout.write(`${dir}\t${pkg.name}\t${pkg.version}\n`);
    }
    break;
  case 'check-tarball':
    checkTarball(args[0], args[1]);
    break;
  case 'snippet':
    snippet(args[0], args[1], args[2]);
    break;
  case 'snippets':
    snippet(args[0], args[1], args[2], true);
    break;
  case 'imports':
    imports(args);
    break;
  case 'add-to-backend':
    addToBackend(args[0], args[1], args[2]);
    break;
  case 'annotate':
    annotate(args[0], args[1], args[2], args[3]);
    break;
  case 'resolutions':
    resolutions(args[0], args.slice(1));
    break;
  default:
    fail(`unknown command ${command}`);
}
