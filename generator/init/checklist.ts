import { derivedOperationId } from '../model/operation-ids.js';
import type { FoundSpec } from './adopt.js';

/** One line of what adopted specs have and still lack. */
export interface ChecklistItem {
  /** `done`: in place; `todo`: generate needs it or refuses; `optional`: a default applies until set. */
  readonly status: 'done' | 'todo' | 'optional';
  readonly file: string;
  readonly text: string;
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, Record<string, unknown>][] =>
  isObject(v) ? Object.entries(v).filter((e): e is [string, Record<string, unknown>] => isObject(e[1])) : [];
const some = (names: readonly string[]) =>
  names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;

/**
 * What evtgen needs from specs a team already has, read from the documents as written (no
 * validation: `evtgen lint` does that). Each item names the file and the fix; the conventions are
 * in docs/specs.md.
 */
export function specChecklist(specs: readonly FoundSpec[]): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const hasMessages = specs.some(
    (s) => s.kind === 'asyncapi' && entries(componentsMessages(s.document)).length > 0,
  );
  for (const spec of specs) {
    if (spec.kind === 'swagger')
      items.push({
        status: 'todo',
        file: spec.path,
        text: `Swagger ${spec.version}: convert it to OpenAPI 3.x (evtgen reads OpenAPI 3.0 and 3.1)`,
      });
    else if (spec.kind === 'openapi') items.push(...openApiItems(spec, hasMessages));
    else items.push(...asyncApiItems(spec));
  }
  return items;
}

function openApiItems(spec: FoundSpec, hasMessages: boolean): ChecklistItem[] {
  const file = spec.path;
  const doc = spec.document;
  if (!/^3\.[01]\./.test(spec.version))
    return [{ status: 'todo', file, text: `OpenAPI ${spec.version}: evtgen reads OpenAPI 3.0 and 3.1` }];
  const operations = entries(doc.paths).flatMap(([path, item]) =>
    methods
      .filter((m) => isObject(item[m]))
      .map((m) => ({ label: `${m.toUpperCase()} ${path}`, op: item[m] as Record<string, unknown> })),
  );
  const items: ChecklistItem[] = [];
  const noId = operations.filter((o) => typeof o.op.operationId !== 'string').map((o) => o.label);
  items.push(
    noId.length === 0
      ? { status: 'done', file, text: `every operation has an operationId (${operations.length})` }
      : {
          status: 'optional',
          file,
          text: `operationId missing on ${some(noId)}: evtgen names the route, handler and types from method and path (${noId[0]} → ${derivedOperationId(...methodAndPath(noId[0] ?? ''))})`,
        },
  );
  const documentSecured = Array.isArray(doc.security);
  const open = operations
    .filter((o) => !documentSecured && !Array.isArray(o.op.security))
    .map((o) => o.label);
  items.push(
    open.length === 0
      ? { status: 'done', file, text: 'every operation declares its security' }
      : {
          status: 'todo',
          file,
          text: `no security on ${some(open)}: declare securitySchemes and security (JWT or IAM), or \`security: []\` for a public route; evtgen never deploys a route open by omission`,
        },
  );
  if (hasMessages && !operations.some((o) => o.op['x-emits'] !== undefined))
    items.push({
      status: 'optional',
      file,
      text: 'x-emits: no operation names the events it publishes, so no handler gets a typed publisher',
    });
  if (doc['x-throttling'] === undefined)
    items.push({
      status: 'optional',
      file,
      text: 'x-throttling: without it the API allows 1,000 requests/s, burst 2,000',
    });
  return items;
}

function asyncApiItems(spec: FoundSpec): ChecklistItem[] {
  const file = spec.path;
  const doc = spec.document;
  if (!spec.version.startsWith('3.0'))
    return [
      {
        status: 'todo',
        file,
        text: `AsyncAPI ${spec.version}: evtgen reads 3.0 (\`asyncapi convert\` turns 2.x into 3.0)`,
      },
    ];
  const items: ChecklistItem[] = [];
  const info = isObject(doc.info) ? doc.info : {};
  const eventbridge = isObject(info['x-eventbridge']) ? info['x-eventbridge'] : {};
  items.push(
    typeof eventbridge.source === 'string'
      ? { status: 'done', file, text: `EventBridge source: ${eventbridge.source}` }
      : {
          status: 'optional',
          file,
          text: 'info.x-eventbridge.source: the EventBridge source defaults to the kebab-cased title; set it (e.g. com.acme.orders) before consumers depend on it',
        },
  );
  const operations = entries(doc.operations);
  const sends = operations.filter(([, op]) => op.action === 'send');
  const receives = operations.filter(([, op]) => op.action === 'receive');
  if (operations.length === 0)
    items.push({
      status: 'todo',
      file,
      text: 'no operations: add `send` operations for the events the service publishes and `receive` operations for those it consumes',
    });
  else
    items.push({
      status: 'done',
      file,
      text: `${sends.length} send and ${receives.length} receive operation(s)`,
    });
  const defaults = receives.filter(([, op]) => op['x-consumer'] === undefined).map(([id]) => id);
  if (defaults.length > 0)
    items.push({
      status: 'optional',
      file,
      text: `x-consumer on ${some(defaults)}: default delivery applies (rule → SQS queue with DLQ → Lambda, batches of 10, named after the operation)`,
    });
  const messages = [
    ...entries(componentsMessages(doc)),
    ...entries(doc.channels).flatMap(([, c]) => entries(c.messages)),
  ];
  const noCorrelation = messages.filter(([, m]) => m.correlationId === undefined).map(([name]) => name);
  if (noCorrelation.length > 0)
    items.push({
      status: 'optional',
      file,
      text: `correlationId on ${some(noCorrelation)}: consumers log a correlation id only where a message says where it is`,
    });
  return items;
}

function componentsMessages(doc: Record<string, unknown>): unknown {
  return isObject(doc.components) ? doc.components.messages : undefined;
}

/** The checklist as printed: `[x]` done, `[ ]` to do, `[~]` optional (a default applies). */
export function renderChecklist(items: readonly ChecklistItem[]): string[] {
  const mark = { done: '[x]', todo: '[ ]', optional: '[~]' } as const;
  return items.map((item) => `  ${mark[item.status]} ${item.file}: ${item.text}`);
}

/** `GET /pets/{petId}` → ['GET', '/pets/{petId}']. */
function methodAndPath(label: string): [string, string] {
  const at = label.indexOf(' ');
  return [label.slice(0, at), label.slice(at + 1)];
}
