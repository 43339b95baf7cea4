import type { ContractModel, EventType } from '../model/contract.js';
import { asyncOperationAnchor, httpOperationAnchor, messageAnchor } from './anchors.js';

/** One spec document's Redocly page. */
export interface DocsPage {
  readonly kind: 'asyncapi' | 'openapi';
  /** The document, project-relative (`specs/orders.openapi.yaml`). */
  readonly source: string;
  /** The page, relative to the docs folder (`orders.openapi.html`). */
  readonly href: string;
  readonly title: string;
  readonly version: string;
  /** The parsed document: anchors are computed from it as Redoc sees it. */
  readonly document: unknown;
}

/**
 * What the index shows as an event type's registry version (`v2`, `v2 (pinned from …)`, `changed
 * since v3`); undefined: the event was never published, and the index says "unversioned".
 * `buildDocs` reads it from the project's registry store (docs/registry-versions.ts).
 */
export type RegistryVersionLookup = (event: EventType) => string | undefined;

interface Link {
  readonly label: string;
  readonly href?: string;
  /** A short note after the link, e.g. the consumer's delivery. */
  readonly note?: string;
}

interface IndexEvent {
  readonly id: string;
  readonly name: string;
  readonly summary?: string;
  readonly href?: string;
  readonly source: string;
  readonly detailType: string;
  readonly registryVersion?: string;
  readonly specVersion?: string;
  readonly producers: readonly Link[];
  readonly consumers: readonly Link[];
  /** Links to the event's code bindings, when `evtgen docs --bindings` was given. */
  readonly bindings?: readonly Link[];
}

interface IndexOperation {
  readonly id: string;
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly summary?: string;
  readonly href: string;
  readonly emits: readonly Link[];
}

/** What the index shows, derived from the contract model and the pages: plain data, sorted. */
export interface IndexView {
  readonly title: string;
  readonly version: string;
  readonly pages: readonly DocsPage[];
  readonly events: readonly IndexEvent[];
  readonly operations: readonly IndexOperation[];
  /** Whether the events table has a bindings column. */
  readonly bindings: boolean;
}

const eventId = (payloadName: string) => `event-${payloadName}`;
const operationId = (name: string) => `operation-${name}`;

export function buildIndexView(
  model: ContractModel,
  pages: readonly DocsPage[],
  registryVersion: RegistryVersionLookup = () => undefined,
  bindingsOf?: (event: EventType) => Link[],
): IndexView {
  const pageOf = (file: string) => pages.find((p) => p.source === file);
  const asyncPages = pages.filter((p) => p.kind === 'asyncapi');
  const httpOperations = model.httpOperations.map((op): IndexOperation => {
    const page = pageOf(op.origin.file);
    const anchor = page ? httpOperationAnchor(page.document, op.origin.pointer, op.operationId) : '';
    return {
      id: operationId(op.name),
      method: op.method.toUpperCase(),
      path: op.path,
      operationId: op.operationId,
      ...(op.summary ? { summary: op.summary } : {}),
      href: `${page?.href ?? ''}${anchor}`,
      emits: op.emits.map((name) => ({ label: eventLabel(model, name), href: `#${eventId(name)}` })),
    };
  });
  const asyncOperationLink = (op: ContractModel['eventOperations'][number]): Link => {
    const page = pageOf(op.origin.file);
    const consumer = model.consumers.find((c) => c.operationId === op.operationId);
    return {
      label: op.operationId,
      ...(page
        ? { href: `${page.href}${asyncOperationAnchor(page.document, op.channel.name, op.operationId)}` }
        : {}),
      ...(consumer
        ? {
            note: `${consumer.name}: ${consumer.delivery === 'queue' ? 'rule → SQS → Lambda' : 'rule → Lambda'}`,
          }
        : {}),
    };
  };
  const events = model.events.map((event): IndexEvent => {
    const located = asyncPages
      .map((page) => ({
        page,
        anchor: messageAnchor(page.document, page.source, event.origin.file, event.origin.pointer),
      }))
      .find((found) => found.anchor !== undefined);
    const page = located?.page ?? pageOf(event.origin.file) ?? asyncPages[0];
    const uses = (action: 'send' | 'receive') =>
      model.eventOperations
        .filter((op) => op.action === action && op.events.includes(event.names.payload))
        .map(asyncOperationLink);
    const registry = registryVersion(event);
    return {
      id: eventId(event.names.payload),
      name: event.messageName,
      ...(event.summary ? { summary: event.summary } : {}),
      ...(page ? { href: `${page.href}${located?.anchor ?? ''}` } : {}),
      source: event.source,
      detailType: event.detailType,
      ...(registry ? { registryVersion: registry } : {}),
      ...(page?.version ? { specVersion: page.version } : {}),
      producers: [
        ...uses('send'),
        ...model.httpOperations
          .filter((op) => op.emits.includes(event.names.payload))
          .map((op) => ({
            label: `${op.method.toUpperCase()} ${op.path}`,
            href: `#${operationId(op.name)}`,
            note: op.operationId,
          })),
      ],
      consumers: uses('receive'),
      ...(bindingsOf ? { bindings: bindingsOf(event) } : {}),
    };
  });
  return {
    title: model.service.title || model.service.name,
    version: model.service.version,
    pages,
    events,
    operations: httpOperations,
    bindings: bindingsOf !== undefined,
  };
}

