/**
 * Names for why a load request got no answer, short and stable: they are the keys of
 * `RequestFigures.errors`, so a report reads `timeout: 12, ECONNRESET: 3` rather than messages.
 */

/** Raised into a request the run aborts at its deadline (as opposed to an undici error). */
export class RequestTimeout extends Error {
  override readonly name = 'RequestTimeout';
}

/** A short, stable name for why a request got no answer. */
export function errorKind(error: unknown, signal: AbortSignal): string {
  if (signal.aborted && signal.reason instanceof RequestTimeout) return 'timeout';
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect-timeout';
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown';
}
