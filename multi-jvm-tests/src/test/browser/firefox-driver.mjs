// Drives Debian's Firefox ESR for the end-to-end tests, over WebDriver BiDi (puppeteer-core).
// Speaks line-protocol.mjs on stdin/stdout, as driver.mjs does.
//
// Firefox needs more than flags to take part in a loopback-only call:
// - with fake devices it gathers ICE candidates only on its default-route address (none in a
//   namespace whose only interface is lo) unless camera and microphone are granted, so the
//   permissions are granted by prefs, and loopback candidates are allowed;
// - host candidates are obfuscated as mDNS names unless told otherwise;
// - background tabs are throttled, so every page gets its own window (and its own user context,
//   as driver.mjs gives every page its own browser context).
import puppeteer from 'puppeteer-core';
import { serve } from './line-protocol.mjs';

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
serve(browser, async () => {
  const context = await browser.createBrowserContext();
  // A window, not a tab: a tab in the background would be throttled.
  await context.userContext.createBrowsingContext('window');
  const page = (await context.pages())[0];
  if (!page) throw new Error('Firefox opened no window');
  return { page, context };
});
