import { defineRules } from './rule.js';

export const schemaTypeRules = defineRules('schema: types and nullability', [
  {
    id: 'type-changed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'schema',
    purpose: 'The set of JSON types changed so that neither accepts all values of the other.',
    message: 'type changed from {old} to {new}',
  },
  {
    id: 'type-narrowed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose: 'A JSON type is no longer accepted (e.g. number → integer, [string, integer] → string).',
    message: 'type narrowed from {old} to {new}',
  },
  {
    id: 'type-widened',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A JSON type is accepted that was not before (e.g. integer → number).',
    message: 'type widened from {old} to {new}',
  },
  {
    id: 'nullable-added',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose:
      'null became a valid value (any spelling: `type: [T, "null"]`, OpenAPI 3.0 `nullable`, `oneOf`/`anyOf` with a null branch).',
    message: 'null is now accepted (type {old} → {new})',
  },
  {
    id: 'nullable-removed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose: 'null is no longer a valid value (in any of the three spellings of nullable).',
    message: 'null is no longer accepted (type {old} → {new})',
  },
  {
    id: 'schema-narrowed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose: 'The new schema rejects values the old one accepted, by a keyword no more specific rule names.',
    message: 'values accepted before are now rejected ({keyword} {detail})',
  },
  {
    id: 'schema-widened',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'The new schema accepts values the old one rejected, by a keyword no more specific rule names.',
    message: 'values rejected before are now accepted ({keyword} {detail})',
  },
]);
