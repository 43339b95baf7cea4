/**
 * `npx cdk synth` as a user runs it from the repository root (cdk.json → app/cdk/main.ts), offline
 * and without credentials: no AWS_* variables, an empty HOME (no ~/.aws), telemetry and notices
 * off. The functions are bundled for real (esbuild, ES modules) and cdk-nag runs during synthesis.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/project.js';

const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(command, args, { cwd: repoRoot, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npx cdk synth', () => {
  it('synthesizes the example app offline with no credentials, bundling every function', async () => {
    await mkdir(join(repoRoot, 'test', '.artifacts'), { recursive: true });
    const out = await mkdtemp(join(repoRoot, 'test', '.artifacts', 'cdk-synth-'));
    const home = await mkdtemp(join(repoRoot, 'test', '.artifacts', 'cdk-home-'));
    scratch.push(out, home);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const started = Date.now();
    const result = await run('npx', ['cdk', 'synth', '--no-notices', '--quiet', '--output', out], {
      ...env,
      HOME: home,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      AWS_EC2_METADATA_DISABLED: 'true',
      NO_COLOR: '1',
    });
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/AwsSolutions-\w+/);

    const template = JSON.parse(await readFile(join(out, 'OrdersService.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
    };
    const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    // One per operation and per consumer, and the outbox relay.
    expect(functions).toHaveLength(8);
    // Every function's asset is its ES module entry and the shared chunks it imports (each with
    // its source map; bundles.test.ts checks that they are exactly the ones it imports).
    const assets = (await readdir(out)).filter((f) => f.startsWith('asset.'));
    expect(assets).toHaveLength(8);
    for (const asset of assets) {
      const files = (await readdir(join(out, asset))).sort();
      expect(files).toContain('index.mjs');
      expect(files).toContain('index.mjs.map');
      for (const file of files) expect(file).toMatch(/^(index|chunk-[A-Z0-9]+)\.mjs(\.map)?$/);
      const bundle = await readFile(join(out, asset, 'index.mjs'), 'utf8');
      expect(bundle).toContain('createRequire');
      let code = 0;
      for (const file of files.filter((f) => f.endsWith('.mjs')))
        code += (await stat(join(out, asset, file))).size;
      expect(code).toBeGreaterThan(10_000);
    }
    console.log(`cdk synth of the example (8 functions bundled): ${seconds.toFixed(1)} s`);
  });
});
