/**
 * How `evtgen dev` shows what functions write (log-render.ts), on lines written by the real
 * Powertools Logger and Metrics (captured from process.stdout/stderr, where they write on Lambda):
 * a log line becomes time, level, function, correlation id, message and its own keys; an EMF record
 * becomes `METRIC … Name=value`; anything else passes through; `--json` keeps lines raw with the
 * function's name added; colour codes appear only when colour is on.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { renderDevLine, renderFunctionLine } from '../../generator/dev/log-render.js';
import { lambdaContext } from '../helpers/lambda.js';

/** The lines `action` writes to stdout and stderr, as written. */
function captureLines(action: () => void): string[] {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  for (const stream of streams)
    stream.write = ((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    }) as typeof stream.write;
  try {
    action();
  } finally {
    streams.forEach((stream, i) => {
      stream.write = originals[i] as typeof stream.write;
    });
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

const plain = { json: false, color: false } as const;
const coloured = { json: false, color: true } as const;
const json = { json: true, color: false } as const;
const correlationId = 'c0ffee12-3456-4789-abcd-ef0123456789';
const esc = '\x1b[';

/** A Logger as a handler has it: service name, Lambda context, correlation id. */
function handlerLogger(): Logger {
  const logger = new Logger({ serviceName: 'orders' });
  logger.addContext(lambdaContext('OrdersService-Fulfilment'));
  logger.setCorrelationId(correlationId);
  return logger;
}

/** The one line written (the captures below run while tests are collected, outside `expect`). */
function only(lines: readonly string[]): string {
  if (lines.length !== 1) throw new Error(`expected one line, got ${JSON.stringify(lines)}`);
  return lines[0] ?? '';
}

const clockOf = (timestamp: unknown): string => new Date(String(timestamp)).toISOString().slice(11, 23);

describe('a Powertools log line', () => {
  const line = only(
    captureLines(() => handlerLogger().info('Order fulfilled', { orderId: 'o-1', items: 2 })),
  );
  const written = JSON.parse(line) as Record<string, unknown>;

  it('is what the real Logger writes (the standard keys included)', () => {
    expect(written).toMatchObject({
      level: 'INFO',
      message: 'Order fulfilled',
      service: 'orders',
      function_name: 'OrdersService-Fulfilment',
      correlation_id: correlationId,
      orderId: 'o-1',
    });
    expect(Object.keys(written)).toEqual(
      expect.arrayContaining(['timestamp', 'cold_start', 'function_request_id', 'sampling_rate']),
    );
  });

  it('is rendered as time, level, function, correlation id prefix, message and its own keys', () => {
    expect(renderFunctionLine('fulfilment', line, plain)).toBe(
      `${clockOf(written.timestamp)} INFO   fulfilment [c0ffee12] Order fulfilled {"orderId":"o-1","items":2}`,
    );
  });

  it('leaves out every standard key', () => {
    const rendered = renderFunctionLine('fulfilment', line, plain);
    for (const key of [
      'timestamp',
      'service',
      'cold_start',
      'function_name',
      'function_arn',
      'function_memory_size',
      'function_request_id',
      'correlation_id',
      'sampling_rate',
      'OrdersService-Fulfilment',
      'arn:aws:lambda',
      correlationId,
    ])
      expect(rendered).not.toContain(key);
  });

  it('has no extra keys part when the line has none, and no prefix without a correlation id', () => {
    const logger = new Logger({ serviceName: 'orders' });
    const bare = only(captureLines(() => logger.info('Started')));
    expect(renderFunctionLine('fulfilment', bare, plain)).toMatch(
      /^\d{2}:\d{2}:\d{2}\.\d{3} INFO {3}fulfilment Started$/,
    );
  });

  it('shows warnings (written to stderr) with their error as an extra key', () => {
    const warning = only(captureLines(() => handlerLogger().warn('Retrying', new Error('throttled'))));
    const rendered = renderFunctionLine('fulfilment', warning, plain);
    expect(rendered).toMatch(
      /^\d{2}:\d{2}:\d{2}\.\d{3} WARN {3}fulfilment \[c0ffee12\] Retrying \{"error":\{/,
    );
    expect(rendered).toContain('"message":"throttled"');
  });

  it('paints the parts only when colour is on, errors in red', () => {
    expect(renderFunctionLine('fulfilment', line, plain)).not.toContain(esc);
    const colouredLine = renderFunctionLine('fulfilment', line, coloured);
    expect(colouredLine).toContain(`${esc}36mfulfilment${esc}0m`);
    expect(colouredLine).toContain(`${esc}2m[c0ffee12]${esc}0m`);
    const error = only(captureLines(() => handlerLogger().error('Gave up')));
    expect(renderFunctionLine('fulfilment', error, coloured)).toContain(`${esc}31mERROR ${esc}0m`);
    expect(renderFunctionLine('fulfilment', error, plain)).not.toContain(esc);
  });

  it('is kept whole with --json, the function name added', () => {
    expect(JSON.parse(renderFunctionLine('fulfilment', line, json))).toEqual({
      function: 'fulfilment',
      ...written,
    });
    expect(renderFunctionLine('fulfilment', line, json)).not.toContain(esc);
  });
});

describe('an EMF metric record', () => {
  const metrics = new Metrics({ namespace: 'Orders', serviceName: 'orders' });
  const line = only(
    captureLines(() => {
      metrics.addMetric('OrdersFulfilled', MetricUnit.Count, 1);
      metrics.addMetric('FulfilmentLatency', MetricUnit.Milliseconds, 12.5);
      metrics.publishStoredMetrics();
    }),
  );

  it('is what the real Metrics flush writes', () => {
    expect(JSON.parse(line)).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Namespace: 'Orders' }] },
      OrdersFulfilled: 1,
      FulfilmentLatency: 12.5,
    });
  });

  it('is rendered as METRIC with Name=value for each metric', () => {
    expect(renderFunctionLine('fulfilment', line, plain)).toMatch(
      /^\d{2}:\d{2}:\d{2}\.\d{3} METRIC fulfilment OrdersFulfilled=1 FulfilmentLatency=12\.5$/,
    );
    const colouredLine = renderFunctionLine('fulfilment', line, coloured);
    expect(colouredLine.startsWith(`${esc}2m`)).toBe(true);
    expect(colouredLine).toContain('OrdersFulfilled=1 FulfilmentLatency=12.5');
  });

  it('is kept whole with --json', () => {
    expect(JSON.parse(renderFunctionLine('fulfilment', line, json))).toEqual({
      function: 'fulfilment',
      ...(JSON.parse(line) as object),
    });
  });
});

