/**
 * --quiet for CI logs: nothing when all is well, errors (never warnings) when not, and drift still
 * reported by --check.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleProject, repoRoot, runCli } from '../helpers/project.js';

async function edit(path: string, change: (text: string) => string): Promise<void> {
  await writeFile(path, change(await readFile(path, 'utf8')));
}

/** The example with a second security alternative: valid, but warned about (one authorizer per route). */
async function projectWithWarnings(): Promise<string> {
  const dir = await exampleProject();
  await edit(join(dir, 'specs', 'orders.openapi.yaml'), (text) =>
    text
      .replace('security:\n  - cognito: []\n', 'security:\n  - cognito: []\n  - legacyKey: []\n')
      .replace(
        '  securitySchemes:\n',
        '  securitySchemes:\n    legacyKey:\n      type: apiKey\n      in: header\n      name: X-Api-Key\n      description: A legacy API key.\n',
      ),
  );
  return dir;
}

describe('evtgen generate --quiet', () => {
  it('prints nothing on success, where the same run unquiet lists files and warnings', async () => {
    const [loudDir, quietDir] = await Promise.all([projectWithWarnings(), projectWithWarnings()]);
    const loud = await runCli(['generate', '-C', loudDir], repoRoot);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toContain('warning  cdk-authorizer');
    expect(loud.stdout).toContain('file(s) updated');

    const quiet = await runCli(['generate', '-C', quietDir, '--quiet'], repoRoot);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toBe('');
  });

  it('still reports drift with --check', async () => {
    const dir = await exampleProject();
    expect((await runCli(['generate', '-C', dir, '-q'], repoRoot)).code).toBe(0);
    await edit(join(dir, 'specs', 'orders.openapi.yaml'), (text) =>
      text.replace('Place an order', 'Place one order'),
    );
    const drift = await runCli(['generate', '-C', dir, '--check', '--quiet'], repoRoot);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain('generated/ is out of date');
  });

  it('still reports errors, with their location', async () => {
    const dir = await exampleProject();
    await edit(join(dir, 'specs', 'orders.asyncapi.yaml'), (text) =>
      text.replace('  contact:\n    name: Orders team', '  contact:\n    name: 42'),
    );
    const quiet = await runCli(['generate', '-C', dir, '--quiet'], repoRoot);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/specs\/orders\.asyncapi\.yaml:\d+:\d+ {2}error {2}asyncapi\//);
    expect(quiet.stderr).toContain('Nothing was written');
    expect(quiet.stdout).toBe('');
  });
});
