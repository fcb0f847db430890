import { COMMANDS } from './table';

/** Where each description starts: beside its command when that ends two spaces before, else below it. */
const COLUMN = 33;

const OPTIONS_AND_SETUP = `Options:
  --account   the account (its e-mail) to use; without it, the default account
  --cloud     commercial (zoom.us, the default) or gov (ZoomGov); with --account, picks between two
              accounts of the same e-mail
  --no-open   print the sign-in URL on stdout instead of opening the browser
  --print     print the start URL on stdout instead of opening it (it contains your start key)
  --id-and-passcode
              print the meeting ID and passcode (two lines) instead of the whole invitation
  --json      machine-readable output
  --name      the name of a calendar being added; without it, its provider's ("Google", "Outlook"…)
  --version   alone (zoom-tray --version): print zoom-tray's version

Exit codes: 0 ok, 2 usage, 3 not signed in, 4 Zoom refused, 5 keychain unavailable, 6 network,
7 browser could not be opened, 8 zoom-tray's data folder unusable, 9 a calendar cannot be used.
Configuration: ZOOM_CLIENT_ID (required), ZOOM_CLIENT_SECRET, ZOOM_REDIRECT_URI, ZOOM_OAUTH_URL,
ZOOM_API_URL; for ZoomGov ZOOM_GOV_CLIENT_ID, ZOOM_GOV_CLIENT_SECRET, ZOOM_GOV_REDIRECT_URI;
ZOOM_TRAY_KEYCHAIN_SERVICE, ZOOM_TRAY_DATA_DIR, ZOOM_TRAY_LOG. See the README.
`;

/** One help line per usage line of each command, in the table's order. */
export function usageLines(): string[] {
  return Object.entries(COMMANDS).flatMap(([name, command]) =>
    command.usage.map(({ args, does }) => {
      const synopsis = `  zoom-tray ${name}${args ? ` ${args}` : ''}`;
      return synopsis.length <= COLUMN - 2 ? `${synopsis.padEnd(COLUMN)}${does}` : `${synopsis}\n${' '.repeat(COLUMN)}${does}`;
    }),
  );
}

/** `zoom-tray --help`. */
export function helpText(): string {
  return `zoom-tray — start your Zoom meetings from the terminal\n\nUsage:\n${usageLines().join('\n')}\n\n${OPTIONS_AND_SETUP}`;
}
