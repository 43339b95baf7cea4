import { defineRules } from './rule.js';

export const schemaArrayRules = defineRules('schema: arrays and tuples', [
  {
    id: 'array-closed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose:
      'The array content model closed: items at and after a position are no longer allowed (a tuple without additional items, `items: false` after `prefixItems`).',
    message: 'array closed: no items from position {detail} on',
  },
  {
    id: 'array-opened',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A closed array content model opened: items at and after a position are now allowed.',
    message: 'array opened: items allowed from position {detail} on',
  },
]);
