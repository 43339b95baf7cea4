import { defineRules } from './rule.js';

export const openapiOperationRules = defineRules('OpenAPI: operations and deprecation', [
  {
    id: 'operation-removed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'operation',
    purpose: 'An operation (method + path) was removed without being deprecated with a sunset date first.',
    message: 'operation {subject} removed without deprecation',
  },
  {
    id: 'operation-removed-before-sunset',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'operation',
    purpose:
      'A deprecated operation was removed before its `x-sunset` date (or it was deprecated without one).',
    message: 'operation {subject} removed before its sunset ({old})',
  },
  {
    id: 'operation-removed-after-sunset',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose: 'A deprecated operation was removed after its `x-sunset` date: the notice period is over.',
    message: 'operation {subject} removed after its sunset ({old})',
  },
  {
    id: 'operation-deprecated',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose: 'An operation was marked deprecated (a lifecycle notice, not a break).',
    message: 'operation {subject} deprecated (sunset {new})',
  },
  {
    id: 'operation-added',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose: 'A new operation.',
    message: 'operation {subject} added',
  },
  {
    id: 'security-requirement-added',
    level: 'error',
    breaks: ['bwd'],
    direction: 'operation',
    purpose:
      'An operation now requires credentials (or other schemes) that old clients do not send (the alternatives compared as a set: their order does not count).',
    message: 'security of {subject} changed from {old} to {new}',
  },
  {
    id: 'security-requirement-removed',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose: 'An operation requires fewer credentials than before.',
    message: 'security of {subject} relaxed from {old} to {new}',
  },
]);
