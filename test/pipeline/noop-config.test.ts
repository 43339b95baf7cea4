/**
 * The no-op fast path reads evtgen.config.json without validating it (generator/config.ts
 * `unvalidatedConfig`): it may only say "up to date" for the very configuration text the last
 * successful run accepted. A changed configuration, valid or broken, must take the full path, and a
 * broken one must still be reported as a configuration error.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { tempProject } from '../helpers/project.js';

const spec = `asyncapi: 3.0.0
info: {title: Shop, version: 1.0.0}
channels:
  shop:
    address: shop
    messages:
      UserSignedUp: {$ref: '#/components/messages/UserSignedUp'}
operations:
  publishUserSignedUp:
    action: send
    channel: {$ref: '#/channels/shop'}
components:
  messages:
    UserSignedUp:
      payload:
        type: object
        properties:
          userId: {type: string}
`;

const config = `{ "output": "generated" }\n`;

describe('the no-op fast path and the configuration', () => {
  it('is taken for the accepted configuration text only; a changed or broken one is validated', async () => {
    const dir = await tempProject({ 'specs/shop.asyncapi.yaml': spec, 'evtgen.config.json': config });
    // The input cache lives in node_modules/.cache/evtgen/: without node_modules there is no fast path.
    await mkdir(join(dir, 'node_modules'));
    expect((await generate(dir)).ok).toBe(true);

    // Nothing changed: the fast path answers without listing any file (the full path lists them all).
    const rerun = await generate(dir);
    expect(rerun).toMatchObject({ ok: true, upToDate: true, files: [] });

    // A value of the wrong type: valid JSON, so the fast path reads it, but its text is new.
    await writeFile(join(dir, 'evtgen.config.json'), `{ "output": 42 }\n`);
    const wrongType = await generate(dir);
    expect(wrongType).toMatchObject({ ok: false, failure: 'config', upToDate: false });
    expect(wrongType.diagnostics[0]).toMatchObject({ file: 'evtgen.config.json', pointer: '/output' });

    // Not JSON at all: the fast path gives up and the full path locates the error.
    await writeFile(join(dir, 'evtgen.config.json'), `{ "output": \n`);
    const broken = await generate(dir);
    expect(broken).toMatchObject({ ok: false, failure: 'config' });
    expect(broken.diagnostics[0]?.file).toBe('evtgen.config.json');

    // A valid change is not "up to date" either: it is generated in full.
    await writeFile(join(dir, 'evtgen.config.json'), `{ "output": "generated", "specs": "specs" }\n`);
    const changed = await generate(dir);
    expect(changed.ok).toBe(true);
    expect(changed.files.length).toBeGreaterThan(0);

    // And that text, accepted now, is the one the fast path recognises next.
    expect(await generate(dir)).toMatchObject({ ok: true, upToDate: true, files: [] });
  });
});
