// The system view of `evtgen docs --service DIR…`: the services whose docs are built together, and
// every event type of the system once — its owner, its registry versions, and who produces and
// who consumes it in which service — with links into each service's pages.

import { registrySchemaName } from '../emit/registry-content.js';
import type { ContractModel, EventType } from '../model/contract.js';
import { asyncOperationAnchor } from './anchors.js';
import type { DocsPage } from './index-page.js';
import { text } from './index-page.js';

/** One service of the site: its model, its pages and where they are in the site. */
export interface SiteService {
  readonly model: ContractModel;
  readonly pages: readonly DocsPage[];
  /** Folder of its pages in the site, '' for the project `evtgen docs` runs in, else `services/<name>/`. */
  readonly prefix: string;
  /** Subject → the versions its registry store holds. */
  readonly published: ReadonlyMap<string, number>;
}

interface SystemLink {
  readonly label: string;
  readonly href?: string;
  readonly note?: string;
}

export interface SystemEvent {
  readonly subject: string;
  readonly name: string;
  /** The service whose AsyncAPI document defines it (not a pinned copy); absent: none of these. */
  readonly owner?: SystemLink;
  /** `v1 … v3` of the owner's registry, or '' when unpublished. */
  readonly versions: string;
  readonly producers: readonly SystemLink[];
  readonly consumers: readonly SystemLink[];
}

export interface SystemView {
  readonly services: readonly SystemLink[];
  readonly events: readonly SystemEvent[];
}

function operationLink(service: SiteService, op: ContractModel['eventOperations'][number]): SystemLink {
  const page = service.pages.find((p) => p.source === op.origin.file);
  return {
    label: `${service.model.service.name} · ${op.operationId}`,
    ...(page
      ? {
          href: `${service.prefix}${page.href}${asyncOperationAnchor(page.document, op.channel.name, op.operationId)}`,
        }
      : {}),
  };
}

export function buildSystemView(services: readonly SiteService[]): SystemView {
  const bySubject = new Map<
    string,
    { name: string; owner?: SiteService; uses: { service: SiteService; event: EventType }[] }
  >();
  for (const service of services) {
    for (const event of service.model.events) {
      const subject = event.external?.subject ?? registrySchemaName(event);
      const entry = bySubject.get(subject) ?? { name: event.messageName, uses: [] };
      if (!event.external) entry.owner = service;
      entry.uses.push({ service, event });
      bySubject.set(subject, entry);
    }
  }
  const events = [...bySubject.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([subject, entry]): SystemEvent => {
      const count = entry.owner?.published.get(subject) ?? 0;
      const side = (action: 'send' | 'receive') =>
        entry.uses.flatMap(({ service, event }) =>
          service.model.eventOperations
            .filter((op) => op.action === action && op.events.includes(event.names.payload))
            .map((op) => ({
              ...operationLink(service, op),
              ...(event.external ? { note: `pinned v${event.external.version}` } : {}),
            })),
        );
      const emitters = entry.uses.flatMap(({ service, event }) =>
        service.model.httpOperations
          .filter((op) => op.emits.includes(event.names.payload))
          .map((op) => ({ label: `${service.model.service.name} · ${op.method.toUpperCase()} ${op.path}` })),
      );
      return {
        subject,
        name: entry.name,
        ...(entry.owner
          ? { owner: { label: entry.owner.model.service.name, href: `${entry.owner.prefix}index.html` } }
          : {}),
        versions: count === 0 ? '' : count === 1 ? 'v1' : `v1 … v${count}`,
        producers: [...side('send'), ...emitters],
        consumers: side('receive'),
      };
    });
  return {
    services: services.map((s) => ({
      label: s.model.service.title || s.model.service.name,
      href: `${s.prefix}index.html`,
      note: `${s.model.service.name}${s.model.service.version ? ` · ${s.model.service.version}` : ''}`,
    })),
    events,
  };
}

function systemLinks(items: readonly SystemLink[], role: string): string {
  if (items.length === 0) return '<span class="muted">none</span>';
  return `<ul>${items
    .map((item) => {
      const label = item.href
        ? `<a data-role="${text(role)}" href="${text(item.href)}">${text(item.label)}</a>`
        : `<span data-role="${text(role)}">${text(item.label)}</span>`;
      return `<li>${label}${item.note ? ` <span class="muted">${text(item.note)}</span>` : ''}</li>`;
    })
    .join('')}</ul>`;
}

/** The `<section>` the index page shows above its own events when docs span several services. */
export function renderSystemSection(view: SystemView): string {
  const rows = view.events
    .map(
      (e) => `<tr id="system-${text(e.subject)}">
<td>${text(e.name)}<br><code class="muted">${text(e.subject)}</code></td>
<td>${e.owner ? systemLinks([e.owner], 'owner') : '<span class="muted">not among these services</span>'}</td>
<td>${e.versions ? text(e.versions) : '<span class="muted">unpublished</span>'}</td>
<td>${systemLinks(e.producers, 'system-producer')}</td>
<td>${systemLinks(e.consumers, 'system-consumer')}</td>
</tr>`,
    )
    .join('\n');
  return `<section id="system">
<h2>System <span class="muted">(${view.services.length} services, ${view.events.length} event types)</span></h2>
${systemLinks(view.services, 'service')}
<table>
<thead><tr><th>Event</th><th>Owner</th><th>Registry</th><th>Producers</th><th>Consumers</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}
