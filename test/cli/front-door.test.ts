// Help where users work: the project is found from any subfolder, outside a project every project
// command says so and exits 2, mistyped commands and flags get the nearest real one, and the
// registry topic has its own summary. Each runs the built CLI as a user would.

import { execFile } from 'node:child_process';
import { cp, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closest, editDistance, flagSuggestions } from '../../generator/cli/suggest.js';
import { generate } from '../../generator/generate.js';
import { exampleProject, repoRoot, runCli, tempProject } from '../helpers/project.js';

/** Every command that works on a project (has -C): each must refuse to run outside one. */
const projectCommands = [
  ['generate'],
  ['lint'],
  ['check'],
  ['docs'],
  ['dev'],
  ['load'],
  ['events', 'send', 'OrderPlaced'],
  ['registry', 'list'],
  ['registry', 'show', 'com.example.orders@OrderPlaced'],
  ['registry', 'publish'],
  ['registry', 'diff', 'com.example.orders@OrderShipped', '1', '2'],
  ['registry', 'push'],
  ['registry', 'pull'],
  ['dlq', 'list'],
  ['dlq', 'show', 'fulfilment'],
  ['dlq', 'redrive', 'fulfilment', '--dry-run'],
];

let project: string;
let outside: string;

beforeAll(async () => {
  project = await exampleProject();
  await cp(join(repoRoot, 'app'), join(project, 'app'), { recursive: true });
  outside = join(await tempProject(), 'not-a-project', 'deeper');
  await mkdir(outside, { recursive: true });
});

afterAll(async () => {
  await rm(project, { recursive: true, force: true });
  await rm(join(outside, '..', '..'), { recursive: true, force: true });
});

describe('finding the project', () => {
  it('a command run from app/handlers/ works on the project above it', async () => {
    const result = await runCli(['generate', '--json'], join(project, 'app', 'handlers'));
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
    // It wrote into the project's generated/, not into app/handlers/generated/.
    const again = await runCli(['generate', '--check'], project);
    expect(again.code, again.stderr).toBe(0);
    const list = await runCli(['registry', 'list', '--json'], join(project, 'app', 'handlers', 'http'));
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(list.stdout))).toContain('com.example.orders@OrderShipped');
  });

  it('-C into a subfolder walks up from there', async () => {
    const result = await runCli(['lint', '-C', join(project, 'app', 'cdk')], outside);
    expect(result.code, result.stderr).toBe(0);
  });

  it.each(projectCommands.map((argv) => [argv.join(' '), argv]))(
    'outside a project `%s` says so and exits 2',
    async (_, argv) => {
      const result = await runCli(argv, outside);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('is not inside an evtgen project');
      expect(result.stderr).toContain('evtgen init');
      expect(result.stdout).toBe('');
    },
  );

  it('-C to a folder that does not exist is an error, not a walk up into the project above', async () => {
    const result = await runCli(['generate', '-C', 'no-such-folder'], project);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no-such-folder/);
    expect(result.stdout).not.toContain('up to date');
  });

  it('--help needs no project', async () => {
    const result = await runCli(['generate', '--help'], outside);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('USAGE');
  });
});

describe('did you mean', () => {
  it.each([
    [['genrate'], 'evtgen generate'],
    [['regsitry', 'list'], 'evtgen registry list'],
    [['registry', 'lst'], 'evtgen registry list'],
    [['chekc'], 'evtgen check'],
  ])('a mistyped command %j suggests "%s" and exits 2', async (argv, want) => {
    const result = await runCli(argv, project);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not an evtgen command');
    expect(result.stderr).toContain(`Did you mean "${want}"?`);
  });

  it('a word unlike any command suggests nothing', async () => {
    const result = await runCli(['zzzzqqq'], project);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('Did you mean');
  });

  it('a mistyped flag suggests the command’s nearest flag', async () => {
    const result = await runCli(['generate', '--chek'], project);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Nonexistent flag: --chek');
    expect(result.stderr).toContain('Did you mean --check');
    const other = await runCli(['check', '--fail-onn', 'warn'], project);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('Did you mean --fail-on');
  });

  it('the distance and cut-off behave (controls)', () => {
    expect(editDistance('chekc', 'check')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closest('publsh', ['publish', 'pull', 'push'])).toBe('publish');
    expect(closest('deploy', ['generate', 'lint'])).toBeUndefined();
    expect(
      flagSuggestions(['--dryrun'], { 'dry-run': { name: 'dry-run' }, hide: { name: 'hide', hidden: true } }),
    ).toEqual(['Did you mean --dry-run (instead of --dryrun)?']);
    expect(flagSuggestions(['--hidd'], { hide: { name: 'hide', hidden: true } })).toEqual([]);
  });
});

describe('topics', () => {
  it('`registry --help` opens with the topic’s own summary, not a command’s', async () => {
    const result = await runCli(['registry', '--help'], outside);
    expect(result.code).toBe(0);
    const first = result.stdout.split('\n')[0] ?? '';
    expect(first).toMatch(/^The versioned event schema registry/);
    expect(first).not.toMatch(/^Compare two versions/);
  });

  it('the root help lists the topics with their summaries', async () => {
    const result = await runCli(['--help'], outside);
    expect(result.stdout).toMatch(/registry\s+The versioned event schema registry/);
    expect(result.stdout).toMatch(/events\s+Test events/);
  });
});

// Terminal escape sequences (cursor moves, erasing): built from its code so no control character sits in a regex literal.
const ansiEscape = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');

describe('progress on long runs', () => {
  /** Runs the CLI under a pseudo-terminal (util-linux `script`), as a person at a terminal sees it. */
  function onTerminal(args: string[], cwd: string): Promise<string> {
    const command = [process.execPath, join(repoRoot, 'bin', 'run.js'), ...args]
      .map((a) => `'${a}'`)
      .join(' ');
    return new Promise((resolve, reject) => {
      execFile(
        'script',
        ['-qec', command, '/dev/null'],
        { cwd, env: { ...process.env, NO_COLOR: '1' } },
        (error, stdout) =>
          error && typeof error.code !== 'number' ? reject(error) : resolve(stdout.replace(ansiEscape, '')),
      );
    });
  }

  it('reports every stage with its counts, in order (the library callback the spinner shows)', async () => {
    const stages: string[] = [];
    const result = await generate(project, { force: true, onStage: (stage) => stages.push(stage) });
    expect(result.ok).toBe(true);
    expect(stages.map((s) => s.split(':')[0])).toEqual(['load', 'model', 'validate', 'emit', 'write']);
    expect(stages[0]).toMatch(/^load: 2 document\(s\), \d+ file\(s\) with their \$refs$/);
    expect(stages[1]).toMatch(/^model: 4 event\(s\), 3 operation\(s\), 4 consumer\(s\)$/);
    expect(stages[3]).toMatch(/^emit: \d+ file\(s\)$/);
    expect(stages[4]).toMatch(/^write: \d+ changed$/);
  });

  it('shows the stage on a terminal', async () => {
    const output = await onTerminal(['generate', '--force'], project);
    // The longest stage is always on screen long enough to be drawn.
    expect(output).toMatch(/Generating from specs\/\.\.\. .*validate: 2 document\(s\)/);
    expect(output).toContain('done');
  });

  it('prints no progress when output is not a terminal', async () => {
    const result = await runCli(['generate', '--force'], project);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/Generating|model:|validate:|emit:/);
  });
});
