import { defineRules } from './rule.js';

export const asyncapiEventRules = defineRules('AsyncAPI: event types on EventBridge', [
  {
    id: 'message-removed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'event',
    purpose:
      'An event type (message) was removed without a deprecation and sunset: its consumers stop getting it, or a consumer stops handling events still arriving.',
    message: '{subject} removed without deprecation',
  },
  {
    id: 'message-removed-before-sunset',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'event',
    purpose: 'A deprecated event type was removed before its `x-sunset` date (or without one).',
    message: '{subject} removed before its sunset ({old})',
  },
  {
    id: 'message-removed-after-sunset',
    level: 'info',
    breaks: [],
    direction: 'event',
    purpose: 'A deprecated event type was removed after its `x-sunset` date.',
    message: '{subject} removed after its sunset ({old})',
  },
  {
    id: 'message-added',
    level: 'info',
    breaks: [],
    direction: 'event',
    purpose:
      'A new event type. EventBridge rules route by source and detail-type, so existing consumers do not receive it.',
    message: '{subject} added',
  },
  {
    id: 'event-source-changed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'event',
    purpose: 'The EventBridge `source` changed: every rule matching the old source stops matching.',
    message: 'EventBridge source of {subject} changed from {old} to {new}',
  },
  {
    id: 'event-detail-type-changed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'event',
    purpose: 'The EventBridge `detail-type` changed: every rule matching the old detail-type stops matching.',
    message: 'EventBridge detail-type of {subject} changed from {old} to {new}',
  },
  {
    id: 'event-content-type-changed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'event',
    purpose: 'The message `contentType` changed: readers decode the payload another way.',
    message: 'contentType of {subject} changed from {old} to {new}',
  },
  {
    id: 'event-schema-format-changed',
    level: 'error',
    breaks: ['bwd', 'fwd'],
    direction: 'event',
    purpose: 'The payload `schemaFormat` changed.',
    message: 'schemaFormat of {subject} changed from {old} to {new}',
  },
  {
    id: 'event-correlation-id-changed',
    level: 'warn',
    breaks: ['bwd', 'fwd'],
    direction: 'event',
    purpose:
      'The correlation id moved or was removed: consumers look for it where the old contract said, and logs lose the end-to-end trace.',
    message: 'correlation id of {subject} moved from {old} to {new}',
  },
  {
    id: 'message-deprecated',
    level: 'info',
    breaks: [],
    direction: 'event',
    purpose: 'An event type was marked deprecated (a lifecycle notice).',
    message: '{subject} deprecated (sunset {new})',
  },
]);
