import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { developmentDependencyNames, runtimeDependencyNames } from '../../generator/init/app-dependencies.js';
import { repoRoot, runCli, snapshotTree, tempProject } from '../helpers/project.js';

const starterFiles = [
  '.github/workflows/contracts.yml',
  '.gitignore',
  '.vscode/extensions.json',
  '.vscode/settings.json',
  'README.md',
  'app/cdk/main.ts',
  'app/cdk/stack.ts',
  'app/handlers/consumers/audit.ts',
  'app/handlers/http/create-item.ts',
  'cdk.json',
  'evtgen.config.json',
  'package.json',
  'specs/inventory.asyncapi.yaml',
  'specs/inventory.openapi.yaml',
  'test/audit.test.ts',
  'test/aws-events.ts',
  'test/create-item.test.ts',
  'tsconfig.json',
  'vitest.config.ts',
];

/** The folder's files, without generated/ and the input cache: what init wrote itself. */
async function ownFiles(dir: string): Promise<string[]> {
  return Object.keys(await snapshotTree(dir))
    .filter((path) => !path.startsWith('generated/') && !path.startsWith('node_modules/'))
    .sort();
}

describe('evtgen init', () => {
  it('scaffolds an empty folder: starter specs, handlers, tests, config, README, CI, the CDK app and generated/', async () => {
    const dir = join(await tempProject(), 'inventory');
    const result = await runCli(['init', dir, '--yes'], repoRoot);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await ownFiles(dir)).toEqual(starterFiles);
    expect(await readdir(join(dir, 'generated'))).toEqual(
      expect.arrayContaining(['cdk', 'handlers', 'consumers', 'validators']),
    );
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    expect(manifest.name).toBe('inventory');
    expect(manifest.type).toBe('module');
    expect(Object.keys(manifest.dependencies ?? {})).toEqual([...runtimeDependencyNames].sort());
    expect(Object.keys(manifest.devDependencies ?? {})).toEqual(
      [...developmentDependencyNames, 'evtgen'].sort(),
    );
    const asyncapi = await readFile(join(dir, 'specs/inventory.asyncapi.yaml'), 'utf8');
    expect(asyncapi).toContain('source: com.example.inventory');
    expect(asyncapi).toContain('eventBusName: inventory-bus');
    const workflow = await readFile(join(dir, '.github/workflows/contracts.yml'), 'utf8');
    expect(workflow).toContain('npx evtgen generate --check');
    expect(workflow).toMatch(/npx evtgen check .*--format github/);
    // The starter lints clean: no errors, no warnings.
    const lint = await runCli(['lint', '-C', dir], repoRoot);
    expect(lint.stdout + lint.stderr).toContain('0 errors, 0 warnings');
  });

  it('writes the same bytes for the same answers', async () => {
    const [a, b] = [join(await tempProject(), 'svc'), join(await tempProject(), 'svc')];
    for (const dir of [a, b]) {
      expect(
        (
          await runCli(
            ['init', dir, '--yes', '--name', 'order-history', '--source', 'com.acme.history'],
            repoRoot,
          )
        ).code,
      ).toBe(0);
    }
    const [snapshotA, snapshotB] = await Promise.all([snapshotTree(a), snapshotTree(b)]);
    const withoutCache = (s: Record<string, string>) =>
      Object.fromEntries(Object.entries(s).filter(([path]) => !path.startsWith('node_modules/')));
    expect(withoutCache(snapshotA)).toEqual(withoutCache(snapshotB));
    expect(snapshotA['specs/order-history.openapi.yaml']).toContain('title: Order History API');
  });

  it('refuses a folder that is not empty, changes nothing and says why', async () => {
    // Not a spec (no top-level openapi/asyncapi member): nothing to adopt.
    const dir = await tempProject({ 'notes.txt': 'mine\n', 'specs/legacy.yaml': 'title: not a spec\n' });
    const before = await snapshotTree(dir);
    const result = await runCli(['init', dir, '--yes', '--name', 'inventory'], repoRoot);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not empty, so nothing was written');
    expect(result.stderr).toContain('--force');
    expect(result.stderr).toMatch(/Found:\n {2}notes\.txt\n {2}specs/);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('refuses to run twice in the same folder', async () => {
    const dir = join(await tempProject(), 'inventory');
    expect((await runCli(['init', dir, '--yes'], repoRoot)).code).toBe(0);
    await writeFile(join(dir, 'app/handlers/http/create-item.ts'), '// my implementation\n');
    const before = await snapshotTree(dir);

    const again = await runCli(['init', dir, '--yes'], repoRoot);
    expect(again.code).toBe(2);
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('with --force, writes the starter over files of the same name and keeps every other file', async () => {
    const dir = await tempProject({ 'notes.txt': 'mine\n', 'README.md': '# old\n' });
    const result = await runCli(['init', dir, '--yes', '--force', '--name', 'inventory'], repoRoot);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/overwritten +README\.md/);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toMatch(/^# Inventory\n/);
  });

  it('adds to the package.json that `npm install -D <tarball>` left, vendoring the tarball so CI can install it', async () => {
    const parent = await tempProject({ 'evtgen-0.1.0.tgz': 'tarball bytes\n' });
    const existing = {
      devDependencies: { evtgen: 'file:../evtgen-0.1.0.tgz', typescript: '5.8.0' },
      scripts: { test: 'echo "Error: no test specified" && exit 1', lint: 'biome check .' },
    };
    const dir = join(parent, 'svc');
    await mkdir(join(dir, 'node_modules'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify(existing));
    await writeFile(join(dir, 'package-lock.json'), '{}');
    const result = await runCli(['init', dir, '--yes', '--name', 'inventory'], repoRoot);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/merged +package\.json/);
    expect(result.stdout).toMatch(/created +vendor\/evtgen-0\.1\.0\.tgz/);
    expect(result.stdout).toContain('note: evtgen came from file:../evtgen-0.1.0.tgz, outside this folder');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // Inside the service, so a clone installs it anywhere; the bytes are the tarball's.
    expect(manifest.devDependencies.evtgen).toBe('file:vendor/evtgen-0.1.0.tgz');
    expect(await readFile(join(dir, 'vendor/evtgen-0.1.0.tgz'), 'utf8')).toBe('tarball bytes\n');
    expect(manifest.devDependencies.typescript).toBe('5.8.0');
    expect(manifest.devDependencies['aws-cdk-lib']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.scripts.lint).toBe('biome check .');
    // npm's placeholder is not the user's: the real test command replaces it.
    expect(manifest.scripts.test).toBe('vitest run');
    expect(await readFile(join(dir, 'package-lock.json'), 'utf8')).toBe('{}');
  });

  it('keeps an evtgen dependency that installs anywhere (git, registry, a tarball inside the folder)', async () => {
    for (const spec of [
      'git+https://github.com/acme/evtgen.git#v0.1.0',
      '0.1.0',
      'file:tools/evtgen-0.1.0.tgz',
    ]) {
      const dir = await tempProject({
        'package.json': JSON.stringify({ devDependencies: { evtgen: spec } }),
      });
      const result = await runCli(['init', dir, '--yes', '--name', 'inventory'], repoRoot);
      expect(result.code, result.stderr).toBe(0);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
      expect(manifest.devDependencies.evtgen).toBe(spec);
      expect(result.stdout).not.toContain('note: evtgen');
    }
  });

  it('accepts the package.json of `npm init -y` (npm 11: "type": "commonjs") and says what it changed', async () => {
    const dir = join(await tempProject(), 'inventory');
    await mkdir(dir);
    const npmInit = await new Promise<number | null>((done) =>
      execFile('npm', ['init', '-y'], { cwd: dir }, (error) => done(error ? 1 : 0)),
    );
    expect(npmInit).toBe(0);
    const written = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(written.type).toBe('commonjs'); // what npm 11 writes: the case this test is about

    const result = await runCli(['init', dir, '--yes'], repoRoot);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('note: package.json: "type": "commonjs" → "module" (npm init\'s default');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'inventory', type: 'module', license: 'ISC' });
    expect(manifest.scripts.test).toBe('vitest run');
  });

  it('refuses "type": "commonjs" of a folder with CommonJS code of its own unless forced', async () => {
    const dir = await tempProject({
      'package.json': '{"name": "legacy", "type": "commonjs"}\n',
      'index.js': "module.exports = require('./lib');\n",
    });
    await cp(join(repoRoot, 'test/bad-input/fixtures/valid/specs'), join(dir, 'specs'), { recursive: true });
    const before = await snapshotTree(dir);
    const refused = await runCli(['init', dir, '--yes'], repoRoot);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"type": "commonjs"');
    expect(await snapshotTree(dir)).toEqual(before);

    const forced = await runCli(['init', dir, '--yes', '--force'], repoRoot);
    expect(forced.code, forced.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, string>;
    expect(manifest).toMatchObject({ name: 'legacy', type: 'module' });
  });

  it('adopts the specs a folder already has: no starter specs, their folder configured, a checklist of what they lack', async () => {
    const dir = await tempProject({
      'README.md': '# Pets\n',
      'api/http/pets.yaml': [
        'openapi: 3.0.3',
        'info: {title: Pets, version: 1.0.0}',
        'paths:',
        '  /pets:',
        '    get:',
        '      responses: {"200": {description: ok}}',
        '    post:',
        '      operationId: createPet',
        '      security: []',
        '      responses: {"201": {description: created}}',
        '',
      ].join('\n'),
      'api/events/pets.asyncapi.yaml': [
        'asyncapi: 3.0.0',
        'info: {title: Pet Events, version: 1.0.0}',
        'channels:',
        '  pets:',
        '    messages:',
        '      PetAdded: {payload: {type: object}}',
        'operations:',
        '  publishPetAdded:',
        '    action: send',
        "    channel: {$ref: '#/channels/pets'}",
        '',
      ].join('\n'),
    });
    const result = await runCli(['init', dir, '--yes', '--name', 'pets'], repoRoot);

    // The project is set up, but generate refuses GET /pets until it has security (its name is derived).
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Found 2 spec(s); api/ is the project's specs folder");
    expect(result.stdout).toContain(
      '[~] api/http/pets.yaml: operationId missing on GET /pets: evtgen names the route, handler and types from method and path (GET /pets → getPets)',
    );
    expect(result.stdout).toContain('[ ] api/http/pets.yaml: no security on GET /pets:');
    expect(result.stdout).toContain('[~] api/events/pets.asyncapi.yaml: info.x-eventbridge.source');
    expect(result.stdout).toContain('[x] api/events/pets.asyncapi.yaml: 1 send and 0 receive operation(s)');
    expect(result.stderr).toContain('operation-id-derived');
    expect(result.stderr).toContain('The project was set up around your specs');
    const files = await ownFiles(dir);
    expect(files.filter((f) => f.startsWith('specs/') || f.startsWith('test/'))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        'evtgen.config.json',
        'tsconfig.json',
        '.github/workflows/contracts.yml',
        '.vscode/settings.json',
      ]),
    );
    expect(JSON.parse(await readFile(join(dir, 'evtgen.config.json'), 'utf8'))).toMatchObject({
      specs: 'api',
    });
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('# Pets\n');
    const settings = JSON.parse(await readFile(join(dir, '.vscode/settings.json'), 'utf8'));
    expect(
      settings['yaml.schemas']['./node_modules/evtgen/generator/extensions/openapi-editor.schema.json'],
    ).toContain('api/http/pets.yaml');

    // Once the checklist's two items are done, the adopted project generates, lints and keeps its files.
    const spec = join(dir, 'api/http/pets.yaml');
    await writeFile(
      spec,
      (await readFile(spec, 'utf8')).replace(
        '    get:\n',
        '    get:\n      operationId: listPets\n      security: []\n',
      ),
    );
    const generated = await runCli(['generate'], join(dir, 'api', 'http'));
    expect(generated.code, generated.stderr).toBe(0);
    expect(await readdir(join(dir, 'app/handlers/http'))).toEqual(['create-pet.ts', 'list-pets.ts']);
  });

  it('adopts specs in specs/ without asking for --force, keeping every file it finds', async () => {
    const dir = await tempProject({ 'tsconfig.json': '{"mine": true}\n', 'notes.txt': 'mine\n' });
    await cp(join(repoRoot, 'test/bad-input/fixtures/valid/specs'), join(dir, 'specs'), { recursive: true });
    const specsBefore = await snapshotTree(join(dir, 'specs'));
    const result = await runCli(['init', dir, '--yes', '--name', 'orders'], repoRoot);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("specs/ is the project's specs folder");
    expect(result.stdout).toContain('note: tsconfig.json kept as it is (yours)');
    expect(await readFile(join(dir, 'tsconfig.json'), 'utf8')).toBe('{"mine": true}\n');
    expect(await snapshotTree(join(dir, 'specs'))).toEqual(specsBefore);
    expect(await readdir(join(dir, 'generated'))).toContain('cdk');
  });

  it('refuses specs that sit in the folder itself (evtgen reads a folder of specs), writing nothing', async () => {
    const dir = await tempProject({
      'openapi.yaml': 'openapi: 3.0.3\ninfo: {title: A, version: 1.0.0}\npaths: {}\n',
    });
    const before = await snapshotTree(dir);
    const result = await runCli(['init', dir, '--yes'], repoRoot);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('sit in the folder itself');
    expect(result.stderr).toContain('openapi.yaml');
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('refuses a path that is a file', async () => {
    const dir = await tempProject({ svc: 'not a folder\n' });
    const result = await runCli(['init', join(dir, 'svc'), '--yes'], repoRoot);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('exists and is not a folder');
    expect(await readFile(join(dir, 'svc'), 'utf8')).toBe('not a folder\n');
  });

  it('refuses a broken package.json without writing anything', async () => {
    const dir = await tempProject({ 'package.json': '{"name": "x",\n' });
    const result = await runCli(['init', dir, '--yes'], repoRoot);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/package\.json is not valid JSON/);
    expect(await readdir(dir)).toEqual(['package.json']);
  });

  it('rejects a service name or event source that cannot work, as a usage error', async () => {
    const dir = join(await tempProject(), 'svc');
    const badName = await runCli(['init', dir, '--yes', '--name', 'Order_History'], repoRoot);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('"Order_History" is not a service name');
    const badSource = await runCli(['init', dir, '--yes', '--source', 'aws.orders'], repoRoot);
    expect(badSource.code).toBe(2);
    expect(badSource.stderr).toContain('reserved');
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  it('reports JSON with --json', async () => {
    const dir = join(await tempProject(), 'inventory');
    const result = await runCli(['init', dir, '--yes', '--json'], repoRoot);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { ok: boolean; files: { path: string; change: string }[] };
    expect(report.ok).toBe(true);
    expect(report.files).toContainEqual({ path: 'specs/inventory.openapi.yaml', change: 'created' });
  });
});

describe('the dependencies of a new service', () => {
  /** Package names a file imports (import/export statements; type-only imports included). */
  async function importedPackages(files: readonly string[]): Promise<Set<string>> {
    const names = new Set<string>();
    for (const file of files) {
      const source = await readFile(join(repoRoot, 'generator', 'runtime', file), 'utf8');
      for (const [, specifier = ''] of source.matchAll(
        /^(?:import|export)\b[^;]*?\sfrom\s+'([^'.][^']*)'/gm,
      )) {
        if (!specifier.startsWith('node:'))
          names.add(
            specifier
              .split('/')
              .slice(0, specifier.startsWith('@') ? 2 : 1)
              .join('/'),
          );
      }
    }
    return names;
  }

  it('are, at run time, exactly what the handler runtime imports', async () => {
    const runtimeFiles = (await readdir(join(repoRoot, 'generator', 'runtime'))).filter(
      (f) => f.endsWith('.ts') && !f.startsWith('cdk-'),
    );
    const imported = await importedPackages(runtimeFiles);
    imported.delete('aws-lambda'); // types only: @types/aws-lambda, a development dependency
    // lib-dynamodb brings @aws-sdk/util-dynamodb, which Powertools idempotency imports without declaring it.
    imported.add('@aws-sdk/lib-dynamodb');
    expect([...imported].sort()).toEqual([...runtimeDependencyNames].sort());
  });

  it('cover, for development, what the CDK constructs import', async () => {
    const cdkFiles = (await readdir(join(repoRoot, 'generator', 'runtime'))).filter((f) =>
      f.startsWith('cdk-'),
    );
    const imported = await importedPackages(cdkFiles);
    expect(
      [...imported].filter((name) => !(developmentDependencyNames as readonly string[]).includes(name)),
    ).toEqual([]);
  });

  it('are all pinned by evtgen, so a new service starts on the versions evtgen was tested with', async () => {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    const pinned: Record<string, string> = { ...pkg.devDependencies, ...pkg.dependencies };
    for (const name of [...runtimeDependencyNames, ...developmentDependencyNames]) {
      expect(pinned[name], name).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});
