// Drives Debian's Chromium for the end-to-end tests. Speaks line-delimited JSON on stdin/stdout:
//   {"id":1,"cmd":"open","page":"alice","url":"http://127.0.0.1:8080/?room=r&autojoin=1"}
//   {"id":2,"cmd":"eval","page":"alice","js":"window.sfu.state"}
//   {"id":3,"cmd":"close","page":"alice"}      {"id":4,"cmd":"shutdown"}
// Each reply is {"id":..,"ok":true,"result":..} or {"id":..,"ok":false,"error":".."}.
// Page console output goes to stderr, prefixed with the page name.
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
// Playwright gives every launch a fresh, temporary --user-data-dir of its own.
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync',
    '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--autoplay-policy=no-user-gesture-required',
    // Origins other than loopback (a test's own network namespaces) that may use the camera.
    ...(process.env.SECURE_ORIGINS ? [`--unsafely-treat-insecure-origin-as-secure=${process.env.SECURE_ORIGINS}`] : []),
  ],
});
const pages = new Map();

function reply(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

async function handle(command) {
  switch (command.cmd) {
    case 'open': {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      const page = await context.newPage();
      page.on('console', (m) => process.stderr.write(`[${command.page}] ${m.type()}: ${m.text()}\n`));
      page.on('pageerror', (e) => process.stderr.write(`[${command.page}] pageerror: ${e.message}\n`));
      pages.set(command.page, { context, page });
      await page.goto(command.url);
      return true;
    }
    case 'eval': {
      const entry = pages.get(command.page);
      if (!entry) throw new Error(`no page ${command.page}`);
      const result = await entry.page.evaluate(`(async () => (${command.js}))()`);
      return result === undefined ? null : result;
    }
    case 'close': {
      const entry = pages.get(command.page);
      if (entry) {
        pages.delete(command.page);
        await entry.context.close();
      }
      return true;
    }
    case 'shutdown':
      await shutdown();
      return true;
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await browser.close().catch(() => {});
}

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  let command;
  try {
    command = JSON.parse(line);
  } catch (e) {
    reply({ id: null, ok: false, error: 'unreadable command' });
    return;
  }
  handle(command)
    .then((result) => reply({ id: command.id, ok: true, result }))
    .catch((e) => reply({ id: command.id, ok: false, error: String(e && e.message || e) }))
    .finally(() => { if (command.cmd === 'shutdown') process.exit(0); });
});
input.on('close', async () => {
  await shutdown();
  process.exit(0);
});
reply({ id: 0, ok: true, result: 'ready' });
