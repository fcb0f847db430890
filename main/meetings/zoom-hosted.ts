import type { AccountRef } from '../shared/clouds';
import type { ZoomMeeting } from '../zoom/schemas';
import type { Meeting, MeetingSource } from './meeting';

const DEFAULT_DURATION_MINUTES = 60;

/** Zoom's list of the meetings a user hosts, as the app's meetings: each starts as host. */
export function fromHostedList(list: readonly ZoomMeeting[], account: AccountRef | undefined): Meeting[] {
  const meetings: Meeting[] = [];
  for (const m of list) {
    if (!m.start_time) continue; // recurring with no fixed time: nothing to order by
    const start = new Date(m.start_time);
    if (Number.isNaN(start.getTime())) continue;
    meetings.push({
      id: m.id,
      topic: m.topic || 'Zoom meeting',
      start,
      durationMinutes: m.duration && m.duration > 0 ? m.duration : DEFAULT_DURATION_MINUTES,
      account,
      sources: ['zoom'],
      action: { kind: 'start' },
      ...(m.join_url ? { joinUrl: m.join_url } : {}),
    });
  }
  return meetings;
}

/** The account's own scheduled meetings (`GET /users/me/meetings?type=upcoming`). */
export function hostedMeetings(api: { upcomingMeetings(): Promise<readonly ZoomMeeting[]> }, account: AccountRef | undefined): MeetingSource {
  return { name: 'zoom', meetings: async () => fromHostedList(await api.upcomingMeetings(), account) };
}
