/**
 * The value checks of EventBridge's matchers that need more than a type test: numeric limits,
 * CIDR blocks and wildcard escapes. Each returns AWS's reason (event-ruler's wording, which
 * EventBridge puts after "Event pattern is not valid. Reason:") or undefined when the value is valid.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { eventPatternLimits } from './aws-limits.js';

/**
 * event-ruler's `ComparableNumber`: numbers between -5e9 and 5e9 inclusive, at most six digits after
 * the decimal point (it keeps six, and refuses a value it would have to round).
 */
export function numberProblem(value: number): string | undefined {
  if (!Number.isFinite(value)) return `${value} is not a number EventBridge can compare.`;
  const { min, max, decimals } = eventPatternLimits.numeric;
  if (value < min || value > max)
    return `Value must be between ${min} and ${max}, inclusive (found ${value}).`;
  if (decimalPlaces(value) > decimals)
    return `Only values up to ${decimals} decimals are supported (found ${value}).`;
  return undefined;
}

/** Digits after the decimal point of the shortest form that reads back as `value` (`1e-7` → 7). */
function decimalPlaces(value: number): number {
  const match = /^-?(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) return 0;
  const fraction = (match[2] ?? '').replace(/0+$/, '').length;
  return Math.max(0, fraction - Number(match[3] ?? 0));
}

/** The shapes event-ruler accepts as an address before asking the platform to parse it. */
const ipv4Shape = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const ipv6Shape = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/**
 * event-ruler's `CIDR.cidr`: exactly one `/`, an integer mask, an IPv4 address with a mask below 32 or
 * an IPv6 address with a mask below 128 (a single address is matched as a plain string instead).
 */
export function cidrProblem(cidr: string): string | undefined {
  // Java's String.split drops trailing empty strings: "10.0.0.0/" has one part, so it is refused too.
  const parts = cidr.split('/');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 2) return `Malformed CIDR ${JSON.stringify(cidr)}, one '/' required.`;
  const [address = '', mask = ''] = parts;
  if (!/^[+-]?\d+$/.test(mask))
    return `Malformed CIDR ${JSON.stringify(cidr)}, mask bits must be an integer.`;
  const bits = Number(mask);
  if (bits < 0) return `Malformed CIDR ${JSON.stringify(cidr)}, mask bits must not be negative.`;
  const v4 = ipv4Shape.test(address);
  if (!v4 && !ipv6Shape.test(address)) return `Nonstandard IP address: ${JSON.stringify(address)}.`;
  if (v4 ? !isIPv4(address) : !isIPv6(address)) return `Invalid IP address: ${JSON.stringify(address)}.`;
  if (v4 && bits > 31) return `IPv4 mask bits must be < 32 (found /${bits} in ${JSON.stringify(cidr)}).`;
  if (!v4 && bits > 127) return `IPv6 mask bits must be < 128 (found /${bits} in ${JSON.stringify(cidr)}).`;
  return undefined;
}

/**
 * event-ruler's `WildcardParser`: no two `*` in a row, and a backslash escapes only `*` or `\`.
 * Positions count UTF-8 bytes of the value inside its quotes, as Ruler reports them.
 */
export function wildcardProblem(value: string): string | undefined {
  const bytes = new TextEncoder().encode(`"${value}"`);
  const star = 0x2a;
  const backslash = 0x5c;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === star && bytes[i + 1] === star)
      return `Consecutive wildcard characters at pos ${i} in ${JSON.stringify(value)}.`;
    if (bytes[i] === backslash) {
      if (bytes[i + 1] === star || bytes[i + 1] === backslash) i++;
      else return `Invalid escape character at pos ${i} in ${JSON.stringify(value)}.`;
    }
  }
  return undefined;
}

/** How a problem is reported: at a pointer inside the pattern, with AWS's reason. */
export type Report = (pointer: string, reason: string) => void;

export function reportIf(at: string, reason: string | undefined, report: Report): void {
  if (reason !== undefined) report(at, reason);
}

/** A value as a reason shows it: its type and (shortened) JSON. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array ${truncate(JSON.stringify(value))}`;
  if (typeof value === 'object') return `an object ${truncate(JSON.stringify(value))}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
