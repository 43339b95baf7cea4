import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/generate.js';
import { linkDependencies, repoRoot, tempProject, typeCheck } from '../helpers/project.js';

/**
 * The generation gap: skeletons are created once and then belong to the user. A spec change
 * regenerates generated/ but leaves edited skeletons byte for byte, and `tsc` points at the user
 * code the change broke.
 */
describe('regeneration safety', () => {
  it('keeps an edited skeleton intact and lets tsc report what the spec change broke in it', async () => {
    const dir = await tempProject();
    await cp(join(repoRoot, 'specs'), join(dir, 'specs'), { recursive: true });
    await linkDependencies(dir);

    const first = await generate(dir, { force: true });
    expect(first.ok).toBe(true);
    expect(first.skeletons.map((s) => `${s.change} ${s.path}`)).toContain(
      'created app/handlers/http/get-health.ts',
    );

    // The user implements two handlers.
    const health = join(dir, 'app/handlers/http/get-health.ts');
    const notifications = join(dir, 'app/handlers/consumers/notifications.ts');
    const edited = (await readFile(health, 'utf8')).replace(
      /export const getHealth[\s\S]*?\n};\n/,
      "export const getHealth: GetHealthImplementation = async () => ({ status: 200, body: { status: 'ok' } }); // mine\n",
    );
    await writeFile(health, edited);
    const notificationsEdited = `${await readFile(notifications, 'utf8')}// my notes\n`;
    await writeFile(notifications, notificationsEdited);
    expect(await typeCheck(dir, ['generated/**/*.ts', 'app/**/*.ts'])).toMatchObject({ errors: [] });

    // The contract changes: Health gains a required property; notifyCustomer also receives OrderPlaced.
    const openapiPath = join(dir, 'specs/orders.openapi.yaml');
    const openapi = await readFile(openapiPath, 'utf8');
    await writeFile(
      openapiPath,
      openapi
        .replace(/( {4}Health:\n[\s\S]*? {6}required:\n {8}- status\n)/, '$1        - uptimeSeconds\n')
        .replace(
          /( {8}version:\n {10}description: Deployed version of the service.\n {10}type: string\n)/,
          '$1        uptimeSeconds:\n          type: integer\n',
        )
        // The response example must stay valid (generate checks examples against their schemas).
        .replace(/( {20}version: 1\.0\.0\n)/, '$1                    uptimeSeconds: 42\n'),
    );
    const asyncapiPath = join(dir, 'specs/orders.asyncapi.yaml');
    const asyncapi = await readFile(asyncapiPath, 'utf8');
    await writeFile(
      asyncapiPath,
      asyncapi.replace(
        "    messages:\n      - $ref: '#/channels/orderEvents/messages/OrderShipped'\n      - $ref: '#/channels/orderEvents/messages/PaymentFailed'\n    x-consumer:\n      name: notifications",
        "    messages:\n      - $ref: '#/channels/orderEvents/messages/OrderPlaced'\n      - $ref: '#/channels/orderEvents/messages/OrderShipped'\n      - $ref: '#/channels/orderEvents/messages/PaymentFailed'\n    x-consumer:\n      name: notifications",
      ),
    );
    expect(await readFile(asyncapiPath, 'utf8')).not.toBe(asyncapi);

    const second = await generate(dir);
    expect(second.ok).toBe(true);
    expect(second.files.filter((f) => f.change !== 'unchanged').map((f) => f.path)).toEqual(
      expect.arrayContaining(['consumers/notifications.ts', 'http/orders-openapi.ts']),
    );
    expect(second.skeletons.every((s) => s.change === 'kept')).toBe(true);
    expect(await readFile(health, 'utf8')).toBe(edited);
    expect(await readFile(notifications, 'utf8')).toBe(notificationsEdited);

    const { errors, output } = await typeCheck(dir, ['generated/**/*.ts', 'app/**/*.ts']);
    // Only the user's files are wrong, each exactly where the change hits it.
    expect(errors.map((e) => e.slice(dir.length + 1, e.indexOf('('))).sort()).toEqual([
      'app/handlers/consumers/notifications.ts',
      'app/handlers/http/get-health.ts',
    ]);
    expect(output).toMatch(/Property 'uptimeSeconds' is missing/);
    expect(output).toMatch(/Property 'OrderPlaced' is missing/);
  });
});
