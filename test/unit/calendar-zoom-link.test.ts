import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeEntities, findZoomLink, MAX_FIELD_LENGTH, MAX_WRAPPERS, stripHtml, unwrapLink } from '../../main/calendars/zoom-link';

const SAFELINK =
  'https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fcontoso.zoom.us%2Fj%2F87654321098%3Fpwd%3DsEcReT42&data=05%7C02%7Cjane%40example.com&sdata=AbC%2Bd%3D&reserved=0';

test('conference data, then the URL, the location, the notes, the notes without HTML: the first field with a Zoom meeting wins', () => {
  const all = {
    conference: 'https://zoom.us/j/81111111111',
    url: 'https://zoom.us/j/82222222222',
    location: 'https://zoom.us/j/83333333333',
    description: 'Join: https://zoom.us/j/84444444444',
    htmlDescription: '<a href="https://zoom.us/j/85555555555">Join</a>',
  };
  assert.equal(findZoomLink(all)?.id, '81111111111');
  assert.equal(findZoomLink({ ...all, conference: 'https://meet.google.com/abc-defg-hij' })?.id, '82222222222', 'a Meet link is no Zoom meeting');
  assert.equal(findZoomLink({ ...all, conference: undefined, url: undefined })?.id, '83333333333');
  assert.equal(findZoomLink({ description: all.description, htmlDescription: all.htmlDescription })?.id, '84444444444');
  assert.equal(findZoomLink({ htmlDescription: all.htmlDescription })?.id, '85555555555');
  assert.equal(findZoomLink({ location: 'Room 4.12', description: 'No link, just Meeting ID: 812 3456 7890' }), undefined, 'no link: not a meeting shown');
});

test('within one field the longest link wins, so the one with the passcode is kept', () => {
  const text = 'Join https://zoom.us/j/81234567890 or https://zoom.us/j/81234567890?pwd=AbC1 — same meeting';
  assert.deepEqual(findZoomLink({ description: text }), { id: '81234567890', url: 'https://zoom.us/j/81234567890?pwd=AbC1' });
  assert.deepEqual(findZoomLink({ description: text.split(' or ').reverse().join(' or ') }), { id: '81234567890', url: 'https://zoom.us/j/81234567890?pwd=AbC1' });
});

test('the join link keeps the passcode and drops the rest; any *.zoom.us or *.zoomgov.com host', () => {
  assert.deepEqual(findZoomLink({ location: 'https://us02web.zoom.us/j/81234567890?pwd=AbCdEf.1&from=addon&uname=x' }), {
    id: '81234567890',
    url: 'https://us02web.zoom.us/j/81234567890?pwd=AbCdEf.1',
  });
  assert.equal(findZoomLink({ description: 'ZoomGov: https://agency.zoomgov.com/j/1601234567?pwd=g' })?.url, 'https://agency.zoomgov.com/j/1601234567?pwd=g');
  assert.equal(findZoomLink({ description: 'Webinar https://zoom.us/w/81234567890?tk=t&pwd=w' })?.url, 'https://zoom.us/w/81234567890?pwd=w');
});

test('Outlook SafeLinks and Google redirects are unwrapped, passcode kept', () => {
  assert.equal(unwrapLink(SAFELINK), 'https://contoso.zoom.us/j/87654321098?pwd=sEcReT42');
  assert.deepEqual(findZoomLink({ description: `Join Zoom Meeting:\n${SAFELINK}\n` }), { id: '87654321098', url: 'https://contoso.zoom.us/j/87654321098?pwd=sEcReT42' });
  const google = 'https://www.google.com/url?q=https%3A%2F%2Fzoom.us%2Fj%2F81234567890%3Fpwd%3DgG&sa=D&source=calendar';
  assert.equal(findZoomLink({ description: google })?.url, 'https://zoom.us/j/81234567890?pwd=gG');
  // Only those redirectors: another site's `url=` parameter is not followed.
  assert.equal(unwrapLink('https://evil.example/?url=https%3A%2F%2Fzoom.us%2Fj%2F81234567890'), 'https://evil.example/?url=https%3A%2F%2Fzoom.us%2Fj%2F81234567890');
  assert.equal(findZoomLink({ description: 'https://evil.example/?url=https%3A%2F%2Fzoom.us%2Fj%2F81234567890' }), undefined);
  // A SafeLinks host that is not Microsoft's is no SafeLinks.
  assert.equal(unwrapLink(SAFELINK.replace('outlook.com', 'outlook.com.evil.example')), SAFELINK.replace('outlook.com', 'outlook.com.evil.example'));
});

