import { z } from 'zod';
import { ZoomTrayError } from '../errors';

/** Zoom's ids are int64 in JSON; keep them as digit strings so no precision is ever lost. */
const meetingId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);

export const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  api_url: z.string().optional(),
});

export const oauthError = z.object({
  error: z.string().optional(),
  reason: z.string().optional(),
});

export const apiError = z.object({
  code: z.number().optional(),
  message: z.string().optional(),
});

export const user = z.object({
  id: z.string(),
  email: z.string().min(1),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  display_name: z.string().optional(),
  pmi: meetingId.optional(),
  personal_meeting_url: z.string().optional(),
  timezone: z.string().optional(),
});
export type ZoomUser = z.infer<typeof user>;

export const zakResponse = z.object({ token: z.string().min(1).nullable() });

export const meeting = z.object({
  id: meetingId,
  topic: z.string().default(''),
  type: z.number().int(),
  start_time: z.string().optional(),
  duration: z.number().optional(),
  timezone: z.string().optional(),
  join_url: z.string().optional(),
});
export type Meeting = z.infer<typeof meeting>;

export const meetingList = z.object({
  meetings: z.array(meeting),
  next_page_token: z.string().optional(),
});

export const createdMeeting = z.object({
  id: meetingId,
  join_url: z.string(),
  start_url: z.string().optional(),
  password: z.string().optional(),
});

/** Validates a Zoom response before use; the error names the field, never its value. */
export function parseResponse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw new ZoomTrayError('zoom', `Zoom sent an unexpected answer to ${what} (${where}: ${issue?.message ?? 'invalid'}).`);
}
