import { defineRules } from './rule.js';

export const schemaDependencyRules = defineRules('schema: property dependencies', [
  {
    id: 'dependent-required-added',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose:
      'A property now requires another when present (`dependencies` with a list, `dependentRequired`, or a dependent schema that only lists `required`).',
    message: 'dependency added: {detail}',
  },
  {
    id: 'dependent-required-removed',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A property no longer requires another when present.',
    message: 'dependency removed: {detail}',
  },
  {
    id: 'dependent-schema-added',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose:
      'A dependent schema (`dependencies` with a schema, `dependentSchemas`) was added or changed and the old one is not known to meet it: reported as may break.',
    message: 'dependent schema for {detail} added or tightened',
  },
  {
    id: 'dependent-schema-removed',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose:
      'A dependent schema was removed or loosened and the new one is not known to meet the old: may break.',
    message: 'dependent schema for {detail} removed or loosened',
  },
]);
