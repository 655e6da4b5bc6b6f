// Drives Debian's Firefox ESR for the end-to-end tests, over WebDriver BiDi (puppeteer-core).
// Speaks the same line-delimited JSON as driver.mjs on stdin/stdout:
//   {"id":1,"cmd":"open","page":"alice","url":"http://127.0.0.1:8080/?room=r&autojoin=1"}
//   {"id":2,"cmd":"eval","page":"alice","js":"window.sfu.state"}
//   {"id":3,"cmd":"close","page":"alice"}      {"id":4,"cmd":"shutdown"}
// Each reply is {"id":..,"ok":true,"result":..} or {"id":..,"ok":false,"error":".."}.
// Page console output goes to stderr, prefixed with the page name.
//
// Firefox needs more than flags to take part in a loopback-only call:
// - with fake devices it gathers ICE candidates only on its default-route address (none in a
//   namespace whose only interface is lo) unless camera and microphone are granted, so the
//   permissions are granted by prefs, and loopback candidates are allowed;
// - host candidates are obfuscated as mDNS names unless told otherwise;
// - background tabs are throttled, so every page gets its own window (and its own user context,
//   as driver.mjs gives every page its own browser context).
import puppeteer from 'puppeteer-core';
import { createInterface } from 'node:readline';

const executablePath = process.env.FIREFOX || '/usr/bin/firefox-esr';
// puppeteer-core creates a fresh temporary profile with these prefs, and removes it on close.
const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath,
  headless: true,
  extraPrefsFirefox: {
    'media.navigator.streams.fake': true,
    'media.navigator.permission.disabled': true,
    'permissions.default.camera': 1,
    'permissions.default.microphone': 1,
    'media.peerconnection.ice.loopback': true,
    'media.peerconnection.ice.obfuscate_host_addresses': false,
    'media.autoplay.default': 0,
    'media.autoplay.blocking_policy': 0,
  },
});
const pages = new Map();

function reply(message) {
  process.stdout.write(JSON.stringify(message) + '\n');
}

async function handle(command) {
  switch (command.cmd) {
    case 'open': {
      const context = await browser.createBrowserContext();
      // A window, not a tab: a tab in the background would be throttled.
      await context.userContext.createBrowsingContext('window');
      const page = (await context.pages())[0];
      if (!page) throw new Error('Firefox opened no window');
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
