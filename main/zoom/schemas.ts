// zod/mini: the same checks at a fraction of the full build's load time, which every CLI run pays.
import * as z from 'zod/mini';
import { ZoomTrayError } from '../lib/errors';

/** Zoom's ids are int64 in JSON; keep them as digit strings so no precision is ever lost. */
const meetingId = z.pipe(
  z.union([z.number().check(z.int(), z.nonnegative()), z.string().check(z.regex(/^\d+$/))]),
  z.transform((id: number | string) => String(id)),
);

export const tokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  refresh_token: z.string().check(z.minLength(1)),
  expires_in: z.number().check(z.positive()),
  token_type: z.optional(z.string()),
  scope: z.optional(z.string()),
  api_url: z.optional(z.string()),
});

export const oauthError = z.object({
  error: z.optional(z.string()),
  reason: z.optional(z.string()),
});

export const apiError = z.object({
  code: z.optional(z.number()),
  message: z.optional(z.string()),
});

export const user = z.object({
  id: z.string(),
  email: z.string().check(z.minLength(1)),
  first_name: z.optional(z.string()),
  last_name: z.optional(z.string()),
  display_name: z.optional(z.string()),
  pmi: z.optional(meetingId),
  personal_meeting_url: z.optional(z.string()),
  timezone: z.optional(z.string()),
});
export type ZoomUser = z.infer<typeof user>;

export const zakResponse = z.object({ token: z.nullable(z.string().check(z.minLength(1))) });

export const meeting = z.object({
  id: meetingId,
  topic: z._default(z.string(), ''),
  type: z.number().check(z.int()),
  start_time: z.optional(z.string()),
  duration: z.optional(z.number()),
  timezone: z.optional(z.string()),
  join_url: z.optional(z.string()),
});
/** A meeting as Zoom's lists give it; the app's own is meetings/meeting.ts. */
export type ZoomMeeting = z.infer<typeof meeting>;

// A list's items are checked one by one (validMeetings): one item Zoom got wrong is left out, never the whole list.
export const meetingList = z.object({
  meetings: z.array(z.unknown()),
  next_page_token: z.optional(z.string()),
});

/** `GET /users/me/upcoming_meetings`: own and invited meetings of the next 24 hours, one page. */
export const upcomingList = z.object({
  meetings: z.array(z.unknown()),
});

/** The items of a meeting list that are meetings, and how many were not. */
export function validMeetings(items: readonly unknown[]): { meetings: ZoomMeeting[]; dropped: number } {
  const meetings: ZoomMeeting[] = [];
  for (const item of items) {
    const parsed = meeting.safeParse(item);
    if (parsed.success) meetings.push(parsed.data);
  }
  return { meetings, dropped: items.length - meetings.length };
}

export const createdMeeting = z.object({
  id: meetingId,
  join_url: z.string(),
  start_url: z.optional(z.string()),
  password: z.optional(z.string()),
});

/** `GET /meetings/{id}`: what the tray copies besides the invitation (the passcode). */
export const meetingDetails = z.object({
  id: meetingId,
  topic: z._default(z.string(), ''),
  password: z.optional(z.string()),
});

/** `GET /meetings/{id}/invitation`: Zoom's own invitation text. */
export const invitation = z.object({ invitation: z.string().check(z.minLength(1)) });

/** Validates a Zoom response before use; the error names the field, never its value. */
export function parseResponse<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new ZoomTrayError('zoom', `Zoom sent an unexpected answer to ${what} (${where}: ${issue?.message ?? 'invalid'}).`);
}
