/**
 * Which AWS failures are worth another attempt, and how long to wait before it. Shared by the
 * publisher (PutEvents), the outbox relay and the consumers' dead-letter hand-off, so every hop
 * retries the same things the same way.
 */

/** Error names AWS services use for "slow down": request-level throttling arrives as HTTP 400. */
const throttlingErrorNames = new Set([
  'ThrottlingException',
  'ThrottledException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'LimitExceededException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'SlowDown',
]);

/** Errors of the service side or of the connection: the same request may well succeed next time. */
const transientErrorNames = new Set([
  'InternalFailure',
  'InternalException',
  'InternalServerError',
  'InternalServiceError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);

/** Node's network error codes (no HTTP response at all). */
const networkErrorCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface AwsErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * True for throttling (any status), 5xx, 429, timeouts and network failures; false for what the
 * service refused on its merits (validation, access denied, not found …), which fails again.
 */
export function isRetryableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as AwsErrorShape;
  if (e.name && (throttlingErrorNames.has(e.name) || transientErrorNames.has(e.name))) return true;
  if (e.code && networkErrorCodes.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  // No status and no known name or code: a fault of the caller (e.g. a missing region), not of AWS.
  return status !== undefined && (status === 429 || status >= 500);
}

/** Entry-level error codes (PutEvents `Entries[i].ErrorCode`) worth retrying. */
export function isRetryableEntryCode(code: string): boolean {
  return throttlingErrorNames.has(code) || transientErrorNames.has(code);
}

export interface BackoffOptions {
  /** Delay cap of the first retry, doubled per attempt (default 100 ms). */
  readonly baseDelayMs?: number;
  /** Upper bound of any delay (default 2,000 ms). */
  readonly maxDelayMs?: number;
}

/**
 * "Full jitter" backoff: uniformly random in [0, min(cap, base · 2^attempt)], so clients that failed
 * together do not retry together.
 */
export function fullJitterDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 2000;
  return Math.random() * Math.min(cap, base * 2 ** attempt);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
