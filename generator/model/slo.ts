/** Reading `x-slo` (OpenAPI document and operations, AsyncAPI receive operations). */
import { isObject } from '../load/json-pointer.js';
import type { Slo } from './contract.js';

/**
 * The valid numeric fields of an `x-slo` value (an invalid one is already a diagnostic): an
 * operation's fields override the document's field by field, so `x-slo: {p99Ms: 100}` on an
 * operation keeps the document's error rate.
 */
export function sloFields(value: unknown): Partial<Slo> {
  if (!isObject(value)) return {};
  const positive = (v: unknown, max: number): v is number => typeof v === 'number' && v > 0 && v <= max;
  return {
    ...(positive(value.p99Ms, 900_000) ? { p99Ms: value.p99Ms } : {}),
    ...(positive(value.errorRatePercent, 100) ? { errorRatePercent: value.errorRatePercent } : {}),
  };
}
