/**
 * Reading a request body under API Gateway's payload limit (10 MB for HTTP APIs). A body over the
 * limit is still drained, not kept, so the client is not cut off mid-upload and reads the 413 the
 * gateway answers; one far over it (a runaway stream) has its connection closed instead.
 */
import type { IncomingMessage } from 'node:http';

/** API Gateway's HTTP API payload limit. */
export const maxPayloadBytes = 10 * 1024 * 1024;

/** The body, or why there is none to hand on. */
export type BodyRead =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'too-large' | 'aborted' };

/** Reads `request`'s body; over `limit` bytes it is `too-large`. */
export function readBody(request: IncomingMessage, limit: number = maxPayloadBytes): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) chunks.push(chunk);
      else if (received > limit * 4) request.destroy();
    });
    request.once('end', () =>
      resolve(
        received > limit ? { ok: false, reason: 'too-large' } : { ok: true, body: Buffer.concat(chunks) },
      ),
    );
    request.once('close', () => {
      if (!request.complete) resolve({ ok: false, reason: 'aborted' });
    });
    request.once('error', () => resolve({ ok: false, reason: 'aborted' }));
  });
}
