import { defineRules } from './rule.js';

export const schemaBoundRules = defineRules('schema: bounds', [
  {
    id: 'bound-tightened',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose:
      'A bound was added or tightened: minimum/maximum, exclusiveMinimum/Maximum, multipleOf, min/maxLength, min/maxItems, uniqueItems, min/maxProperties.',
    message: '{keyword} tightened from {old} to {new}',
  },
  {
    id: 'bound-loosened',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A bound was loosened or removed (any of the keywords bound-tightened names).',
    message: '{keyword} loosened from {old} to {new}',
  },
]);
