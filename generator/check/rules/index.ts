import { asyncapiChannelRules } from './asyncapi-channels.js';
import { asyncapiEventRules } from './asyncapi-events.js';
import { openapiAnnotationRules } from './openapi-annotations.js';
import { openapiMessageRules } from './openapi-messages.js';
import { openapiOperationRules } from './openapi-operations.js';
import { openapiParameterRules } from './openapi-parameters.js';
import { openapiSecurityRules } from './openapi-security.js';
import type { Rule } from './rule.js';
import { schemaArrayRules } from './schema-arrays.js';
import { schemaBoundRules } from './schema-bounds.js';
import { schemaCombinatorRules } from './schema-combinators.js';
import { schemaDependencyRules } from './schema-dependencies.js';
import { schemaObjectRules } from './schema-objects.js';
import { schemaStringRules } from './schema-strings.js';
import { schemaTypeRules } from './schema-types.js';
import { schemaValueRules } from './schema-values.js';

export type { Level, Rule, RuleDirection } from './rule.js';

/** Every rule, in catalog order. Ids are stable: never rename one (add a new rule instead). */
export const rules: readonly Rule[] = [
  ...schemaObjectRules,
  ...schemaTypeRules,
  ...schemaValueRules,
  ...schemaBoundRules,
  ...schemaStringRules,
  ...schemaArrayRules,
  ...schemaDependencyRules,
  ...schemaCombinatorRules,
  ...openapiOperationRules,
  ...openapiMessageRules,
  ...openapiSecurityRules,
  ...openapiParameterRules,
  ...openapiAnnotationRules,
  ...asyncapiEventRules,
  ...asyncapiChannelRules,
];

const byId = new Map(rules.map((r) => [r.id, r]));

export function ruleById(id: string): Rule {
  const rule = byId.get(id);
  if (!rule) throw new Error(`Unknown rule id ${id}`);
  return rule;
}
