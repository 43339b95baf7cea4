/**
 * A dead-lettered message read as an evtgen event: which event (type, producer id, correlation id,
 * schema version), and why it is there — from whatever the hop that put it there attached:
 * - the generated consumer's own send (`evtgen-*` attributes): a poison event with its validation
 *   issues, or the error that failed its last receive (runtime/dead-letter.ts);
 * - Lambda's on-failure record of an asynchronous invocation: the error and the attempt count;
 * - EventBridge's target DLQ: `ERROR_CODE` and `ERROR_MESSAGE` attributes;
 * - SQS's redrive: nothing — the invocation failed as a whole (timeout, crash, out of memory, or an
 *   error outside the handler), and only the consumer's logs say why.
 */
import type { Message } from '@aws-sdk/client-sqs';
import { eventIdentity } from '../dev/event-journal.js';

export type DeadLetterCause =
  /** The consumer found it off the contract: it can never be processed as it is. */
  | 'invalid'
  /** The consumer's handler threw on every receive; the last error is attached. */
  | 'failed'
  /** Lambda's asynchronous invocation gave up (retries exhausted or the event too old). */
  | 'invoke-failed'
  /** EventBridge could not deliver it to the consumer's queue or function. */
  | 'undeliverable'
  /** SQS moved it after `maxReceiveCount` receives, with no reason attached. */
  | 'redriven';

export interface DeadLetterReason {
  /** The error class (`InvalidEventError`, `ResourceNotFoundException`…) or EventBridge's code. */
  readonly errorName?: string;
  readonly message: string;
  /** Validation issues, `/data/lines/0/quantity: must be >= 1`. */
  readonly issues?: readonly string[];
  /** Receives (SQS) or invocations (Lambda) before it was given up. */
  readonly attempts?: number;
}

export interface DeadLetter {
  readonly messageId: string;
  /** When the message entered its queue (SQS `SentTimestamp`), ISO 8601. */
  readonly queuedAt?: string;
  readonly cause: DeadLetterCause;
  readonly reason: DeadLetterReason;
  /** The EventBridge event inside, as the consumer would receive it (absent when unreadable). */
  readonly event?: Readonly<Record<string, unknown>>;
  readonly eventType?: string;
  readonly source?: string;
  /** The producer's id (`detail.eventId`): what the consumer deduplicates on. */
  readonly eventId?: string;
  readonly correlationId?: string;
  readonly schemaVersion?: number;
  /** A FIFO message's group. */
  readonly groupId?: string;
}

const redrivenReason =
  'No reason attached: SQS moved it after its last receive. The invocation failed as a whole (a timeout, a crash, out of memory, or an error outside the handler): see the consumer function’s logs.';

export function decodeDeadLetter(message: Message): DeadLetter {
  const attributes = message.MessageAttributes ?? {};
  const text = (name: string): string | undefined => attributes[name]?.StringValue;
  const body = parseJson(message.Body ?? '');
  const sent = Number(message.Attributes?.SentTimestamp);
  const common = {
    messageId: message.MessageId ?? '',
    ...(Number.isFinite(sent) && sent > 0 ? { queuedAt: new Date(sent).toISOString() } : {}),
    ...(message.Attributes?.MessageGroupId ? { groupId: message.Attributes.MessageGroupId } : {}),
  };
  const onFailure = isRecord(body) && isRecord(body.requestContext) && 'requestPayload' in body;
  const event = onFailure ? (body as { requestPayload: unknown }).requestPayload : body;
  const described = { ...common, ...describeEvent(event) };

  const errorName = text('evtgen-error');
  if (errorName !== undefined) {
    const [first = '', ...issues] = (text('evtgen-reason') ?? '').split('\n');
    const attempts = Number(text('evtgen-receive-count'));
    return {
      ...described,
      cause: errorName === 'InvalidEventError' ? 'invalid' : 'failed',
      reason: {
        errorName,
        message: first,
        ...(issues.length > 0 ? { issues } : {}),
        ...(Number.isInteger(attempts) && attempts > 0 ? { attempts } : {}),
      },
    };
  }
  if (onFailure) {
    const record = body as { requestContext: Record<string, unknown>; responsePayload?: unknown };
    const response = isRecord(record.responsePayload) ? record.responsePayload : {};
    const condition = stringOf(record.requestContext.condition);
    const attempts = Number(record.requestContext.approximateInvokeCount);
    const errorType = stringOf(response.errorType);
    const errorMessage = stringOf(response.errorMessage);
    return {
      ...described,
      cause: 'invoke-failed',
      reason: {
        ...(errorType ? { errorName: errorType } : {}),
        message: [
          condition === 'EventAgeExceeded' ? 'Too old to retry (maximum event age)' : 'Retries exhausted',
          errorMessage,
        ]
          .filter(Boolean)
          .join(': '),
        ...(Number.isInteger(attempts) && attempts > 0 ? { attempts } : {}),
      },
    };
  }
  const errorCode = text('ERROR_CODE');
  if (errorCode !== undefined)
    return {
      ...described,
      cause: 'undeliverable',
      reason: {
        errorName: errorCode,
        message: `EventBridge could not deliver it: ${text('ERROR_MESSAGE') ?? errorCode}`,
      },
    };
  return { ...described, cause: 'redriven', reason: { message: redrivenReason } };
}

function describeEvent(value: unknown): Omit<DeadLetter, 'messageId' | 'cause' | 'reason'> {
  if (!isRecord(value)) return {};
  const { eventId, correlationId, detailType } = eventIdentity(value);
  const detail = isRecord(value.detail) ? value.detail : {};
  const schemaVersion = detail.schemaVersion;
  return {
    event: value,
    ...(detailType ? { eventType: detailType } : {}),
    ...(typeof value.source === 'string' ? { source: value.source } : {}),
    ...(eventId ? { eventId } : {}),
    ...(correlationId ? { correlationId } : {}),
    ...(typeof schemaVersion === 'number' ? { schemaVersion } : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
