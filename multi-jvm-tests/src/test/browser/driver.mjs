// Drives Debian's Chromium for the end-to-end tests, speaking line-protocol.mjs on stdin/stdout.
import { chromium } from 'playwright-core';
import { serve } from './line-protocol.mjs';

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
    // TLS certificates accepted although no CA the browser knows signed them: only those whose
    // chain has one of these public keys (base64 SHA-256 of the SPKI). Chromium honours the list
    // only with a --user-data-dir, which Playwright always gives.
    ...(process.env.TRUSTED_SPKI_HASHES ? [`--ignore-certificate-errors-spki-list=${process.env.TRUSTED_SPKI_HASHES}`] : []),
  ],
});
serve(browser, async () => {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  return { page: await context.newPage(), context };
});
