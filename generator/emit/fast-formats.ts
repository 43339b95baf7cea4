import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../package-root.js';

/**
 * The formats module the standalone validators import (`require("evtgen-formats").fullFormats`):
 * ajv-formats' full set with `date-time` replaced by generator/formats/date-time.js, a faster
 * check that accepts exactly the same strings.
 */
export const formatsModuleId = 'evtgen-formats';

/** The date-time module under a stable name (bundle output must not depend on install paths). */
export const dateTimeModuleId = 'evtgen-formats/date-time';

export const dateTimeFile = (): string => join(packageRoot(), 'generator', 'formats', 'date-time.js');

export const formatsModuleSource = [
  "const { fullFormats } = require('ajv-formats/dist/formats');",
  `const { dateTime } = require('${dateTimeModuleId}');`,
  "exports.fullFormats = { ...fullFormats, 'date-time': dateTime };",
  '',
].join('\n');

/** The same function, for ajv while it compiles. */
export async function loadDateTime(): Promise<(value: string) => boolean> {
  const module = (await import(pathToFileURL(dateTimeFile()).href)) as {
    dateTime: (value: string) => boolean;
  };
  return module.dateTime;
}
