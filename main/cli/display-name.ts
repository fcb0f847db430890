import { printable } from '../lib/redact';
import type { ZoomUser } from '../zoom/schemas';

/** Names, e-mails and topics come from Zoom: shown, never interpreted by the terminal. */
export function displayName(user: ZoomUser): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.display_name;
  return printable(name ? `${name} <${user.email}>` : user.email);
}
