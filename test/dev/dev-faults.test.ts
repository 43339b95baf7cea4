/**
 * What `PUT /_evtgen/faults` accepts (dev-faults.ts): `parseDevFaults` keeps valid function and AWS
 * faults and refuses everything else with a message naming the field and what was expected (the
 * service's functions for an unknown one); `functionInjection` prefers the requested faults over the
 * `--inject-failure` flags.
 */
import { describe, expect, it } from 'vitest';
import { functionInjection, parseDevFaults } from '../../generator/dev/dev-faults.js';

const names = ['createOrder', 'notifyCustomer'];

describe('parseDevFaults', () => {
  it('reads function and AWS faults', () => {
    expect(
      parseDevFaults(
        {
          functions: {
            createOrder: { errorRate: 0.25, where: 'before', latencyMs: 150 },
            notifyCustomer: { errorRate: 1 },
          },
          aws: {
            dynamodb: { throttleRate: 0.1, errorRate: 0, latencyMs: 0 },
            events: { errorRate: 0.5, latencyMs: 60_000 },
          },
        },
        names,
      ),
    ).toEqual({
      functions: {
        createOrder: { errorRate: 0.25, where: 'before', latencyMs: 150 },
        notifyCustomer: { errorRate: 1 },
      },
      aws: {
        dynamodb: { throttleRate: 0.1, errorRate: 0, latencyMs: 0 },
        events: { errorRate: 0.5, latencyMs: 60_000 },
      },
    });
  });

  it('reads an empty body, empty sections and empty faults as no faults', () => {
    expect(parseDevFaults({}, names)).toEqual({ functions: {}, aws: {} });
    expect(parseDevFaults({ functions: {}, aws: {} }, names)).toEqual({ functions: {}, aws: {} });
    expect(parseDevFaults({ functions: { createOrder: {} }, aws: { events: {} } }, names)).toEqual({
      functions: { createOrder: {} },
      aws: { events: {} },
    });
    expect(parseDevFaults({ functions: { createOrder: { where: 'after' } } }, names)).toEqual({
      functions: { createOrder: { where: 'after' } },
      aws: {},
    });
  });

  it.each<[string, unknown, string]>([
    ['a body that is not an object', [], 'expected an object {functions?, aws?}'],
    ['null', null, 'expected an object {functions?, aws?}'],
    ['an unknown field', { function: {} }, 'unknown field "function": expected functions or aws'],
    [
      'functions that are not an object',
      { functions: [] },
      'functions: expected an object of function name → faults',
    ],
    [
      'an unknown function',
      { functions: { createOrdr: { errorRate: 1 } } },
      "functions.createOrdr: no such function; the service's functions: createOrder, notifyCustomer",
    ],
    [
      'function faults that are not an object',
      { functions: { createOrder: 0.5 } },
      'functions.createOrder: expected {errorRate?, where?, latencyMs?}',
    ],
    [
      'a bad where',
      { functions: { createOrder: { where: 'during' } } },
      'functions.createOrder.where: expected "before" or "after"',
    ],
    [
      'an error rate over 1',
      { functions: { createOrder: { errorRate: 1.5 } } },
      'functions.createOrder.errorRate: expected a fraction from 0 to 1, e.g. 0.05',
    ],
    [
      'a negative error rate',
      { functions: { createOrder: { errorRate: -0.1 } } },
      'functions.createOrder.errorRate: expected a fraction from 0 to 1, e.g. 0.05',
    ],
    [
      'an error rate given as text',
      { functions: { createOrder: { errorRate: '0.5' } } },
      'functions.createOrder.errorRate: expected a fraction from 0 to 1, e.g. 0.05',
    ],
    [
      'fractional milliseconds',
      { functions: { createOrder: { latencyMs: 1.5 } } },
      'functions.createOrder.latencyMs: expected whole milliseconds from 0 to 60000',
    ],
    [
      'negative milliseconds',
      { functions: { createOrder: { latencyMs: -1 } } },
      'functions.createOrder.latencyMs: expected whole milliseconds from 0 to 60000',
    ],
    ['aws that is not an object', { aws: 'dynamodb' }, 'aws: expected an object {dynamodb?, events?}'],
    [
      'an unknown AWS service',
      { aws: { sqs: { errorRate: 1 } } },
      'aws.sqs: expected dynamodb or events (the services faults can be injected into)',
    ],
    [
      'AWS faults that are not an object',
      { aws: { dynamodb: true } },
      'aws.dynamodb: expected {throttleRate?, errorRate?, latencyMs?}',
    ],
    [
      'a throttle rate over 1',
      { aws: { dynamodb: { throttleRate: 2 } } },
      'aws.dynamodb.throttleRate: expected a fraction from 0 to 1, e.g. 0.05',
    ],
    [
      'a NaN error rate',
      { aws: { events: { errorRate: Number.NaN } } },
      'aws.events.errorRate: expected a fraction from 0 to 1, e.g. 0.05',
    ],
    [
      'latency over a minute',
      { aws: { events: { latencyMs: 60_001 } } },
      'aws.events.latencyMs: expected whole milliseconds from 0 to 60000',
    ],
  ])('refuses %s with a message saying what was expected', (_name, body, message) => {
    expect(() => parseDevFaults(body, names)).toThrow(new Error(message));
  });
});

describe('functionInjection', () => {
  const fromFlags = { rate: 0.3, where: 'before' as const };

  it('is the flags’ injection when no faults were requested for the function', () => {
    expect(functionInjection(undefined, fromFlags)).toBe(fromFlags);
    expect(functionInjection(undefined, undefined)).toBeUndefined();
  });

  it('is the requested faults when there are some, failing after the handler unless told', () => {
    expect(functionInjection({ errorRate: 0.5 }, fromFlags)).toEqual({ rate: 0.5, where: 'after' });
    expect(functionInjection({ errorRate: 1, where: 'before', latencyMs: 200 }, undefined)).toEqual({
      rate: 1,
      where: 'before',
      latencyMs: 200,
    });
  });

  it('replaces the flags even when the requested faults only add latency (no errors then)', () => {
    expect(functionInjection({ latencyMs: 100 }, fromFlags)).toEqual({
      rate: 0,
      where: 'after',
      latencyMs: 100,
    });
    expect(functionInjection({}, fromFlags)).toEqual({ rate: 0, where: 'after' });
  });
});
