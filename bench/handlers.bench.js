// `npm run bench:handlers` (also part of `npm run bench`): what the generated handlers cost at run
// time. Not a test: it prints figures.
//
// 1. Validation throughput of one event detail (OrderPlaced: nested objects, arrays, formats,
//    patterns), valid and invalid, for: the generated precompiled validator; ajv compiling the same
//    schema at run time (same options); a zod 4 schema of the same shape (how Powertools' parser
//    validates). The peers run in the same process, interleaved, on the same values.
// 2. The fulfilment consumer bundled as a deployment would be (esbuild, minified ESM, every
//    dependency inlined): its size, and its cold import time in a fresh Node process.
//
// Environment: BENCH_RUNS=7 (timed rounds per contender), BENCH_VALIDATIONS=100000 (per round),
// BENCH_IMPORTS=15 (fresh processes for the cold import).

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { build } from 'esbuild';
import { z } from 'zod';
import { repoRoot } from './projects.js';
import { envInt, formatMs, summarize } from './stats.js';

const runs = envInt('BENCH_RUNS', 7);
const validations = envInt('BENCH_VALIDATIONS', 100_000);
const imports = envInt('BENCH_IMPORTS', 15);
const addFormats = addFormatsModule.default ?? addFormatsModule;

// ---- the same schema three ways -------------------------------------------------------------

const { loadContract } = await import(join(repoRoot, 'dist/generator/model/build-model.js'));
const loaded = await loadContract(repoRoot, join(repoRoot, 'specs'));
if (!loaded.model) throw new Error('the example specs do not load');
const definitions = Object.fromEntries(loaded.model.schemas.map((s) => [s.name, s.schema]));
definitions.OrderPlacedDetail = {
  type: 'object',
  required: ['metadata', 'data'],
  properties: {
    metadata: { $ref: '#/definitions/EventMetadata' },
    data: { $ref: '#/definitions/OrderPlaced' },
  },
};

const compiled = await import(join(repoRoot, 'generated/validators/compiled.js'));
const generated = compiled.OrderPlacedDetail;

const compileStart = performance.now();
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, ownProperties: true });
addFormats(ajv);
ajv.addSchema({ $id: 'https://evtgen.dev/schemas/bundle.json', definitions });
const runtimeAjv = ajv.getSchema('https://evtgen.dev/schemas/bundle.json#/definitions/OrderPlacedDetail');
const ajvCompileMs = performance.now() - compileStart;

