import { endpoint } from '../shared/urls';
import { ZoomTrayError } from '../lib/errors';

const ZOOM_DOMAINS = ['zoom.us', 'zoomgov.com'];
/** A DNS label (RFC 1123 §2.1): an empty or malformed one (`https://.zoom.us`) names no Zoom host. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Only https URLs on Zoom's own domains (or the configured base, e.g. the simulator) may reach the browser. */
export function isAllowedZoomUrl(url: URL, extraOrigins: readonly string[] = []): boolean {
  if (url.username || url.password) return false;
  if (extraOrigins.includes(url.origin)) return true;
  if (url.protocol !== 'https:' || url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  return ZOOM_DOMAINS.some((domain) => host === domain || (host.endsWith(`.${domain}`) && host.split('.').every((label) => LABEL.test(label))));
}

/** `<web base>/s/<meetingId>?zak=<zak>`: the start URL Zoom's own APIs hand out. */
export function buildStartUrl(webBase: URL, meetingId: string, zak: string, extraOrigins: readonly string[] = []): URL {
  if (!/^\d{9,12}$/.test(meetingId)) {
    // Targets typed by the user are checked before any call; an ID that fails here came from Zoom.
    throw new ZoomTrayError('zoom', `Zoom gave "${meetingId}" as a meeting ID, which is not one (9 to 12 digits). Try again; if this repeats, report it.`);
  }
  const url = endpoint(webBase, `/s/${meetingId}`);
  url.search = new URLSearchParams({ zak }).toString();
  if (!isAllowedZoomUrl(url, extraOrigins)) {
    throw new ZoomTrayError('usage', `Refusing to open ${url.origin}: start URLs must be https on zoom.us or zoomgov.com.`);
  }
  return url;
}
