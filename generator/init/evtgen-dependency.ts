import { basename, isAbsolute, relative, resolve, sep } from 'node:path';

/** How the new service depends on evtgen, and the one file init copies to make that installable. */
export interface EvtgenDependency {
  /** The package.json value for `evtgen` (unchanged when the existing one already works anywhere). */
  readonly spec: string;
  /** A tarball outside the project copied into it (absolute from, project-relative to). */
  readonly vendor?: { readonly from: string; readonly to: string };
  /** What init changed or what the user should know, in one sentence. */
  readonly note?: string;
}

/**
 * A service must install evtgen wherever its CI runs, from its own files. `npm install -D
 * ../evtgen-0.1.0.tgz` writes `file:../evtgen-0.1.0.tgz`, which exists on this machine only: that
 * tarball is vendored (copied to `vendor/`, the dependency pointed there). A tarball already inside
 * the project, a git URL or a registry version works as it is. A linked checkout outside the
 * project (`file:../evtgen`) cannot be vendored as it is: the note says how to pack it.
 */
export function planEvtgenDependency(
  root: string,
  current: string | undefined,
  version: string,
): EvtgenDependency {
  if (current === undefined)
    return {
      spec: `^${version}`,
      note: `evtgen was not in package.json: added "^${version}" (the registry form). Until evtgen is on the registry, install it from a packed tarball (npm install -D ./evtgen-${version}.tgz) and run init again to vendor it`,
    };
  if (!current.startsWith('file:')) return { spec: current };
  const target = resolve(root, current.slice('file:'.length));
  const inside = !relative(root, target).startsWith('..') && !isAbsolute(relative(root, target));
  if (inside) return { spec: current };
  if (/\.(tgz|tar\.gz)$/.test(target)) {
    const to = `vendor/${basename(target)}`;
    return {
      spec: `file:${to}`,
      vendor: { from: target, to },
      note: `evtgen came from ${current}, outside this folder, which CI cannot install: copied it to ${to} (commit it) and pointed package.json there. Run npm install to update the lock file`,
    };
  }
  return {
    spec: current,
    note: `evtgen is linked from ${current.split(sep).join('/')}, outside this folder: CI cannot install that. Run npm pack in that checkout, npm install -D the tarball here and run init again to vendor it, or use a git dependency`,
  };
}
