import { readFile } from 'node:fs/promises';
import type { ProjectConfig } from '../config.js';
import { listSpecFiles } from '../load/discover.js';
import { isObject } from '../load/json-pointer.js';
import { parseSource } from '../load/source-file.js';
import { toKebabName } from '../model/naming.js';

/**
 * The service's name as the model derives it (the first AsyncAPI document's title, kebab-case),
 * read without building the model: the dependency commands run before the pins the documents
 * reference exist, when the model would not load.
 */
export async function serviceName(config: ProjectConfig): Promise<string> {
  for (const path of await listSpecFiles(config.specsDir)) {
    const { file } = parseSource(await readFile(path, 'utf8'), path, path);
    const value = file.value;
    if (!isObject(value) || value.asyncapi === undefined) continue;
    const info = isObject(value.info) ? value.info : {};
    return toKebabName(typeof info.title === 'string' ? info.title : path);
  }
  return 'service';
}
