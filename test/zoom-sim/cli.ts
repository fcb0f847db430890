/** `npm run sim`: the Zoom simulator for manual runs of the CLI or the tray against it. */
import { DEFAULT_REDIRECT_URI } from '../../main/shared/urls';
import { startZoomSim } from './server';

async function main(): Promise<void> {
const redirectUri = process.env.ZOOM_REDIRECT_URI ?? DEFAULT_REDIRECT_URI;
const sim = await startZoomSim({ clients: [{ clientId: 'sim-client', redirectUris: [redirectUri] }] });
process.stdout.write(`Zoom simulator on ${sim.origin} (user ${sim.user.email}, PMI ${sim.user.pmi}). In another shell:

  export ZOOM_CLIENT_ID=sim-client ZOOM_OAUTH_URL=${sim.oauthBase} ZOOM_API_URL=${sim.apiBase} ZOOM_TRAY_KEYCHAIN_SERVICE=zoom-tray-sim
  node dist/cli.js login      # or: npm start

Ctrl-C stops it.
`);
process.on('SIGINT', () => void sim.close().then(() => process.exit(0)));
}

void main();
