// The line-delimited JSON both browser drivers speak on stdin/stdout (driver.mjs for Chromium,
// firefox-driver.mjs for Firefox ESR):
//   {"id":1,"cmd":"open","page":"alice","url":"http://127.0.0.1:8080/?room=r&autojoin=1"}
//   {"id":2,"cmd":"eval","page":"alice","js":"window.sfu.state"}
//   {"id":3,"cmd":"close","page":"alice"}      {"id":4,"cmd":"shutdown"}
// Each reply is {"id":..,"ok":true,"result":..} or {"id":..,"ok":false,"error":".."}; the first
// line, id 0, says the driver is ready. Page console output goes to stderr, prefixed with the page name.
import { createInterface } from 'node:readline';

/**
 * Serves the commands with a launched browser.
 * @param browser  has close()
 * @param newPage  async () => { page, context }: a page of its own browser context (page has
 *                 goto, evaluate and on('console' | 'pageerror'), context has close)
 */
export function serve(browser, newPage) {
  const pages = new Map();
  const reply = (message) => process.stdout.write(JSON.stringify(message) + '\n');

  async function handle(command) {
    switch (command.cmd) {
      case 'open': {
        const { page, context } = await newPage();
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
}