test('redirectors inside redirectors (an invitation forwarded through Outlook twice) are unwrapped a few levels, and the innermost host still decides', () => {
  const safelinks = (link: string): string => `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(link)}&data=05%7C02&reserved=0`;
  const google = (link: string): string => `https://www.google.com/url?q=${encodeURIComponent(link)}&sa=D`;
  const zoom = 'https://zoom.us/j/81234567890?pwd=tw1ce';
  assert.equal(unwrapLink(safelinks(safelinks(zoom))), zoom);
  assert.equal(findZoomLink({ description: `Join: ${safelinks(safelinks(zoom))}` })?.url, zoom);
  assert.equal(findZoomLink({ htmlDescription: `<a href="${google(safelinks(google(zoom)))}">Join</a>` })?.url, zoom);
  let deep = zoom;
  for (let i = 0; i < MAX_WRAPPERS; i++) deep = safelinks(deep);
  assert.equal(findZoomLink({ location: deep })?.url, zoom, `${MAX_WRAPPERS} deep`);
  assert.equal(findZoomLink({ location: safelinks(deep) }), undefined, 'one deeper is left wrapped, and a wrapper is no Zoom link');
  // However deep, the host of the link inside decides.
  assert.equal(findZoomLink({ location: safelinks(safelinks('https://evil.example/j/81234567890')) }), undefined);
  assert.equal(findZoomLink({ location: safelinks(google('javascript:alert(1)//https://zoom.us/j/81234567890')) }), undefined);
});

test('look-alike hosts, user info, plain http, zoom.com and personal links are not meetings', () => {
  for (const link of [
    'https://zoom.us.evil.example/j/81234567890?pwd=x',
    'https://zoom.us@evil.example/j/81234567890?pwd=x',
    'https://evilzoom.us/j/81234567890',
    'https://zoom.us:8443/j/81234567890',
    'http://zoom.us/j/81234567890',
    'https://zoom.com/j/81234567890',
    'https://zoom.us/my/grandma.rose',
    'https://zoom.us/support/download',
  ]) {
    for (const field of ['conference', 'url', 'location', 'description', 'htmlDescription'] as const) assert.equal(findZoomLink({ [field]: link }), undefined, `${field}: ${link}`);
  }
});

test('HTML notes: links in href attributes and entity-encoded links are found, tags and entities gone', () => {
  const html = '<p>Weekly sync.</p><p><a href="https://zoom.us/j/86667778889?pwd=Sync2026&amp;uname=jane">Join Zoom Meeting</a></p>';
  assert.equal(findZoomLink({ description: html })?.url, 'https://zoom.us/j/86667778889?pwd=Sync2026');
  // `&amp;` before pwd would otherwise hide it behind a parameter named "amp;pwd".
  assert.equal(findZoomLink({ description: 'https://zoom.us/j/86667778889?uname=j&amp;pwd=Sync2026' })?.url, 'https://zoom.us/j/86667778889?pwd=Sync2026');
  assert.equal(findZoomLink({ htmlDescription: '<a href=\'https://zoom.us/j/81234567890?pwd=q\'>here</a>' })?.url, 'https://zoom.us/j/81234567890?pwd=q');
  assert.equal(stripHtml('<b>Join</b>&nbsp;<i>now</i>&#33; &lt;3 &#x263A;'), ' Join   now ! <3 ☺');
  assert.equal(decodeEntities('&unknown; &amp;amp; &#0;'), '&unknown; &amp; &#0;');
});

