import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redirectProblem } from '../../main/calendars/fetch-feed';

const from = (address: string) => (to: string): string | undefined => redirectProblem(new URL(address), new URL(to));

test('a redirect is followed to https elsewhere on the internet, never in clear, never with a user name or password', () => {
  const google = from('https://calendar.google.com/calendar/ical/x/private-y/basic.ics');
  assert.equal(google('https://calendar.google.com/calendar/ical/x/private-y/basic.ics?moved=1'), undefined);
  assert.equal(google('https://p23-caldav.icloud.com/published/2/abc'), undefined);
  assert.equal(google('http://calendar.example.org/x.ics'), 'an address that is not https (calendar.example.org)');
  assert.equal(google('ftp://calendar.example.org/x.ics'), 'an address that is not https (calendar.example.org)');
  assert.equal(google('javascript:alert(1)'), 'an address that is not https (javascript)', 'no host: its scheme');
  assert.equal(google('https://user:pw@calendar.example.org/x.ics'), 'an address with a user name or password in it (calendar.example.org)');
  assert.equal(google('https://user@calendar.example.org/x.ics'), 'an address with a user name or password in it (calendar.example.org)');
});

test("a redirect from the internet never goes to this computer or the local network, nor from the local network to this computer; a feed on loopback (the tests') goes anywhere", () => {
  const internet = from('https://calendar.example.org/x.ics');
  for (const host of ['127.0.0.1:8443', '127.1.2.3', 'localhost:631', 'app.localhost', '[::1]:8443', '[::ffff:127.0.0.1]', '0.0.0.0', '[::]', '2130706433', '0x7f.1']) {
    assert.match(internet(`https://${host}/x`) ?? '', /^this computer \(/, host);
  }
  for (const host of ['10.0.0.5', '172.16.1.1', '172.31.255.255', '192.168.1.1:8443', '169.254.169.254', '100.64.0.1', '[fd00::1]', '[fe80::1]', '[::ffff:192.168.1.1]', 'printer.local']) {
    assert.match(internet(`https://${host}/x`) ?? '', /^the local network \(/, host);
  }
  for (const host of ['172.32.0.1', '11.0.0.1', '192.169.0.1', '[2001:db8::1]', 'localhost.example.org', 'local']) assert.equal(internet(`https://${host}/x`), undefined, host);
  const office = from('https://10.0.0.5/calendars/team.ics');
  assert.equal(office('https://10.0.0.6/calendars/team.ics'), undefined, 'within the local network');
  assert.equal(office('https://calendar.example.org/x.ics'), undefined);
  assert.match(office('https://127.0.0.1:8443/x') ?? '', /^this computer/);
  const tests = from('http://127.0.0.1:40000/feed.ics');
  assert.equal(tests('http://127.0.0.1:40001/other.ics'), undefined);
  assert.equal(tests('https://192.168.1.1/x'), undefined);
  assert.equal(tests('http://192.168.1.1/x'), 'an address that is not https (192.168.1.1)', 'plain http only on loopback');
});
