/**
 * The `/_evtgen/` endpoints of `evtgen dev` beside the service's routes, for the tools that drive a
 * running session (`evtgen load`, `evtgen events send`, the flow tests):
 *
 * - `GET /_evtgen/status`: counters, dead-letter queues, backlogs, subscriptions, injected faults.
 * - `GET /_evtgen/journal?after=SEQ&limit=N`: what happened to each event since position SEQ.
 * - `GET|PUT|DELETE /_evtgen/faults`: read, replace or clear the faults injected at run time.
 *
 * The server listens on loopback only; these endpoints change nothing but the injected faults.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DevFaults, parseDevFaults } from './dev-faults.js';
import type { DevStatus } from './dev-status.js';
import type { EventJournal } from './event-journal.js';
import type { ExtraRouteHandler } from './http-server.js';
import { readBody } from './read-body.js';

export interface DevControl {
  readonly status: () => Promise<DevStatus>;
  readonly journal: EventJournal;
  readonly functionNames: () => readonly string[];
  readonly faults: () => DevFaults;
  readonly setFaults: (faults: DevFaults) => void;
}

export function controlRoutes(control: DevControl): Record<string, ExtraRouteHandler> {
  return {
    '/_evtgen/status': async (request, response) => {
      if (!allow(request, response, ['GET'])) return;
      json(response, 200, await control.status());
    },
    '/_evtgen/journal': async (request, response) => {
      if (!allow(request, response, ['GET'])) return;
      const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
      const after = Number(query.get('after') ?? 0);
      const limit = Number(query.get('limit') ?? 10_000);
      if (!Number.isInteger(after) || after < 0 || !Number.isInteger(limit) || limit < 1 || limit > 100_000) {
        json(response, 400, { message: 'expected ?after=<position ≥ 0>&limit=<1–100000>' });
        return;
      }
      json(response, 200, control.journal.read(after, limit));
    },
    '/_evtgen/faults': async (request, response) => {
      if (!allow(request, response, ['GET', 'PUT', 'DELETE'])) return;
      if (request.method === 'PUT') {
        const body = await readBody(request, 1024 * 1024);
        if (!body.ok) {
          json(response, body.reason === 'too-large' ? 413 : 400, {
            message: `PUT /_evtgen/faults: ${body.reason === 'too-large' ? 'the body is over 1 MB' : 'the body was cut off'}`,
          });
          return;
        }
        try {
          const text = body.body.toString('utf8');
          control.setFaults(parseDevFaults(JSON.parse(text), control.functionNames()));
        } catch (error) {
          json(response, 400, { message: `PUT /_evtgen/faults: ${(error as Error).message}` });
          return;
        }
      } else if (request.method === 'DELETE') control.setFaults({});
      json(response, 200, control.faults());
    },
  };
}

function allow(request: IncomingMessage, response: ServerResponse, methods: readonly string[]): boolean {
  if (methods.includes(request.method ?? 'GET')) return true;
  response.writeHead(405, { allow: methods.join(', '), 'content-type': 'application/json' });
  response.end(JSON.stringify({ message: `${request.method} is not allowed here: ${methods.join(', ')}` }));
  return false;
}

function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}
