/**
 * `evtgen dev`'s flags that oclif does not parse itself (dev-flags.ts): `--retry-delay` (whole
 * seconds within SQS's limit, or `aws`) and `--inject-failure NAME=RATE[:before|after]`, with the
 * error each wrong value gets.
 */
import { describe, expect, it } from 'vitest';
import { parseInjectFailures, parseRetryDelay } from '../../generator/dev/dev-flags.js';

describe('--retry-delay', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['180', 180],
    ['43200', 43_200],
  ])('reads %s as %d seconds', (value, seconds) => {
    expect(parseRetryDelay(value)).toBe(seconds);
  });

  it('reads "aws" as the queue\'s own visibility timeout (undefined)', () => {
    expect(parseRetryDelay('aws')).toBeUndefined();
  });

  it.each(['43201', '-1', '1.5', '', ' 1', '1s', 'AWS', 'abc', '1e3'])('refuses %j', (value) => {
    expect(() => parseRetryDelay(value)).toThrow(
      `--retry-delay ${value}: expected whole seconds from 0 to 43200 (SQS's limit), or "aws".`,
    );
  });
});

describe('--inject-failure', () => {
  it('reads NAME=RATE, failing after the handler by default', () => {
    expect(parseInjectFailures(['fulfilment=0.3'])).toEqual({ fulfilment: { rate: 0.3, where: 'after' } });
  });

  it('reads where the failure happens, rates from 0 to 1 and several functions', () => {
    expect(parseInjectFailures(['fulfilment=1:before', 'createOrder=.25:after', 'outbox-relay_2=0'])).toEqual(
      {
        fulfilment: { rate: 1, where: 'before' },
        createOrder: { rate: 0.25, where: 'after' },
        'outbox-relay_2': { rate: 0, where: 'after' },
      },
    );
  });

  it('reads no flags as no injections', () => {
    expect(parseInjectFailures([])).toEqual({});
  });

  it.each([
    'fulfilment',
    'fulfilment=',
    '=0.3',
    'fulfilment=1.5',
    'fulfilment=2',
    'fulfilment=-0.1',
    'fulfilment=abc',
    'fulfilment=0.3:during',
    'fulfilment=0.3:',
    'full filment=0.3',
    'fulfilment:0.3',
  ])('refuses %j, saying what is expected', (value) => {
    expect(() => parseInjectFailures(['audit=0.1', value])).toThrow(
      `--inject-failure ${value}: expected NAME=RATE[:before|after], the function's contract name (operationId or consumer) and a fraction from 0 to 1, e.g. fulfilment=0.3.`,
    );
  });
});
