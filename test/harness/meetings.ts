import type { Meeting } from '../../main/meetings/meeting';
import type { AccountRef } from '../../main/shared/clouds';

/**
 * An app meeting for tests, written out field by field (never built by the code under test):
 * hosted by `account` (the default account when absent), started as host, an hour long unless said.
 */
export function meeting(m: { id: string; topic: string; start: string | Date; duration?: number; account?: AccountRef; join?: string }): Meeting {
  return {
    id: m.id,
    topic: m.topic,
    start: new Date(m.start),
    durationMinutes: m.duration ?? 60,
    account: m.account,
    sources: ['zoom'],
    action: m.join === undefined ? { kind: 'start' } : { kind: 'join', url: m.join },
  };
}
