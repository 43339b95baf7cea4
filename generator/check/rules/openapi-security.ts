import { defineRules } from './rule.js';

/** Security schemes (components) and the scopes operations ask for. */
export const openapiSecurityRules = defineRules('OpenAPI: security schemes and scopes', [
  {
    id: 'security-scheme-changed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'operation',
    purpose:
      'A security scheme changed how the credential is sent: `type`, `in`, `name`, the HTTP `scheme`, the OpenID Connect URL, or an OAuth flow was removed.',
    message: '{detail} of {subject} changed from {old} to {new}',
  },
  {
    id: 'security-scheme-bearer-format-changed',
    level: 'warn',
    breaks: ['bwd'],
    direction: 'operation',
    purpose: 'The bearer format of a scheme changed (a hint about the token; old tokens may no longer fit).',
    message: 'bearer format of {subject} changed from {old} to {new}',
  },
  {
    id: 'security-oauth-url-changed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'operation',
    purpose: 'An OAuth flow URL (authorization, token, refresh) changed: old clients ask the old one.',
    message: '{detail} of {subject} changed from {old} to {new}',
  },
  {
    id: 'security-scope-removed',
    level: 'error',
    breaks: ['bwd'],
    direction: 'operation',
    purpose: 'An OAuth scope was removed from a scheme: old clients that request it are refused a token.',
    message: '{detail} removed from {subject}',
  },
  {
    id: 'security-scope-added',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose: 'An OAuth scope was added to a scheme.',
    message: '{detail} added to {subject}',
  },
  {
    id: 'security-scheme-removed',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose:
      'A security scheme was removed from the components (operations that used it report their own security change).',
    message: '{subject} removed',
  },
  {
    id: 'security-scheme-added',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose: 'A security scheme was added to the components.',
    message: '{subject} added',
  },
  {
    id: 'security-requirement-scopes-added',
    level: 'error',
    breaks: ['bwd'],
    direction: 'operation',
    purpose:
      'An operation asks for more scopes of a scheme: old clients hold tokens without them. Security alternatives are paired by the schemes they name, not by position (reordering them is no change), and scopes by name.',
    message: 'scopes of {detail} required by {subject} changed from {old} to {new}',
  },
  {
    id: 'security-requirement-scopes-removed',
    level: 'info',
    breaks: [],
    direction: 'operation',
    purpose: 'An operation asks for fewer scopes of a scheme.',
    message: 'scopes of {detail} required by {subject} relaxed from {old} to {new}',
  },
]);
