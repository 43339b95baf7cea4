/**
 * The limits AWS enforces at deploy time on what evtgen generates, in one place, each with where it
 * comes from. `evtgen generate` refuses a spec that breaks one (model/deploy-checks.ts) instead of
 * letting `cdk deploy` fail minutes later. docs/deploy-checks.md lists them for users.
 */

/** A name AWS restricts: its length and the characters (whole-name pattern) it accepts. */
export interface NameLimit {
  /** What the name is, for messages: "SQS queue name". */
  readonly what: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** The whole name must match. */
  readonly pattern: RegExp;
  /** The allowed characters in words, for messages. */
  readonly allowed: string;
  /** Where the numbers come from. */
  readonly source: string;
}

export const nameLimits = {
  /** PutEventsRequestEntry.Source; the `aws.` prefix is reserved for AWS services. */
  eventSource: {
    what: 'EventBridge source',
    minLength: 1,
    maxLength: 256,
    pattern: /^(?!aws\.)[A-Za-z0-9._\-/][\s\S]*$/,
    allowed: 'starting with a letter, digit, ".", "_", "-" or "/", and not with "aws."',
    source: 'EventBridge API reference, PutEventsRequestEntry.Source (1–256, "aws." reserved)',
  },
  /** PutEventsRequestEntry.DetailType: free-form. */
  detailType: {
    what: 'EventBridge detail-type',
    minLength: 1,
    maxLength: 128,
    pattern: /^[\s\S]+$/,
    allowed: 'any characters',
    source: 'EventBridge API reference, PutEventsRequestEntry.DetailType (1–128)',
  },
  /** CreateEventBus.Name; a custom bus cannot be named `default` nor contain `/` (partner buses only). */
  eventBusName: {
    what: 'EventBridge event bus name',
    minLength: 1,
    maxLength: 256,
    pattern: /^(?!default$)(?!aws\.)[A-Za-z0-9._-]+$/,
    allowed: 'letters, digits, ".", "_" and "-" (no "/", not "default", not starting with "aws.")',
    source:
      'EventBridge API reference, CreateEventBus.Name (1–256, [/\\.\\-_A-Za-z0-9]+; "/" only for partner buses)',
  },
  /**
   * CreateSchema.SchemaName: evtgen names schemas `{source}@{detail-type}`. Only the length is
   * checked: a character set ([a-zA-Z0-9-_.@]) appears in third-party docs only, not in AWS's API
   * reference, so it is not enforced (a detail-type with spaces would otherwise be refused unproven).
   */
  schemaName: {
    what: 'Schema Registry schema name',
    minLength: 1,
    maxLength: 385,
    pattern: /^[\s\S]+$/,
    allowed: 'any characters',
    source: 'EventBridge Schemas API reference, CreateSchema.SchemaName (≤ 385)',
  },
  /** CreateRegistry.RegistryName: evtgen names the registry after the service. */
  registryName: {
    what: 'Schema Registry registry name',
    minLength: 1,
    maxLength: 64,
    pattern: /^[A-Za-z0-9._-]+$/,
    allowed: 'letters, digits, ".", "_" and "-"',
    source: 'EventBridge Schemas console and CreateRegistry (≤ 64, [A-Za-z0-9._-]+)',
  },
  /** CreateQueue.QueueName, standard queue. */
  queueName: {
    what: 'SQS queue name',
    minLength: 1,
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+$/,
    allowed: 'letters, digits, "-" and "_"',
    source: 'Amazon SQS API reference, CreateQueue.QueueName (≤ 80, alphanumerics, hyphens, underscores)',
  },
  /** CreateQueue.QueueName, FIFO queue: the `.fifo` suffix counts toward the 80 characters. */
  fifoQueueName: {
    what: 'SQS FIFO queue name',
    minLength: 6,
    maxLength: 80,
    pattern: /^[A-Za-z0-9_-]+\.fifo$/,
    allowed: 'letters, digits, "-" and "_", ending in ".fifo"',
    source: 'Amazon SQS API reference, CreateQueue.QueueName (≤ 80 including ".fifo")',
  },
} as const satisfies Record<string, NameLimit>;

export type NameKind = keyof typeof nameLimits;

export const eventPatternLimits = {
  /**
   * Characters of a rule's event pattern (the JSON text). The quota is adjustable up to 4096; evtgen
   * checks the default every account starts with. Source: EventBridge quotas, "Event pattern size".
   */
  maxLength: 2048,
  /** event-ruler ComparableNumber (and EventBridge's "numeric matching" docs): ±5e9, six decimals. */
  numeric: { min: -5e9, max: 5e9, decimals: 6 },
} as const;

/** Why `name` breaks its limit, or undefined when AWS accepts it. */
export function nameProblem(kind: NameKind, name: string): string | undefined {
  const limit: NameLimit = nameLimits[kind];
  const length = [...name].length;
  if (length < limit.minLength || length > limit.maxLength) {
    return `The ${limit.what} ${JSON.stringify(name)} is ${length} characters long; AWS allows ${limit.minLength}–${limit.maxLength}.`;
  }
  if (!limit.pattern.test(name)) {
    return `The ${limit.what} ${JSON.stringify(name)} has characters AWS refuses: it allows ${limit.allowed}.`;
  }
  return undefined;
}

/**
 * The Schema Registry registry name of a service: its kebab-cased name with accents dropped and every
 * character CreateRegistry refuses (anything but letters, digits, ".", "_" and "-") made a hyphen, so
 * a title in any script still deploys. The name stays readable for Latin titles and stable.
 */
export function schemaRegistryName(serviceName: string): string {
  const ascii = serviceName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii || 'service';
}
