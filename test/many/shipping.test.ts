/**
 * The second service of the example system, examples/shipping: a project of its own that receives
 * the orders service's OrderPlaced (pinned from the orders registry) and publishes
 * ShipmentDispatched. Its committed generated/ is what evtgen makes of its specs and pin; `npx cdk
 * synth` in its folder (as its team runs it: real bundling, cdk-nag) puts its rule on the orders
 * bus without creating that bus or registering the orders event.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../generator/model/build-model.js';
import { repoRoot, runCli, tempProject } from '../helpers/project.js';

const shipping = join(repoRoot, 'examples', 'shipping');
const scratch: string[] = [];
afterAll(async () => {
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

describe('examples/shipping', () => {
  it('is generated from its specs and its pin (generate --check finds nothing to change)', async () => {
    const result = await runCli(['generate', '--check'], shipping);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('synthesizes cdk-nag clean with its rule on the orders bus, which it neither creates nor registers events of', async () => {
    await mkdir(join(repoRoot, 'test', '.artifacts'), { recursive: true });
    const out = await mkdtemp(join(repoRoot, 'test', '.artifacts', 'shipping-synth-'));
    const home = await mkdtemp(join(repoRoot, 'test', '.artifacts', 'shipping-home-'));
    scratch.push(out, home);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        'npx',
        ['cdk', 'synth', '--no-notices', '--quiet', '--output', out],
        {
          cwd: shipping,
          env: {
            ...env,
            HOME: home,
            CDK_DISABLE_CLI_TELEMETRY: 'true',
            AWS_EC2_METADATA_DISABLED: 'true',
            NO_COLOR: '1',
          },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, _stdout, stderr) => resolve({ code: error ? 1 : 0, stderr }),
      );
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/AwsSolutions-\w+/);
    const template = JSON.parse(await readFile(join(out, 'ShippingService.template.json'), 'utf8')) as {
      Resources: Record<string, Resource>;
    };
    const ofType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);

    // Its own bus only: the orders bus is referenced by name.
    expect(ofType('AWS::Events::EventBus').map((b) => b.Properties?.Name)).toEqual(['shipping-bus']);
    const [rule, ...otherRules] = ofType('AWS::Events::Rule');
    expect(otherRules).toEqual([]);
    expect(rule?.Properties?.EventBusName).toBe('orders-bus');
    expect(rule?.Properties?.EventPattern).toEqual({
      source: ['com.example.orders'],
      'detail-type': ['OrderPlaced'],
    });
    // The orders registry holds OrderPlaced; shipping registers only what it publishes.
    expect(ofType('AWS::EventSchemas::Schema').map((s) => s.Properties?.SchemaName)).toEqual([
      'com.example.shipping@ShipmentDispatched',
    ]);
    // The dispatch consumer may publish to its own bus, and to no other.
    type Statement = { Action: unknown; Resource: unknown };
    const policies = ofType('AWS::IAM::Policy').flatMap((p) => {
      const document = p.Properties?.PolicyDocument as { Statement?: Statement[] } | undefined;
      return (document?.Statement ?? []).filter((s) => s.Action === 'events:PutEvents');
    });
    expect(policies).toHaveLength(1);
    expect(JSON.stringify(policies[0]?.Resource)).toContain('ServiceEventsBus');
  });

  it('refuses to send an event it only receives, at the operation that sends it', async () => {
    const dir = await tempProject();
    scratch.push(dir);
    await cp(join(shipping, 'specs'), join(dir, 'specs'), { recursive: true });
    await cp(join(shipping, 'evtgen.config.json'), join(dir, 'evtgen.config.json'));
    const path = join(dir, 'specs', 'shipping.asyncapi.yaml');
    const spec = await readFile(path, 'utf8');
    await writeFile(
      path,
      spec.replace(
        'components:\n',
        [
          '  republishOrderPlaced:',
          '    action: send',
          '    channel:',
          "      $ref: '#/channels/orderEvents'",
          '    messages:',
          "      - $ref: '#/channels/orderEvents/messages/OrderPlaced'",
          '',
          'components:\n',
        ].join('\n'),
      ),
    );
    const result = await runCli(['generate'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /specs\/shipping\.asyncapi\.yaml:\d+:\d+ +error +external-event-sent +OrderPlaced belongs to another service \(com\.example\.orders@OrderPlaced, pinned v2\): this service can receive it, not send it\./,
    );
    expect(result.stderr).toContain('/operations/republishOrderPlaced/messages/0');
  });
});

describe('the orders service receiving ShipmentDispatched back', () => {
  it("names shipping's Carrier, which differs from its own, ShippingCarrier; its own Carrier is untouched", async () => {
    const { model, diagnostics } = await loadContract(repoRoot, join(repoRoot, 'specs'), { validate: false });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const schema = (name: string) =>
      model?.schemas.find((s) => s.name === name)?.schema as
        | { enum?: unknown[]; properties?: Record<string, unknown> }
        | undefined;
    // Shipping's four carriers; the orders service's seven stay its own type.
    expect(schema('ShippingCarrier')?.enum).toEqual(['dhl', 'ups', 'fedex', 'postnl']);
    expect(schema('Carrier')?.enum).toHaveLength(7);
    expect(schema('ShipmentDispatchedPayload')?.properties?.carrier).toEqual({
      $ref: '#/definitions/ShippingCarrier',
    });
    // Identical schemas of both stay one type (no prefix when nothing differs).
    expect(
      model?.schemas
        .filter((s) => s.name.startsWith('Shipping'))
        .map((s) => s.name)
        .sort(),
    ).toEqual(['ShippingCarrier', 'ShippingEventMetadata']);
    const shipments = model?.consumers.find((c) => c.name === 'shipments');
    expect(shipments?.bus).toEqual({ name: 'shipping-bus' });
    expect(model?.events.find((e) => e.messageName === 'ShipmentDispatched')?.external).toMatchObject({
      subject: 'com.example.shipping@ShipmentDispatched',
      version: 1,
    });
  });
});
