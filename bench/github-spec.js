// GitHub's REST API description (@octokit/openapi) made into a spec `evtgen generate` accepts, as a
// team adopting it would: a document-level bearer security (evtgen makes no route public by
// omission), without the examples that do not match their own schemas (490 of them) and without the
// second of each pair of paths Redocly calls identical. The edits are found by running evtgen on the
// original once; the result is cached under node_modules/.cache/evtgen-bench/ by package version.

import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { repoRoot, runEvtgen } from './projects.js';

const require = createRequire(import.meta.url);

/** Writes the prepared description to `<project>/specs/api.github.com.json`. */
export async function writeGithubSpec(project) {
  const pkg = dirname(require.resolve('@octokit/openapi/package.json'));
  const { version } = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'));
  const cached = join(repoRoot, 'node_modules', '.cache', 'evtgen-bench', `github-${version}.json`);
  const target = join(project, 'specs', 'api.github.com.json');
  await mkdir(dirname(target), { recursive: true });
  if (existsSync(cached)) {
    await writeFile(target, await readFile(cached));
    return target;
  }
  const spec = JSON.parse(await readFile(join(pkg, 'generated', 'api.github.com.json'), 'utf8'));
  spec.components.securitySchemes = { githubToken: { type: 'http', scheme: 'bearer' } };
  spec.security = [{ githubToken: [] }];
  await writeFile(target, JSON.stringify(spec, null, 2));
  const result = await runEvtgen(['generate', '--json', '-C', project]);
  const { diagnostics } = JSON.parse(result.stdout);
  for (const d of diagnostics) {
    if (d.code === 'example-invalid') removeExample(spec, d.pointer);
    else if (d.code === 'openapi/no-identical-paths') delete spec.paths[decodePointer(d.pointer)[1]];
  }
  dropDanglingExampleRefs(spec, new Set(Object.keys(spec.components.examples ?? {})));
  const prepared = JSON.stringify(spec, null, 2);
  await mkdir(dirname(cached), { recursive: true });
  await writeFile(cached, prepared);
  await writeFile(target, prepared);
  return target;
}

function decodePointer(pointer) {
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Deletes the example a pointer into it names: `…/examples/<name>` or `…/example`. */
function removeExample(spec, pointer) {
  const tokens = decodePointer(pointer);
  let end = tokens.lastIndexOf('examples');
  end = end >= 0 ? end + 2 : tokens.lastIndexOf('example') + 1;
  if (end <= 0) return;
  let parent = spec;
  for (const token of tokens.slice(0, end - 1)) {
    parent = parent?.[token];
    if (parent === undefined) return;
  }
  delete parent[tokens[end - 1]];
}

/** Deletes the `examples` entries that still `$ref` a removed `#/components/examples/…`. */
function dropDanglingExampleRefs(node, kept) {
  if (typeof node !== 'object' || node === null) return;
  if (node.examples && typeof node.examples === 'object' && !Array.isArray(node.examples)) {
    for (const [name, example] of Object.entries(node.examples)) {
      const ref = example?.$ref;
      if (typeof ref === 'string' && ref.startsWith('#/components/examples/')) {
        if (!kept.has(decodePointer(ref.slice(1)).at(-1))) delete node.examples[name];
      }
    }
  }
  for (const value of Object.values(node)) dropDanglingExampleRefs(value, kept);
}
