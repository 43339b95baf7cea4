import { defineRules } from './rule.js';

export const schemaObjectRules = defineRules('schema: properties and content model', [
  {
    id: 'property-added',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'An optional property was added to a closed object: old readers reject it as unknown.',
    message: 'property {detail} added to a closed object',
  },
  {
    id: 'property-removed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose: 'A property was removed from a closed object: data that still has it is rejected as unknown.',
    message: 'property {detail} removed from a closed object',
  },
  {
    id: 'required-property-added',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose:
      'A new required property: data written before lacks it (a `default` does not help: the validators do not fill defaults).',
    message: 'required property {detail} added',
  },
  {
    id: 'required-property-removed',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A required property was removed: old readers still require it.',
    message: 'required property {detail} removed',
  },
  {
    id: 'property-became-required',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose: 'An optional property became required.',
    message: 'property {detail} became required',
  },
  {
    id: 'property-became-optional',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A required property became optional: old readers still require it.',
    message: 'property {detail} became optional',
  },
  {
    id: 'property-added-open-object',
    level: 'warn',
    breaks: ['bwd'],
    direction: 'schema',
    purpose:
      'A property was declared on an open object: old data may already carry that name with a value the new schema rejects (the old schema allowed anything there).',
    message: 'property {detail} declared on an open object',
  },
  {
    id: 'property-removed-open-object',
    level: 'warn',
    breaks: ['fwd'],
    direction: 'schema',
    purpose:
      'An optional property was removed from an open object: new data may carry that name with any value, which old readers check against the old declaration.',
    message: 'optional property {detail} removed from an open object',
  },
  {
    id: 'object-closed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose: 'Unknown properties are now rejected (additionalProperties/unevaluatedProperties false).',
    message: 'object closed ({keyword}: {old} → {new})',
  },
  {
    id: 'object-opened',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'Unknown properties are now accepted; old readers of the closed object reject them.',
    message: 'object opened ({keyword}: {old} → {new})',
  },
]);
