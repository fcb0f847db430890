/** What a feed's text says before it is parsed: whether it is a calendar at all, and how often to ask again. Pure. */

/** 15 minutes, as often as the tray asks Zoom; a feed asking for less is asked that often anyway. */
export const MIN_REFRESH_MS = 15 * 60_000;
/** A feed asking for more than 6 hours would leave a moved meeting unseen most of a day. */
export const MAX_REFRESH_MS = 6 * 60 * 60_000;

/**
 * A calendar starts with `BEGIN:VCALENDAR` (RFC 5545 §3.4), after an optional byte-order mark and
 * blank lines. What else an address answers (a sign-in page, an error page, a JSON error) does not.
 */
export function isCalendarText(text: string): boolean {
  const first = text.slice(0, 4096).replace(/^\uFEFF/, '').split('\n').find((line) => line.trim() !== '');
  return first?.trim().toUpperCase() === 'BEGIN:VCALENDAR';
}

/**
 * Whether a calendar's text reaches its end: `END:VCALENDAR` as its last line. A feed cut short (a
 * proxy or a connection that gave up, a server that sent part of its answer) parses without error
 * into fewer events or none, and would replace the meetings read last with nothing, unsaid.
 */
export function isCompleteCalendar(text: string): boolean {
  return /(?:^|\n)END:VCALENDAR$/i.test(text.trimEnd().slice(-14));
}

/** An ISO 8601 duration as RFC 5545 §3.3.6 writes it (`PT1H`, `P1D`, `P1W`), in ms; undefined when it is not one. */
export function durationMs(value: string): number | undefined {
  const m = /^\+?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(value.trim());
  if (!m || value.trim().toUpperCase().endsWith('T') || m.slice(1).every((part) => part === undefined)) return undefined;
  const [weeks, days, hours, minutes, seconds] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
  return ((((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
}

/**
 * How often the feed asks to be fetched: RFC 7986's `REFRESH-INTERVAL;VALUE=DURATION:…`, else
 * Outlook's `X-PUBLISHED-TTL`, clamped to 15 minutes … 6 hours; 15 minutes when it says neither.
 * Both are calendar properties, which come before the first component (RFC 5545 §3.6).
 */
export function refreshPeriodMs(text: string): number {
  const end = text.search(/^BEGIN:(?!VCALENDAR)/im);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]/g, '');
  const asked = [/^REFRESH-INTERVAL(?:;[^:\r\n]*)?:(.*)$/im, /^X-PUBLISHED-TTL(?:;[^:\r\n]*)?:(.*)$/im]
    .map((property) => property.exec(head)?.[1])
    .map((value) => (value === undefined ? undefined : durationMs(value)))
    .find((ms) => ms !== undefined);
  return asked === undefined ? MIN_REFRESH_MS : Math.min(MAX_REFRESH_MS, Math.max(MIN_REFRESH_MS, asked));
}
