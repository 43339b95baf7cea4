import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { configFileName } from './config.js';
import { manifestFileName } from './write/manifest.js';

/**
 * The project a folder belongs to, found as git finds its repository: the nearest folder, from
 * `start` upwards, that holds a `specs/` folder or an `evtgen.config.json` — or a `generated/` that
 * evtgen wrote (its manifest), so a project whose specs/ went missing is told exactly that. Undefined
 * when no folder up to the file-system root does: the caller is outside any evtgen project.
 */
export async function findProjectRoot(start: string): Promise<string | undefined> {
  let dir = resolve(start);
  for (;;) {
    if (
      (await isFolder(join(dir, 'specs'))) ||
      (await isFile(join(dir, configFileName))) ||
      (await isFile(join(dir, 'generated', manifestFileName)))
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The message every project command prints outside a project (exit 2). */
export function outsideProjectMessage(start: string): string {
  return [
    `${resolve(start)} is not inside an evtgen project: no folder from here up holds a specs/ folder or an ${configFileName}.`,
    'Run `evtgen init` to set up a project here (it adopts AsyncAPI/OpenAPI documents already in the folder),',
    'or point at one with -C <project folder>.',
  ].join('\n');
}

async function isFolder(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
