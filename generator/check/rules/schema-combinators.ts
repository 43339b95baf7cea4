import { defineRules } from './rule.js';

export const schemaCombinatorRules = defineRules('schema: combinators and undecidable changes', [
  {
    id: 'union-branch-added',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A oneOf/anyOf branch accepts values no old branch accepts.',
    message: 'new oneOf/anyOf branch ({detail})',
  },
  {
    id: 'union-branch-removed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose: 'A oneOf/anyOf branch was removed and no remaining branch accepts its values.',
    message: 'oneOf/anyOf branch removed ({detail})',
  },
  {
    id: 'oneof-branches-overlap',
    level: 'warn',
    breaks: ['bwd', 'fwd'],
    direction: 'schema',
    purpose:
      'oneOf needs exactly one matching branch; the branches may overlap after the change (no discriminating type, const or enum was found, and the other branch does not lie within another branch of the old oneOf).',
    message: 'oneOf branches may overlap ({detail})',
  },
  {
    id: 'schema-change-undecided',
    level: 'warn',
    breaks: ['bwd', 'fwd'],
    direction: 'schema',
    purpose:
      'A change the engine does not decide (not, if/then/else, contains, propertyNames, unevaluatedItems, unevaluated* beside combinators, conjunctions it cannot merge): reported, never assumed compatible.',
    message: 'cannot decide the compatibility of this change ({detail})',
  },
]);
