/**
 * Smooth weighted round-robin (nginx's): the order in which weighted routes take turns so that
 * every window of the run is as close to the configured mix as integers allow (weights 3:1 give
 * A A B A, not A A A B), and a run is the same sequence every time. The cycle is computed once;
 * request n is route `cycle[n % cycle.length]`.
 */

/** Longest cycle computed; weights with more precision are rounded to fit. */
const maxCycle = 100_000;

/**
 * The indexes of `weights` in smooth weighted round-robin order over one full cycle (length: the
 * weights' sum once scaled to the smallest integers with the same ratios, at most 100,000).
 * Weights must be > 0 and finite.
 */
export function smoothWeightedCycle(weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const integers = integerWeights(weights);
  const total = integers.reduce((sum, w) => sum + w, 0);
  const current = integers.map(() => 0);
  const cycle: number[] = [];
  for (let n = 0; n < total; n++) {
    let best = 0;
    for (let i = 0; i < integers.length; i++) {
      current[i] = (current[i] as number) + (integers[i] as number);
      if ((current[i] as number) > (current[best] as number)) best = i;
    }
    current[best] = (current[best] as number) - total;
    cycle.push(best);
  }
  return cycle;
}

/** The smallest integers with (nearly, for fractions beyond 1/1000) the same ratios. */
function integerWeights(weights: readonly number[]): number[] {
  let scaled = weights.map((w) => Math.max(1, Math.round(w * 1000)));
  const divisor = scaled.reduce(gcd);
  scaled = scaled.map((w) => w / divisor);
  const total = scaled.reduce((sum, w) => sum + w, 0);
  if (total <= maxCycle) return scaled;
  const factor = maxCycle / total;
  return scaled.map((w) => Math.max(1, Math.round(w * factor)));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
