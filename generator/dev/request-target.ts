/**
 * The request target (`/orders/a%20b?x=1`) as API Gateway HTTP APIs read it. Route matching and the
 * event both need the same path, so it is decoded in one place: an HTTP API hands the function a
 * `rawPath` in which every percent escape is decoded except `%25` (measured against AWS by other
 * emulators: `a%252Eb` arrives as `a%252Eb`, `a%20b` as `a b`), and routes match that path.
 */

/** The path and query of one request, raw and as the gateway reads them. */
export interface RequestTarget {
  /** The path exactly as the client sent it (still percent-encoded). */
  readonly sentPath: string;
  /** The path the gateway routes on and reports as `rawPath`: decoded except `%25`. */
  readonly path: string;
  /** The query string as sent, without `?` (`rawQueryString`). */
  readonly rawQueryString: string;
}

/**
 * Splits a request target. Absolute-form targets (`http://host/path`, sent to proxies) keep only
 * their path and query. Extra leading slashes collapse to one: API Gateway routes `//orders` as
 * `/orders`.
 */
export function parseRequestTarget(target: string): RequestTarget {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    try {
      const url = new URL(target);
      pathAndQuery = `${url.pathname}${url.search}`;
    } catch {
      pathAndQuery = `/${target}`;
    }
  }
  const at = pathAndQuery.indexOf('?');
  const sent = at < 0 ? pathAndQuery : pathAndQuery.slice(0, at);
  const sentPath = `/${sent.replace(/^\/+/, '')}`;
  return {
    sentPath,
    path: decodeGatewayPath(sentPath),
    rawQueryString: at < 0 ? '' : pathAndQuery.slice(at + 1),
  };
}

const escapeRun = /(?:%[0-9A-Fa-f]{2})+/g;
const utf8 = new TextDecoder('utf-8');

/**
 * Decodes every percent escape except `%25`, as an HTTP API builds `rawPath`. A run of escapes is
 * decoded as UTF-8 (invalid bytes become U+FFFD, as the gateway does not reject them either).
 */
export function decodeGatewayPath(path: string): string {
  return path.replace(escapeRun, (run) => {
    let out = '';
    let pending: number[] = [];
    const flush = () => {
      if (pending.length > 0) out += utf8.decode(Uint8Array.from(pending));
      pending = [];
    };
    for (let i = 0; i < run.length; i += 3) {
      const byte = Number.parseInt(run.slice(i + 1, i + 3), 16);
      if (byte === 0x25) {
        flush();
        out += run.slice(i, i + 3);
      } else pending.push(byte);
    }
    flush();
    return out;
  });
}

/** A path parameter's value as the function sees it: fully decoded (the kept `%25`s too). */
export function decodeParameter(value: string): string {
  return value.replace(/%25/g, '%');
}
