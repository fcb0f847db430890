// Preloaded (NODE_OPTIONS=--require …) into a CLI process under test: its wall clock starts at
// ZOOM_TRAY_TEST_NOW and runs on from there, so a command reading "now" sees the fixtures' pinned
// week whatever the date. Test harness only: the product reads no such variable.
'use strict';
const at = Date.parse(process.env.ZOOM_TRAY_TEST_NOW ?? '');
if (!Number.isNaN(at)) {
  const RealDate = Date;
  const realNow = Date.now;
  const offset = at - realNow();
  const now = () => realNow() + offset;
  RealDate.now = now;
  globalThis.Date = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new RealDate(now()).toString(),
  });
}
