// oclif writes the manifest's commands in the order its glob lists the command files, and that
// order is the file system's readdir order: it differs between machines (a fresh clone in CI put
// `events:send` after `registry:show`, this checkout after `lint`). Sorting the command ids makes
// the committed manifest the same bytes everywhere, so CI's staleness check compares content only.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../oclif.manifest.json', import.meta.url);
const manifest = JSON.parse(readFileSync(file, 'utf8'));
const commands = Object.fromEntries(
  Object.keys(manifest.commands)
    .sort()
    .map((id) => [id, manifest.commands[id]]),
);
writeFileSync(file, `${JSON.stringify({ ...manifest, commands }, null, 2)}\n`);
