import { defineRules } from './rule.js';

/** readOnly/writeOnly by direction, and discriminators (annotations to ajv, acted on by clients). */
export const openapiAnnotationRules = defineRules('OpenAPI: readOnly, writeOnly and discriminator', [
  {
    id: 'request-property-became-read-only',
    level: 'warn',
    breaks: ['bwd'],
    direction: 'request',
    twin: 'response-property-became-write-only',
    purpose:
      'A request property became `readOnly`: old clients still send it, and the server may ignore it (the validators accept it: an annotation to ajv, so may break).',
    message: '{detail} became read-only',
  },
  {
    id: 'response-property-became-write-only',
    level: 'warn',
    breaks: ['fwd'],
    direction: 'response',
    twin: 'request-property-became-read-only',
    purpose: 'A response property became `writeOnly`: old clients expect it and may no longer get it.',
    message: '{detail} became write-only',
  },
  {
    id: 'discriminator-property-changed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'schema',
    purpose:
      'The discriminator property was added, removed or renamed: clients pick the branch of a polymorphic body by it.',
    message: 'discriminator of {detail} changed from {old} to {new}',
  },
  {
    id: 'discriminator-mapping-changed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'schema',
    purpose:
      'A discriminator value maps to another schema, or no longer maps: clients read it as another type.',
    message: 'discriminator mapping of {detail} changed from {old} to {new}',
  },
  {
    id: 'discriminator-mapping-added',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A discriminator value was added: old clients meet a value they cannot map.',
    message: 'discriminator mapping of {detail} added ({new})',
  },
]);