describe('a line that is not a JSON object', () => {
  it.each([
    'plain console.log output',
    '    at handler (file:///var/task/index.mjs:1:2)',
    '{not json',
    '[1,2,3]',
  ])('passes through unchanged: %j', (text) => {
    const rendered = renderFunctionLine('fulfilment', text, plain);
    expect(rendered).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} {8}fulfilment /);
    expect(rendered.endsWith(` fulfilment ${text}`)).toBe(true);
    expect(renderFunctionLine('fulfilment', text, coloured)).toContain(`${esc}36mfulfilment${esc}0m ${text}`);
  });

  it('is wrapped as text with --json', () => {
    expect(JSON.parse(renderFunctionLine('fulfilment', 'hello', json))).toEqual({
      function: 'fulfilment',
      text: 'hello',
    });
  });
});

describe("evtgen dev's own lines", () => {
  it('are time, level, "evtgen" and the message', () => {
    expect(renderDevLine('INFO', 'provisioned 9 queues', plain)).toMatch(
      /^\d{2}:\d{2}:\d{2}\.\d{3} INFO {3}evtgen provisioned 9 queues$/,
    );
    expect(renderDevLine('ERROR', 'fulfilment: poller failed', plain)).toMatch(
      /^\d{2}:\d{2}:\d{2}\.\d{3} ERROR {2}evtgen fulfilment: poller failed$/,
    );
  });

  it('are yellow for warnings and red for errors only when colour is on', () => {
    const warning = renderDevLine('WARN', 'reloading', coloured);
    expect(warning.startsWith(`${esc}33m`)).toBe(true);
    expect(warning.endsWith(`${esc}0m`)).toBe(true);
    expect(renderDevLine('ERROR', 'stopped', coloured).startsWith(`${esc}31m`)).toBe(true);
    expect(renderDevLine('INFO', 'ready', coloured)).not.toContain(esc);
    for (const level of ['INFO', 'WARN', 'ERROR'] as const)
      expect(renderDevLine(level, 'x', plain)).not.toContain(esc);
  });

  it('are JSON with source, level, message and timestamp with --json', () => {
    const line = JSON.parse(renderDevLine('WARN', 'reloading', json)) as Record<string, unknown>;
    expect(line).toEqual({
      source: 'evtgen-dev',
      level: 'WARN',
      message: 'reloading',
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
  });
});
