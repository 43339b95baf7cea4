/**
 * The variant project of the CDK tests: a fresh project made from the example specs with a FIFO
 * fulfilment queue and an IAM-authorized getOrder (what the example itself does not exercise),
 * generated with `evtgen generate` so that it has the scaffolded CDK app and handler skeletons.
 */
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { generate } from '../../generator/generate.js';
import { repoRoot } from '../helpers/project.js';

export interface VariantProject {
  /** The project folder (under test/.artifacts: the generated app imports the repository's packages). */
  readonly dir: string;
  readonly result: Awaited<ReturnType<typeof generate>>;
}

/**
 * Creates and generates the FIFO + IAM variant of the example in a new folder. `withApp` copies the
 * example's implemented handlers and CDK app too (instead of scaffolding skeletons), for tests that
 * run the variant's handlers.
 */
export async function variantProject(prefix = 'cdk-variants-', withApp = false): Promise<VariantProject> {
  await mkdir(join(repoRoot, 'test', '.artifacts'), { recursive: true });
  const dir = await mkdtemp(join(repoRoot, 'test', '.artifacts', prefix));
  const copied = withApp ? ['specs', 'app', 'cdk.json'] : ['specs'];
  for (const entry of copied) await cp(join(repoRoot, entry), join(dir, entry), { recursive: true });
  // biome-ignore lint/suspicious/noExplicitAny: editing parsed YAML by known paths
  type Doc = Record<string, any>;
  const edit = async (file: string, change: (doc: Doc) => void) => {
    const path = join(dir, 'specs', file);
    const doc = parseDocument(await readFile(path, 'utf8')).toJS() as Doc;
    change(doc);
    await writeFile(path, stringify(doc, { lineWidth: 0 }), 'utf8');
  };
  await edit('orders.asyncapi.yaml', (doc) => {
    for (const queue of doc.operations.fulfilOrder.bindings.sqs.queues) queue.fifoQueue = true;
  });
  await edit('orders.openapi.yaml', (doc) => {
    doc.components.securitySchemes.sigv4 = {
      type: 'apiKey',
      name: 'Authorization',
      in: 'header',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    };
    doc.paths['/orders/{orderId}'].get.security = [{ sigv4: [] }];
  });
  const result = await generate(dir, { mode: 'write', force: true });
  return { dir, result };
}
