import { execFile } from 'node:child_process';
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
      'bin/run.js',
      'oclif.manifest.json',
      'dist/generator/cli/commands/generate.js',
      'dist/generator/cli/commands/check.js',
      'dist/generator/cli/commands/docs.js',
      'dist/generator/cli/commands/lint.js',
      'generator/extensions/consumer.schema.json',
      'generator/formats/date-time.js',
      'generator/runtime/consumer.ts',
      'generator/runtime/http.ts',
      'generator/runtime/publisher.ts',
      'generator/rulesets/redocly.yaml',
      'templates/handlers/consumer.ts.hbs',
      'templates/handlers/http-operation.ts.hbs',
    ]) {
      expect(files, required).toContain(required);
    }
    const allowed = [
      /^(package\.json|README\.md|oclif\.manifest\.json|bin\/run\.js)$/,
      /^dist\/generator\/.+\.(js|d\.ts)$/,
      /^generator\/(extensions\/.+\.schema\.json|formats\/.+\.js|runtime\/.+\.ts|rulesets\/.+\.yaml)$/,
      /^templates\/.+\.hbs$/,
    ];
    // No tests, specs, example output or app, benchmarks, TypeScript sources or build caches.
    expect(files.filter((f) => !allowed.some((pattern) => pattern.test(f)))).toEqual([]);
  });

  it('declares the CLI as `evtgen` and the supported Node versions', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    expect(pkg.bin).toEqual({ evtgen: './bin/run.js' });
    expect(pkg.engines.node).toMatch(/^>=20/);
  });
});