test('HTML as mail clients and hand-written invitations have it: uppercase tags, a `>` inside a quoted href, scripts and styles with their content, stray `<`', () => {
  const links = (html: string): string[] => [...stripHtml(html).matchAll(/https:\/\/\S+/g)].map((m) => m[0]);
  assert.deepEqual(links('<A CLASS="x" HREF = "https://zoom.us/j/81234567890?pwd=a>b" TARGET=_blank>Join</A>'), ['https://zoom.us/j/81234567890?pwd=a>b']);
  assert.deepEqual(links('<<a href="https://zoom.us/j/81234567890">x</a>'), ['https://zoom.us/j/81234567890'], 'a stray `<` before a link is text');
  assert.deepEqual(links("<a href='https://zoom.us/j/81111111111 href=\"https://zoom.us/j/82222222222\">"), ['https://zoom.us/j/82222222222'], 'an href whose quote never closes gives way to the next');
  assert.deepEqual(links('<a href="https://zoom.us/j/81234567890\n">x</a>'), [], "an href's value ends on its line");
  assert.equal(stripHtml('a<script type="x">var u = "https://zoom.us/j/81234567890";</script >b<STYLE>p { }</STYLE>c'), 'a b c');
  assert.equal(stripHtml('<script>no closing tag <b>x'), ' no closing tag  x', 'a script never closed is a tag like any other');
  assert.equal(stripHtml('1 < 2 and 3 <= 4'), '1 < 2 and 3 <= 4', 'a `<` no `>` follows is text');
});

test('a field longer than MAX_FIELD_LENGTH (256 KB) is not looked through; one of that length is', () => {
  const link = 'https://zoom.us/j/81234567890';
  const padded = (length: number): string => `${link} ${'x'.repeat(length - link.length - 1)}`;
  assert.equal(MAX_FIELD_LENGTH, 256 * 1024);
  for (const field of ['location', 'description', 'htmlDescription'] as const) {
    assert.equal(findZoomLink({ [field]: padded(MAX_FIELD_LENGTH) })?.id, '81234567890', field);
    assert.equal(findZoomLink({ [field]: padded(MAX_FIELD_LENGTH + 1) }), undefined, field);
  }
});

test('malformed HTML costs time in proportion to its length: inputs that took the regular expressions seconds take milliseconds', () => {
  // Each input is looked through as Outlook's HTML body, then as plain text run through stripHtml;
  // the link at the end must still be found. Before the linear scanner (a6e05de, one machine of
  // 2 cores): `<a href="x` x400 (4 KB) took 20 s (cubic); `<` x200,000 about 60 s and
  // `<script ` x30,000 (240 KB) about 7 s (quadratic). 2 s leaves room for any loaded machine.
  const link = ' <a href="https://zoom.us/j/81234567890?pwd=ok">Join</a>';
  const inputs: Record<string, string> = {
    'unclosed <a href="': '<a href="x'.repeat(400),
    'unclosed <': '<'.repeat(200_000),
    'unclosed <script': '<script '.repeat(30_000),
    'unclosed <style> and quotes': '<style>\'"'.repeat(25_000),
  };
  for (const [name, garbage] of Object.entries(inputs)) {
    const started = performance.now();
    stripHtml(garbage);
    const found = findZoomLink({ htmlDescription: `${garbage}">${link}` });
    const ms = performance.now() - started;
    assert.ok(ms < 2000, `${name} (${garbage.length} characters): ${Math.round(ms)} ms`);
    assert.equal(found?.url, 'https://zoom.us/j/81234567890?pwd=ok', name);
  }
});
