// The baseline for `zoom-tray start --print`: the least a Node script can do to print the same start
// URL — Node's own fetch, one GET for the ZAK on a fresh connection, the access token handed in.
const [apiBase, webBase, meetingId] = process.argv.slice(2);
fetch(`${apiBase}/users/me/token?type=zak`, { headers: { Authorization: `Bearer ${process.env.BENCH_ACCESS_TOKEN}` } })
  .then((res) => res.json())
  .then(({ token }) => process.stdout.write(`${webBase}/s/${meetingId}?zak=${token}\n`));
