/**
 * The rule pattern of a consumer: exactly its messages, and — only when listing them would exceed
 * EventBridge's 2,048-character pattern quota — `source` alone for a source whose every event type
 * the consumer receives.
 */
import { describe, expect, it } from 'vitest';
import { consumerRulePattern } from '../../generator/model/consumer-resources.js';
import type { Consumer, EventType } from '../../generator/model/contract.js';
import { checkEventPattern } from '../../generator/model/event-pattern.js';

const event = (source: string, detailType: string) => ({ source, detailType }) as unknown as EventType;
const consumer = (filter?: Record<string, unknown>) =>
  ({ name: 'audit', ...(filter ? { filter } : {}) }) as unknown as Consumer;

const many = (source: string, n: number) =>
  Array.from({ length: n }, (_, i) => event(source, `SomethingHappenedNumber${String(i).padStart(3, '0')}`));

describe('consumerRulePattern', () => {
  it('lists exactly the detail-types when the pattern fits, even for every event of a source', () => {
    const all = many('com.example.orders', 3);
    expect(consumerRulePattern(consumer(), all, all)).toEqual({
      source: ['com.example.orders'],
      'detail-type': all.map((e) => e.detailType),
    });
  });

  it('matches on source alone when the list would exceed the quota and the consumer takes the whole source', () => {
    const all = many('com.example.big', 200);
    const pattern = consumerRulePattern(consumer({ data: { tenant: ['a'] } }), all, all);
    expect(pattern).toEqual({ source: ['com.example.big'], detail: { data: { tenant: ['a'] } } });
    expect(checkEventPattern(pattern)).toEqual([]);
  });

  it('keeps the list (and so the size error) when the consumer takes only part of a large source', () => {
    const all = many('com.example.big', 201);
    const some = all.slice(0, 200);
    const pattern = consumerRulePattern(consumer(), some, all);
    expect(pattern['detail-type']).toHaveLength(200);
    expect(
      checkEventPattern(pattern)
        .map((p) => p.reason)
        .join(' '),
    ).toMatch(/2048/);
  });

  it('compresses per source inside $or: whole sources to source alone, partial ones listed', () => {
    const big = many('com.example.big', 200);
    const other = [event('com.example.small', 'A'), event('com.example.small', 'B')];
    const pattern = consumerRulePattern(consumer(), [...big, other[0] as EventType], [...big, ...other]);
    expect(pattern).toEqual({
      $or: [{ source: ['com.example.big'] }, { source: ['com.example.small'], 'detail-type': ['A'] }],
    });
  });
});
