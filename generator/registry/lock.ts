import { link, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** A lock held longer than this is stale whatever its holder says (a publish takes seconds). */
const staleAfterMs = 10 * 60 * 1000;

export class LockBusyError extends Error {}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the lock's holder is gone: a dead process on this host, or older than the limit. */
async function isStale(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return true;
  if (Date.now() - info.mtimeMs > staleAfterMs) return true;
  let owner: LockOwner | undefined;
  try {
    owner = JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    // Being written right now (the holder creates it, then fills it): give it a moment.
    return Date.now() - info.mtimeMs > 5000;
  }
  return owner.host === hostname() && typeof owner.pid === 'number' && !alive(owner.pid);
}

/**
 * Runs `work` holding `<dir>/.lock`, created with O_EXCL (`wx`): one publisher at a time. A lock
 * whose holder died (same host, process gone) or that is older than ten minutes is removed and
 * taken over; a live one is waited for, up to `timeoutMs`, then refused with its holder named.
 */
export async function withLock<T>(dir: string, work: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, '.lock');
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  for (;;) {
    try {
      await writeFile(path, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (await isStale(path)) {
      // Take over by renaming it to a name of our own (only one of several processes that saw it
      // stale gets a given file), then judging what we got: a live lock created meanwhile is put
      // back (link fails if yet another one took the slot).
      const grave = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.stale`;
      if (
        await rename(path, grave).then(
          () => true,
          () => false,
        )
      ) {
        if (!(await isStale(grave))) await link(grave, path).catch(() => undefined);
        await rm(grave, { force: true });
      }
      continue;
    }
    if (Date.now() > deadline) {
      const holder = await readFile(path, 'utf8').catch(() => '?');
      throw new LockBusyError(
        `The registry is locked by another publish (${holder.trim()}); try again, or delete ${path} if no evtgen is running.`,
      );
    }
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 500);
  }
  try {
    return await work();
  } finally {
    // Remove the lock only while it is still ours.
    if ((await readFile(path, 'utf8').catch(() => '')) === JSON.stringify(me))
      await rm(path, { force: true });
  }
}
