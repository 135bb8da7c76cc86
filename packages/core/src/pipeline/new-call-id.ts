import { randomUUID } from 'node:crypto';

/**
 * A call's id: a UUID whose first 48 bits are the time in milliseconds (the UUIDv7 layout), so ids
 * sort by time and a store's index on them grows at its end instead of at random places.
 */
export function newCallId(now: number = Date.now()): string {
  const random = randomUUID();
  const t = Math.floor(now).toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${random.slice(15)}`;
}
