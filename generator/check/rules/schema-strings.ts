import { defineRules } from './rule.js';

export const schemaStringRules = defineRules('schema: pattern and format', [
  {
    id: 'pattern-added',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose: 'Strings must now match a pattern.',
    message: 'pattern {new} added',
  },
  {
    id: 'pattern-removed',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'Strings no longer have to match a pattern.',
    message: 'pattern {old} removed',
  },
  {
    id: 'pattern-changed',
    level: 'warn',
    breaks: ['bwd', 'fwd'],
    direction: 'schema',
    purpose:
      'A pattern changed in a way not decided (only literal patterns, anchored at the start, the end, both or neither, are compared), so this is a warning.',
    message: 'pattern changed from {old} to {new}',
  },
  {
    id: 'pattern-tightened',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose:
      'A literal pattern now matches fewer strings (e.g. `^ab` → `^abc`): a string that matched before does not.',
    message: 'pattern tightened from {old} to {new}',
  },
  {
    id: 'pattern-loosened',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'A literal pattern now matches more strings (e.g. `^abc` → `^ab`).',
    message: 'pattern loosened from {old} to {new}',
  },
  {
    id: 'pattern-replaced',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'schema',
    purpose: 'A literal pattern changed so that neither includes the other (e.g. `^ab` → `^cd`).',
    message: 'pattern replaced: {old} → {new}',
  },
  {
    id: 'format-added',
    level: 'error',
    breaks: ['bwd'],
    direction: 'schema',
    purpose:
      'Strings must now have a format the generated validators assert (ajv-formats; `password`, `binary` and number formats such as int32 assert nothing on strings).',
    message: 'format {new} added',
  },
  {
    id: 'format-removed',
    level: 'error',
    breaks: ['fwd'],
    direction: 'schema',
    purpose: 'An asserted format was removed.',
    message: 'format {old} removed',
  },
  {
    id: 'format-changed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'schema',
    purpose:
      'An asserted format changed to another asserted format; when one includes the other (ajv-formats: date-time ⊆ iso-date-time, time ⊆ iso-time, uri ⊆ uri-reference) only the direction it narrows breaks.',
    message: 'format changed from {old} to {new}',
  },
]);
