import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempProject } from '../helpers/project.js';

/** Properties of the `Thing` payload: name → schema (YAML flow text). */
export interface SpecShape {
  readonly properties: Record<string, string>;
  readonly required?: readonly string[];
  readonly closed?: boolean;
  /** x-compatibility.mode of the message (default: by who reads it). */
  readonly mode?: string;
  /** Who reads it: send + receive (default, `full`), only send, only receive. */
  readonly actions?: readonly ('send' | 'receive')[];
  readonly version?: string;
}

/** A one-event AsyncAPI document: `ThingHappened` from `test.things`, payload `ThingPayload`. */
export function specText(shape: SpecShape): string {
  const props = Object.entries(shape.properties)
    .map(([k, v]) => `        ${k}: ${v}`)
    .join('\n');
  const actions = shape.actions ?? ['send', 'receive'];
  const ops = actions
    .map(
      (a) => `  ${a}Thing:
    action: ${a}
    channel:
      $ref: '#/channels/things'
    messages:
      - $ref: '#/channels/things/messages/ThingHappened'`,
    )
    .join('\n');
  return `asyncapi: 3.0.0
info:
  title: Things
  version: ${shape.version ?? '1.0.0'}
  x-eventbridge:
    source: test.things
channels:
  things:
    address: things-bus
    messages:
      ThingHappened:
        $ref: '#/components/messages/ThingHappened'
operations:
${ops}
components:
  messages:
    ThingHappened:
      name: ThingHappened
      contentType: application/json
${shape.mode ? `      x-compatibility:\n        mode: ${shape.mode}\n` : ''}      payload:
        $ref: '#/components/schemas/ThingPayload'
  schemas:
    ThingPayload:
      type: object
${shape.closed === false ? '' : '      additionalProperties: false\n'}${shape.required?.length ? `      required: [${shape.required.join(', ')}]\n` : ''}      properties:
${props}
`;
}

export const subject = 'test.things@ThingHappened';

export async function thingProject(shape: SpecShape): Promise<string> {
  const dir = await tempProject({ 'specs/things.asyncapi.yaml': specText(shape) });
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'init');
  return dir;
}

export async function setSpec(dir: string, shape: SpecShape): Promise<void> {
  await writeFile(join(dir, 'specs', 'things.asyncapi.yaml'), specText(shape), 'utf8');
}
