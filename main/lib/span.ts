const plural = (amount: number, unit: string): string => `${amount} ${unit}${amount === 1 ? '' : 's'}`;

/** A span for messages: "5 minutes" for whole minutes, otherwise seconds: "90 seconds", "1 second", "0.2 seconds". */
export function describeSpan(ms: number): string {
  const minutes = ms / 60_000;
  return Number.isInteger(minutes) && minutes > 0 ? plural(minutes, 'minute') : plural(Math.round(ms / 100) / 10, 'second');
}
