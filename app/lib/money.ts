/**
 * Exact decimal arithmetic for Money amounts ("19.99"): amounts are strings with at most three
 * fraction digits, summed as integer thousandths so no binary float ever rounds a price.
 */
export function toThousandths(amount: string): bigint {
  const [units = '0', fraction = ''] = amount.split('.');
  return BigInt(units) * 1000n + BigInt(fraction.padEnd(3, '0'));
}

/** "49.480" → "49.48", "1500.000" → "1500": the shortest exact form. */
export function fromThousandths(value: bigint): string {
  const units = value / 1000n;
  const fraction = (value % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return fraction === '' ? units.toString() : `${units}.${fraction}`;
}

export function lineTotal(unitPrice: string, quantity: number): bigint {
  return toThousandths(unitPrice) * BigInt(quantity);
}
