import type { VersionRange } from '../config.js';

/** Whether a registry version is one a dependency's `version` range accepts. */
export function inRange(version: number, range: VersionRange): boolean {
  switch (range.kind) {
    case 'exact':
      return version === range.version;
    case 'latest':
      return true;
    case 'at-least':
      return version >= range.min;
    default:
      return version >= range.min && version <= range.max;
  }
}
