/**
 * `npm run sim [-- --auto-approve]`: the Zoom simulator for manual runs of the CLI or the tray
 * against it: zoom.us with two users, and ZoomGov with one, so several accounts can be tried. It
 * prints every step of a sign-in, for a desktop and for a shell with no browser.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_REDIRECT_URI } from '../../main/shared/urls';
import { startZoomSim, type SimMeeting } from './server';

const SECOND_USER = { email: 'sam.lee@example.com', first_name: 'Sam', last_name: 'Lee' };
const GOV_USER = { id: 'sim-gov-user', email: 'alex.rivera@agency.example.gov', first_name: 'Alex', last_name: 'Rivera', pmi: 5559876543, pmi_password: 'gov-pass' };

/** The ZoomGov user's own meetings: ids clear of the zoom.us users', so the tray's one agenda keeps them apart. */
function govMeetings(now: number): SimMeeting[] {
  const at = (minutes: number): string => new Date(Math.floor(now / 60_000 + minutes) * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return [
    { id: 86100000001, topic: 'Agency standup', type: 8, start_time: at(45), duration: 15, timezone: 'UTC' },
    { id: 86100000002, topic: 'Procurement review', type: 2, start_time: at(60 * 26), duration: 60, timezone: 'UTC' },
  ];
}

function usage(message: string): never {
  process.stderr.write(`npm run sim: ${message}\nUsage: npm run sim [-- --auto-approve]   (--auto-approve: consent is given without the Allow page)\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let autoApprove: boolean;
  try {
    autoApprove = parseArgs({ options: { 'auto-approve': { type: 'boolean' } }, strict: true }).values['auto-approve'] === true;
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err));
  }
  const redirectUri = process.env.ZOOM_REDIRECT_URI ?? DEFAULT_REDIRECT_URI;
  const zoom = await startZoomSim({ clients: [{ clientId: 'sim-client', redirectUris: [redirectUri] }], users: [SECOND_USER], autoApprove });
  const gov = await startZoomSim({
    // The CLI's ZoomGov redirect has its own variable, with no fallback to ZOOM_REDIRECT_URI.
    clients: [{ clientId: 'sim-gov-client', redirectUris: [process.env.ZOOM_GOV_REDIRECT_URI ?? DEFAULT_REDIRECT_URI] }],
    user: GOV_USER,
    meetings: govMeetings(Date.now()),
    autoApprove,
  });
  const approve = autoApprove
    ? 'Consent is given at once (--auto-approve): the command below signs in with no browser.'
    : 'Open the URL it prints in a browser and click Allow. With no browser: restart with `npm run sim -- --auto-approve`,\nand the command below signs in.';
  process.stdout.write(`Zoom simulator on ${zoom.origin}: zoom.us users ${zoom.users.map((u) => u.email).join(' (signed in) and ')}.
ZoomGov simulator on ${gov.origin}: user ${gov.user.email}.

In another shell, in this checkout:

  npm run build    # once: the CLI runs from dist/
  export ZOOM_CLIENT_ID=sim-client ZOOM_OAUTH_URL=${zoom.oauthBase} ZOOM_API_URL=${zoom.apiBase} ZOOM_GOV_CLIENT_ID=sim-gov-client ZOOM_GOV_OAUTH_URL=${gov.oauthBase} ZOOM_GOV_API_URL=${gov.apiBase} ZOOM_TRAY_KEYCHAIN_SERVICE=zoom-tray-sim

No desktop session (SSH, a server)? The keychain needs a D-Bus session and an unlocked Secret Service
(README, "Sign in without a desktop"): run \`dbus-run-session -- bash\`, and in that shell (export again):
  read -rsp 'Keyring password: ' pw; printf %s "$pw" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; unset pw; echo

Sign in. ${approve}
  node dist/cli.js login --no-open | xargs -n1 curl -sfL -o /dev/null
  node dist/cli.js start --print    # the start URL of your personal room; without --print it opens in $BROWSER

More accounts: sign in to the simulated zoom.us as ${SECOND_USER.email}, then log in again; and the ZoomGov user:
  curl -sfo /dev/null -d email=${SECOND_USER.email} ${zoom.origin}/signin
  node dist/cli.js login --no-open | xargs -n1 curl -sfL -o /dev/null
  node dist/cli.js login --cloud gov --no-open | xargs -n1 curl -sfL -o /dev/null
  node dist/cli.js accounts

The tray app, on a desktop: \`npm start\` with the same variables.
Ctrl-C stops the simulators (what they issued is forgotten; \`node dist/cli.js logout\` first).
`);
  process.on('SIGINT', () => void Promise.all([zoom.close(), gov.close()]).then(() => process.exit(0)));
}

void main();
