/**
 * Number formatting shared by the load report's renderers (terminal and HTML). Locale-independent
 * on purpose: the same report renders to the same bytes on every machine.
 */

/** `12345` → `12,345`; non-integers keep one decimal (`1234.56` → `1,234.6`). */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const fixed = Number.isInteger(n) ? String(Math.abs(n)) : Math.abs(n).toFixed(1);
  const [whole = '', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** Milliseconds with a precision that suits the size: `0.42 ms`, `12.3 ms`, `412 ms`, `5,200 ms`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${formatCount(Math.round(ms))} ms`;
}

/** A percentage: `0 %`, `1 %`, `0.13 %`, `12.5 %`. */
export function formatPercent(percent: number): string {
  if (Number.isInteger(percent)) return `${percent} %`;
  if (Math.abs(percent) < 10) return `${percent.toFixed(2)} %`;
  return `${percent.toFixed(1)} %`;
}

/** Requests per second: `50 rps`, `149.8 rps`. */
export function formatRps(rps: number): string {
  return `${formatCount(Number.isInteger(rps) ? rps : Math.round(rps * 10) / 10)} rps`;
}

/** A phase's target rate: `50 rps` when steady, `50 → 250 rps` when it ramps. */
export function formatRate(rate: { readonly start: number; readonly end: number }): string {
  return rate.start === rate.end
    ? formatRps(rate.start)
    : `${formatCount(rate.start)} → ${formatRps(rate.end)}`;
}

/** A measured objective value in its unit: `p99Ms` → `412 ms`, `errorRatePercent` → `0.89 %`. */
export function formatObjectiveValue(objective: 'p99Ms' | 'errorRatePercent', value: number): string {
  return objective === 'p99Ms' ? formatMs(value) : formatPercent(value);
}

/** Record entries sorted by key (status codes, error kinds, event types), for a stable order. */
export function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `{200: 597, 201: 900}` → `200 ×597, 201 ×900`; `none` when empty. */
export function formatBreakdown(record: Readonly<Record<string, number>>): string {
  const entries = sortedEntries(record);
  return entries.length === 0 ? 'none' : entries.map(([key, n]) => `${key} ×${formatCount(n)}`).join(', ');
}