const money = z.strictObject({
  amount: z
    .string()
    .regex(/^(0|[1-9][0-9]{0,14})(\.[0-9]{1,3})?$/)
    .max(19),
  currency: z.enum(['EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CAD', 'AUD', 'JPY']),
});
const customer = z.strictObject({
  customerId: z.uuid(),
  email: z.email().max(254).optional(),
  name: z.string().min(1).max(200),
});
const address = z.strictObject({
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).nullable().optional(),
  city: z.string().min(1).max(100),
  region: z.string().min(1).max(100).optional(),
  postalCode: z
    .string()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9][A-Za-z0-9 -]*$/),
  country: z.string().regex(/^[A-Z]{2}$/),
});
const zodDetail = z.strictObject({
  metadata: z.strictObject({
    correlationId: z.uuid(),
    causationId: z.string().min(1).max(128).nullable().optional(),
    occurredAt: z.iso.datetime({ offset: true }),
    producer: z.string().min(1).max(128).optional(),
  }),
  data: z.strictObject({
    orderId: z.uuid(),
    status: z.enum(['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'payment_failed']),
    customer,
    lines: z
      .array(
        z.strictObject({
          sku: z
            .string()
            .regex(/^[A-Z0-9]{2,16}(-[A-Z0-9]{1,16}){0,4}$/)
            .max(64),
          productName: z.string().min(1).max(200).optional(),
          quantity: z.int().min(1).max(999),
          unitPrice: money,
        }),
      )
      .min(1)
      .max(100),
    shippingAddress: address,
    total: money,
    notes: z.string().max(500).nullable(),
    placedAt: z.iso.datetime({ offset: true }),
    salesChannel: z.enum(['web', 'mobile', 'phone', 'marketplace']).optional(),
  }),
});

// ---- values --------------------------------------------------------------------------------

const [example] = loaded.model.events.find((e) => e.messageName === 'OrderPlaced').examples;
const valid = { metadata: example.headers, data: example.payload };
const invalid = structuredClone(valid);
invalid.data.lines[0].quantity = 0;
invalid.data.shippingAddress.country = 'Germany';
invalid.metadata.correlationId = 'not-a-uuid';

const contenders = [
  { name: 'generated (precompiled ajv)', check: (v) => generated(v) },
  { name: 'ajv compiled at run time', check: (v) => runtimeAjv(v) },
  { name: 'zod 4 (safeParse)', check: (v) => zodDetail.safeParse(v).success },
];
for (const c of contenders) {
  if (c.check(valid) !== true) throw new Error(`${c.name} rejects the valid example`);
  if (c.check(invalid) !== false) throw new Error(`${c.name} accepts the invalid value`);
}

// ---- throughput ----------------------------------------------------------------------------

function opsPerSecond(check, value) {
  const start = performance.now();
  for (let i = 0; i < validations; i++) check(value);
  return validations / ((performance.now() - start) / 1000);
}

const results = new Map(contenders.flatMap((c) => ['valid', 'invalid'].map((k) => [`${c.name}|${k}`, []])));
for (const c of contenders) opsPerSecond(c.check, valid); // warm-up: JIT every contender first
for (let round = 0; round < runs; round++) {
  process.stderr.write(`validation round ${round + 1}/${runs}\n`);
  for (const c of contenders) {
    results.get(`${c.name}|valid`).push(opsPerSecond(c.check, valid));
    results.get(`${c.name}|invalid`).push(opsPerSecond(c.check, invalid));
  }
}

const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M/s` : `${(n / 1e3).toFixed(0)} k/s`);
const baseline = (kind) => summarize(results.get(`generated (precompiled ajv)|${kind}`)).median;
console.log(
  `# Handler run-time benchmark (${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version})\n`,
);
console.log(
  `Validation of one OrderPlaced detail, ${validations.toLocaleString('en')} validations per round, ${runs} rounds (median [min–max]):\n`,
);
console.log('| validator | valid | invalid (3 errors) | generated is … × faster (valid / invalid) |');
console.log('| --- | --- | --- | --- |');
for (const c of contenders) {
  const v = summarize(results.get(`${c.name}|valid`));
  const i = summarize(results.get(`${c.name}|invalid`));
  console.log(
    `| ${c.name} | ${fmt(v.median)} [${fmt(v.min)}–${fmt(v.max)}] | ${fmt(i.median)} [${fmt(i.min)}–${fmt(i.max)}] | ${(baseline('valid') / v.median).toFixed(1)} / ${(baseline('invalid') / i.median).toFixed(1)} |`,
  );
}
console.log(
  `\najv compiling the schema at run time also costs ${formatMs(ajvCompileMs)} once per cold start (the generated validator: 0).\n`,
);

// ---- bundle size and cold import -----------------------------------------------------------

const outdir = await mkdtemp(join(os.tmpdir(), 'evtgen-bench-bundle-'));
const bundle = await build({
  entryPoints: { fulfilment: join(repoRoot, 'app/handlers/consumers/fulfilment.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  metafile: true,
  logLevel: 'silent',
  banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
});
const [file, output] = Object.entries(bundle.metafile.outputs).find(([path]) => path.endsWith('.mjs'));
const largest = Object.entries(output.inputs)
  .map(([path, { bytesInOutput }]) => [
    path
      .replace(/^.*node_modules\//, '')
      .split('/')
      .slice(0, 2)
      .join('/'),
    bytesInOutput,
  ])
  .reduce((acc, [pkg, bytes]) => acc.set(pkg, (acc.get(pkg) ?? 0) + bytes), new Map());
const top = [...largest].sort((a, b) => b[1] - a[1]).slice(0, 5);

const script = `const t = performance.now(); await import(${JSON.stringify(join(repoRoot, file))}); process.stdout.write(String(performance.now() - t));`;
const samples = [];
for (let i = 0; i < imports; i++) {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      ...process.env,
      IDEMPOTENCY_TABLE_NAME: 'idempotency',
      ORDERS_TABLE_NAME: 'orders',
      AWS_REGION: 'us-east-1',
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`cold import failed: ${run.stderr}`);
  samples.push(Number(run.stdout));
}
const cold = summarize(samples);
console.log(
  `Fulfilment consumer bundle (esbuild, minified ESM, AWS SDK and Powertools inlined): ${(output.bytes / 1024).toFixed(0)} KB`,
);
console.log(
  `  largest parts: ${top.map(([pkg, bytes]) => `${pkg} ${(bytes / 1024).toFixed(0)} KB`).join(', ')}`,
);
console.log(
  `Cold import (module load + init, fresh process, ${imports} runs): median ${formatMs(cold.median)} [${formatMs(cold.min)}–${formatMs(cold.max)}], target < 150 ms`,
);
await rm(outdir, { recursive: true, force: true });
