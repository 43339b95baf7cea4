import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Hook } from '@oclif/core';
import { findProjectRoot, outsideProjectMessage } from '../../project-root.js';

/** The spellings of the project flag every project command shares (`-C DIR`, `--project DIR`). */
const projectFlags = new Set(['-C', '--project']);

/**
 * Before any command that works on a project (one with a `--project` flag): find the project by
 * walking up from the current folder — or from `-C DIR` — and hand the command its root, so
 * `evtgen generate` works from `app/handlers/` as `git status` does from a subfolder. Outside any
 * project the command does not run: it says so and exits 2. `--help` needs no project.
 */
const findProject: Hook<'prerun'> = async function ({ Command, argv }) {
  if (!Command.flags || !('project' in Command.flags)) return;
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  if (options.includes('--help') || options.includes('-h')) return;
  const given = projectArgument(options);
  // A -C folder that does not exist is a usage error: no walking up from a typo into whatever
  // project happens to be above it.
  if (given && !existsSync(resolve(given.value))) {
    process.stderr.write(`evtgen: -C ${given.value}: no such folder (${resolve(given.value)}).\n`);
    this.exit(2);
    return;
  }
  const root = await findProjectRoot(given?.value ?? '.');
  if (!root) {
    // Printed as is (oclif's error box would wrap the path mid-word), then a plain exit 2.
    process.stderr.write(`evtgen: ${outsideProjectMessage(given?.value ?? '.')}\n`);
    this.exit(2);
    return;
  }
  if (given) argv.splice(given.index, given.width, `--project=${root}`);
  else argv.unshift(`--project=${root}`);
};

/** Where argv names the project folder: its index, how many items it spans, and the value. */
function projectArgument(
  argv: readonly string[],
): { index: number; width: number; value: string } | undefined {
  for (let index = argv.length - 1; index >= 0; index--) {
    const item = argv[index] as string;
    if (projectFlags.has(item) && index + 1 < argv.length)
      return { index, width: 2, value: argv[index + 1] as string };
    if (item.startsWith('--project=')) return { index, width: 1, value: item.slice('--project='.length) };
    if (item.startsWith('-C') && item.length > 2 && !item.startsWith('--'))
      return { index, width: 1, value: item.slice(2).replace(/^=/, '') };
  }
  return undefined;
}

export default findProject;
