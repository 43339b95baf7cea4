import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/project.js';

interface PackEntry {
  readonly files: readonly { readonly path: string }[];
}

/** What `npm pack` would put in the tarball (`--dry-run`: nothing is written; scripts skipped). */
function packedFiles(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'npm',
      ['pack', '--dry-run', '--json', '--ignore-scripts'],
      { cwd: repoRoot },
      (error, stdout) => {
        if (error) reject(error);
        else resolve((JSON.parse(stdout) as PackEntry[])[0]?.files.map((f) => f.path).sort() ?? []);
      },
    );
  });
}

describe('the npm package', () => {
  it('ships the compiled CLI and everything it reads at run time, and nothing else', async () => {
    const files = await packedFiles();
    for (const required of [
      'package.json',
      'README.md',
      // The README's guides, so its links work in node_modules/evtgen/ too.
      'docs/specs.md',
      'docs/init.md',
      'bin/run.js',
      'oclif.manifest.json',
      'dist/generator/cli/commands/generate.js',
      'dist/generator/cli/commands/check.js',
      'dist/generator/cli/commands/docs.js',
      'dist/generator/cli/commands/lint.js',
      'dist/generator/cli/commands/init.js',
      'dist/generator/cli/commands/registry/push.js',
      'dist/generator/cli/commands/load.js',
      'dist/generator/cli/hooks/find-project.js',
      'dist/generator/cli/hooks/not-found.js',
      'generator/extensions/asyncapi-editor.schema.json',
      'generator/extensions/openapi-editor.schema.json',
      'generator/loadtest/load-config.schema.json',
      'generator/extensions/consumer.schema.json',
      'generator/formats/date-time.js',
      'generator/load/asyncapi-meta.cjs',
      'dist/asyncapi-meta/index.json',
      'dist/asyncapi-meta/3.0.0-resolved.js',
      'generator/runtime/consumer.ts',
      'generator/runtime/http.ts',
      'generator/runtime/publisher.ts',
      'generator/rulesets/redocly.yaml',
      'templates/handlers/consumer.ts.hbs',
      'templates/handlers/http-operation.ts.hbs',
      'templates/app/stack.ts.hbs',
      'templates/init/specs/openapi.yaml.hbs',
      'templates/init/specs/asyncapi.yaml.hbs',
      'templates/init/gitignore.hbs',
      'templates/init/github/workflows/contracts.yml.hbs',
    ]) {
      expect(files, required).toContain(required);
    }
    const allowed = [
      /^(package\.json|README\.md|oclif\.manifest\.json|bin\/run\.js)$/,
      /^dist\/generator\/.+\.(js|d\.ts)$/,
      /^dist\/asyncapi-meta\/(index\.json|\d+\.\d+\.\d+-(resolved|unresolved)\.js)$/,
      /^generator\/((extensions|loadtest)\/.+\.schema\.json|formats\/.+\.js|load\/.+\.cjs|runtime\/.+\.ts|rulesets\/.+\.yaml)$/,
      /^templates\/.+\.hbs$/,
      /^docs\/[^/]+\.md$/,
    ];
    // No tests, specs, example output or app, benchmarks, TypeScript sources or build caches.
    expect(files.filter((f) => !allowed.some((pattern) => pattern.test(f)))).toEqual([]);
  });

  it('depends at run time on every package the compiled CLI imports, and on no development tool', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    const runtime = new Set(Object.keys(pkg.dependencies));
    const imported = new Set<string>();
    const files = (await packedFiles()).filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    for (const file of files) {
      const source = await readFile(join(repoRoot, file), 'utf8');
      // Import and re-export statements (code that emits import lines holds them in strings, not at a
      // line start) and dynamic imports of package names.
      const statements = source.matchAll(/^(?:import|export)\b[^;]*?\sfrom\s+'([^'.][^']*)'/gm);
      const dynamic = source.matchAll(/\bimport\('([@a-z][^'$]*)'\)/g);
      for (const [, specifier = ''] of [...statements, ...dynamic]) {
        if (specifier.startsWith('node:')) continue;
        imported.add(
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        );
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !runtime.has(name)).sort()).toEqual([]);
    // Tooling of the generated app and of this repository stays out of what users install.
    for (const devOnly of ['aws-cdk-lib', 'aws-cdk', 'vitest', '@biomejs/biome', 'oclif']) {
      expect(runtime.has(devOnly), devOnly).toBe(false);
    }
  });

  it('declares the CLI as `evtgen` and the supported Node versions', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    expect(pkg.bin).toEqual({ evtgen: './bin/run.js' });
    expect(pkg.engines.node).toMatch(/^>=20/);
  });
});
