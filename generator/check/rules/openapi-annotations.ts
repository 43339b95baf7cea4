import { defineRules } from './rule.js';

/**
 * readOnly/writeOnly by direction, and discriminators: annotations to the generated validators, so
 * under schema-exact they break no reader (info, as oasdiff rates them); what they annotate (types,
 * required, branches) is judged by the schema rules.
 */
export const openapiAnnotationRules = defineRules('OpenAPI: readOnly, writeOnly and discriminator', [
  {
    id: 'request-property-became-read-only',
    level: 'info',
    breaks: [],
    direction: 'request',
    twin: 'response-property-became-write-only',
    purpose:
      'A request property became `readOnly`: old clients still send it and the server may now ignore it. The validators still accept it (an annotation to ajv), so under schema-exact it breaks no reader; reported for review.',
    message: '{detail} became read-only',
  },
  {
    id: 'response-property-became-write-only',
    level: 'info',
    breaks: [],
    direction: 'response',
    twin: 'request-property-became-read-only',
    purpose:
      'A response property became `writeOnly`: the server may stop sending it. Whether it is sent is decided by the schema (required/properties), judged by the schema rules; reported for review.',
    message: '{detail} became write-only',
  },
  {
    id: 'discriminator-property-changed',
    level: 'info',
    breaks: [],
    direction: 'schema',
    purpose:
      'The discriminator property was added, removed or renamed. Clients that pick the branch of a polymorphic body by it should be reviewed; the validators read it as an annotation (schema-exact), and the branches themselves are judged by the schema rules.',
    message: 'discriminator of {detail} changed from {old} to {new}',
  },
  {
    id: 'discriminator-mapping-changed',
    level: 'info',
    breaks: [],
    direction: 'schema',
    purpose:
      'A discriminator value maps to another schema, or no longer maps: clients read it as another type.',
    message: 'discriminator mapping of {detail} changed from {old} to {new}',
  },
  {
    id: 'discriminator-mapping-added',
    level: 'info',
    breaks: [],
    direction: 'schema',
    purpose: 'A discriminator value was added: old clients meet a value they cannot map.',
    message: 'discriminator mapping of {detail} added ({new})',
  },
]);