function eventLabel(model: ContractModel, payloadName: string): string {
  return model.events.find((e) => e.names.payload === payloadName)?.messageName ?? payloadName;
}

/** The index page: evtgen's own HTML, self-contained (inline CSS, no script, no external asset). */
export function renderIndexPage(view: IndexView, systemSection?: string): string {
  const title = `${view.title}${view.version ? ` ${view.version}` : ''}`;
  const pages = view.pages
    .map(
      (p) =>
        `<li><a href="${attr(p.href)}">${text(p.title)}</a> <span class="muted">${p.kind === 'asyncapi' ? 'AsyncAPI' : 'OpenAPI'} · ${text(p.source)}${p.version ? ` · ${text(p.version)}` : ''}</span></li>`,
    )
    .join('\n');
  const events = view.events.map(renderEvent).join('\n');
  const operations = view.operations.map(renderOperation).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="evtgen docs">
<title>${text(title)}: contracts</title>
<style>${css}</style>
</head>
<body>
<header>
<h1>${text(title)}</h1>
<p>Every event and HTTP operation of the service, with who publishes and who consumes each event. Names link to the full reference.</p>
<ul class="pages">
${pages}
</ul>
</header>
<main>
${systemSection ? `${systemSection}\n` : ''}<section id="events">
<h2>Events <span class="muted">(${view.events.length})</span></h2>
${view.events.length > 0 ? `<table>\n<thead><tr><th>Event</th><th>source / detail-type</th><th>Version</th><th>Producers</th><th>Consumers</th>${view.bindings ? '<th>Bindings</th>' : ''}</tr></thead>\n<tbody>\n${events}\n</tbody>\n</table>` : '<p class="muted">No AsyncAPI messages.</p>'}
</section>
<section id="operations">
<h2>HTTP operations <span class="muted">(${view.operations.length})</span></h2>
${view.operations.length > 0 ? `<table>\n<thead><tr><th>Operation</th><th>operationId</th><th>Emits</th></tr></thead>\n<tbody>\n${operations}\n</tbody>\n</table>` : '<p class="muted">No OpenAPI operations.</p>'}
</section>
</main>
<footer class="muted">Generated by evtgen from the specs; do not edit.</footer>
</body>
</html>
`;
}

function renderEvent(event: IndexEvent): string {
  const version = event.registryVersion
    ? text(event.registryVersion)
    : `unversioned${event.specVersion ? `<br><span class="muted">spec ${text(event.specVersion)}</span>` : ''}`;
  return `<tr id="${attr(event.id)}">
<td>${link({ label: event.name, ...(event.href ? { href: event.href } : {}) }, 'event')}${event.summary ? `<br><span class="muted">${text(event.summary)}</span>` : ''}</td>
<td><code>${text(event.source)}</code><br><code>${text(event.detailType)}</code></td>
<td>${version}</td>
<td>${links(event.producers, 'producer')}</td>
<td>${links(event.consumers, 'consumer')}</td>${event.bindings ? `\n<td>${links(event.bindings, 'bindings')}</td>` : ''}
</tr>`;
}

function renderOperation(op: IndexOperation): string {
  return `<tr id="${attr(op.id)}">
<td>${link({ label: `${op.method} ${op.path}`, href: op.href }, 'operation')}${op.summary ? `<br><span class="muted">${text(op.summary)}</span>` : ''}</td>
<td><code>${text(op.operationId)}</code></td>
<td>${links(op.emits, 'emits')}</td>
</tr>`;
}

function links(items: readonly Link[], role: string): string {
  if (items.length === 0) return '<span class="muted">none</span>';
  return `<ul>${items.map((item) => `<li>${link(item, role)}${item.note ? ` <span class="muted">${text(item.note)}</span>` : ''}</li>`).join('')}</ul>`;
}

/** `data-role` lets tests (and readers' tools) find each kind of link. */
function link(item: Link, role: string): string {
  return item.href
    ? `<a data-role="${attr(role)}" href="${attr(item.href)}">${text(item.label)}</a>`
    : `<span data-role="${attr(role)}">${text(item.label)}</span>`;
}

/** Spec text is untrusted: every character HTML gives a meaning to is escaped. */
export function text(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => entities[ch] ?? ch);
}

/** Attribute values are always double-quoted and escaped like text. */
const attr = text;

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

const css = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#fff;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--bg:#0d1117;--accent:#4493f8}}
body{margin:0 auto;max-width:72rem;padding:1.5rem;font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
h1{margin:.2rem 0}h2{margin-top:2rem;border-bottom:1px solid var(--line)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid var(--line)}
th{font-weight:600;font-size:.85rem;color:var(--muted)}
ul{margin:0;padding-left:1.1rem}td ul{padding-left:0;list-style:none}
code{font:13px ui-monospace,monospace}.muted{color:var(--muted);font-size:.85rem}
tr:target{outline:2px solid var(--accent)}footer{margin-top:2rem}
`.trim();
