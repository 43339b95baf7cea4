import { basename } from 'node:path';
import { splitWords, toKebabName, toValueName } from '../model/naming.js';

/** What `evtgen init` asks for: everything else in the starter derives from these. */
export interface StarterSettings {
  /** The service name: kebab-case, used for files, queues, the bus and the package name. */
  readonly name: string;
  /** The EventBridge `source` of the service's events. */
  readonly source: string;
}

/** The values the starter templates are rendered with. */
export interface StarterData extends StarterSettings {
  readonly title: string;
  readonly busName: string;
  readonly channelName: string;
}

const namePattern = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// EventBridge: up to 256 characters; reverse-DNS by convention. The `aws.` prefix is reserved.
const sourcePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/;

/** Why `name` cannot be a service name, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (!namePattern.test(name)) {
    return `"${name}" is not a service name: use lower-case letters, digits and single hyphens, starting with a letter (e.g. "inventory" or "order-history")`;
  }
  if (name.length > 40)
    return `"${name}" is too long for a service name: at most 40 characters (it prefixes queue names)`;
  return undefined;
}

/** Why `source` cannot be an EventBridge source, or undefined when it can. */
export function sourceProblem(source: string): string | undefined {
  if (!sourcePattern.test(source)) {
    return `"${source}" is not an EventBridge source: letters, digits, ".", "_" and "-", e.g. "com.example.inventory"`;
  }
  if (source.startsWith('aws.'))
    return `"${source}" is reserved: sources starting with "aws." belong to AWS services`;
  return undefined;
}

/** The default service name of a folder: its name in kebab-case ("My Service" → "my-service"). */
export function defaultName(dir: string): string {
  const name = toKebabName(basename(dir)).replace(/^[^a-z]+/, '');
  return name && !nameProblem(name) ? name : 'service';
}

export function defaultSource(name: string): string {
  return `com.example.${name}`;
}

export function starterData(settings: StarterSettings): StarterData {
  return {
    ...settings,
    title: splitWords(settings.name)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' '),
    busName: `${settings.name}-bus`,
    channelName: `${toValueName(settings.name)}Events`,
  };
}
