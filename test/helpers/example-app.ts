/**
 * A copy of the example's CDK app (app/, generated/, cdk.json; node_modules linked) for tests that
 * run its `app` command: the command builds into the project's own cdk.out/.app/main.mjs, so test
 * files synthesizing the repository root at the same time would rewrite that file under each other
 * (and under `npx cdk synth` of cli-synth.test.ts). The copy lives in test/.artifacts, inside the
 * repository, where CDK finds the lock file it expects next to the handlers.
 */
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from './project.js';

/** Copies the example app into a new folder; `nested` switches its stack to `layout: 'nested'`. */
export async function exampleAppCopy(
  prefix: string,
  layout: 'single' | 'nested' = 'single',
): Promise<string> {
  await mkdir(join(repoRoot, 'test', '.artifacts'), { recursive: true });
  const dir = await mkdtemp(join(repoRoot, 'test', '.artifacts', prefix));
  for (const entry of ['app', 'generated', 'cdk.json'])
    await cp(join(repoRoot, entry), join(dir, entry), { recursive: true });
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  if (layout === 'nested') {
    const main = join(dir, 'app', 'cdk', 'main.ts');
    const source = await readFile(main, 'utf8');
    const nested = source.replace("description: 'Orders Service (evtgen)',", "$& layout: 'nested',");
    if (nested === source) throw new Error(`${main} no longer has the description the nested switch edits`);
    await writeFile(main, nested, 'utf8');
  }
  return dir;
}
