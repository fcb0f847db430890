import { type Clock, type Timer, untilNextMinute } from '../lib/clock';
import { printable } from '../lib/redact';
import type { Note } from './notifications';
import type { Meeting } from '../meetings/meeting';
import { minutesUntil, NOTHING_DONE, type OnTimeMemory, type OnTimeSettings, planOnTime, startedEarly } from './on-time-policy';

const SNOOZE_MS = 60_000;

export interface OnTimeDeps {
  readonly clock: Clock;
  /** Every meeting still ahead (or under way), of every signed-in account and calendar, soonest first. */
  readonly meetings: () => readonly Meeting[];
  readonly settings: () => OnTimeSettings;
  /** The minute it is (epoch minutes): what counts down is drawn again. */
  readonly minute: (epochMinute: number) => void;
  /** Does what a click on the meeting does (the click path). */
  readonly open: (meeting: Meeting) => Promise<void>;
  readonly notify: (note: Note) => void;
  /** " (jane@example.com)" for a meeting of another account than the default one, else "". */
  readonly whose: (meeting: Meeting) => string;
  /** Whether the meeting is still listed (a snoozed reminder of one cancelled, or of an account signed out, is dropped). */
  readonly listed: (meeting: Meeting) => boolean;
}

/** Runs the on-time policy once a minute, on the minute, and carries out what it says. */
export class OnTimeScheduler {
  private ticker: Timer | undefined;
  private memory: OnTimeMemory = NOTHING_DONE;

  constructor(private readonly deps: OnTimeDeps) {}

  /** Now and then on every minute: the countdown moves, reminders fall due, meetings start on time. */
  tick(): Promise<unknown> {
    const { clock } = this.deps;
    this.deps.minute(Math.floor(clock.now() / 60_000));
    clock.clearTimeout(this.ticker);
    this.ticker = clock.setTimeout(() => this.tick(), untilNextMinute(clock.now()));
    const planned = planOnTime(this.deps.meetings(), clock.now(), this.deps.settings(), this.memory);
    this.memory = planned.memory;
    const starts: Promise<void>[] = [];
    for (const action of planned.actions) {
      if (action.kind === 'open') starts.push(this.deps.open(action.meeting));
      else if (action.kind === 'remind') this.remind(action.meeting);
      else this.deps.notify({ title: `${action.meetings.length} more meetings start soon`, body: 'The zoom-tray menu lists them: a click starts or joins one.' });
    }
    return Promise.all(starts);
  }

  /** A meeting was started from zoom-tray (a click, a reminder, on time): it is not reminded or started again. */
  started(id: string): void {
    this.memory = { ...this.memory, startedAt: new Map(this.memory.startedAt).set(id, this.deps.clock.now()) };
  }

  dispose(): void {
    this.deps.clock.clearTimeout(this.ticker);
  }

  private remind(meeting: Meeting): void {
    const { clock } = this.deps;
    const start = (): Promise<void> => this.deps.open(meeting);
    const hosting = meeting.action.kind === 'start';
    const snooze = (): void => {
      clock.setTimeout(() => {
        if (!startedEarly(meeting, this.memory.startedAt) && this.deps.listed(meeting)) this.remind(meeting);
      }, SNOOZE_MS);
    };
    this.deps.notify({
      title: `${printable(meeting.topic)} starts in ${minutesUntil(meeting, clock.now())} min${this.deps.whose(meeting)}`,
      body: hosting ? 'Click to start it as host.' : 'Click to join it.',
      click: start,
      actions: [
        { label: hosting ? 'Start' : 'Join', run: start },
        { label: 'Remind me in 1 minute', run: snooze },
      ],
    });
  }
}
