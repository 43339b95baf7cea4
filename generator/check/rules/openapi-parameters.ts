import { defineRules } from './rule.js';

/** How parameters are serialized (old clients keep writing them the baseline's way). */
export const openapiParameterRules = defineRules('OpenAPI: parameter serialization', [
  {
    id: 'request-parameter-serialization-changed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'operation',
    purpose:
      'The effective `style`, `explode` or `allowReserved` of a parameter changed (defaults per location included): old clients write it the old way.',
    message: '{detail} changed from {old} to {new}',
  },
  {
    id: 'response-header-serialization-changed',
    level: 'error',
    breaks: ['fwd'],
    direction: 'response',
    purpose:
      'The effective `style` or `explode` of a response header changed (`simple`, not exploded, when unset): old clients read it the old way.',
    message: 'response header {detail} changed from {old} to {new}',
  },
  {
    id: 'request-parameter-empty-value-disallowed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'operation',
    purpose: '`allowEmptyValue` was removed: old clients may still send the parameter empty.',
    message: '{detail} no longer allows an empty value',
  },
  {
    id: 'request-parameter-empty-value-allowed',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose: '`allowEmptyValue` was set: an empty value is now accepted.',
    message: '{detail} now allows an empty value',
  },
]);
