// Makes a publish offer with Debian's Chromium, or with Firefox ESR given --firefox (headless,
// fake camera and microphone), for the SDP corpus and the round trip.
//
//   node browser.mjs CASE [--firefox] [--offer FILE] [--gathered FILE] [--answer-cmd CMD]
//
// Prints the offer createOffer() made (or writes it to --offer FILE); --gathered FILE also
// writes the local description once ICE gathering is complete (non-trickle). With --answer-cmd,
// the offer is piped to CMD, whose output is applied with setRemoteDescription; the result is
// printed as one line `PASS|FAIL|REFUSED <browser>-CASE: detail` (REFUSED: CMD exited with 2, the
// node's refusal).
//
// playwright-core (Chromium) and puppeteer-core (Firefox, over WebDriver BiDi) come from the
// browser drivers of multi-jvm-tests (npm ci there). Run it in a
// network namespace with only lo up: unshare --net -- bash -c 'ip link set lo up && node ...'.
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../../../../..');
const require = createRequire(join(repo, 'multi-jvm-tests/src/test/browser/package.json'));
const { chromium } = require('playwright-core');
const puppeteer = require('puppeteer-core');

// case -> [bundle policy, what the page sends]
const CASES = {
  'balanced': ['balanced', { audio: true, video: true }],
  'max-compat': ['max-compat', { audio: true, video: true }],
  'max-bundle': ['max-bundle', { audio: true, video: true }],
  'simulcast': ['max-bundle', { audio: true, video: true, simulcast: true }],
  'audio-only': ['max-bundle', { audio: true }],
  'datachannel': ['max-bundle', { audio: true, video: true, data: true }],
};

const args = process.argv.slice(2);
const name = args[0];
if (!CASES[name]) {
  console.error(`usage: browser.mjs ${Object.keys(CASES).join('|')} [--firefox] [--offer FILE] [--gathered FILE] [--answer-cmd CMD]`);
  process.exit(2);
}
const firefox = args.includes('--firefox');
const stack = firefox ? 'firefox' : 'chromium';
const option = (flag) => {
  const i = args.indexOf(flag);
  return i > 0 ? args[i + 1] : undefined;
};
const [bundlePolicy, sends] = CASES[name];

// getUserMedia needs a secure context: a page from 127.0.0.1 is one.
const server = createServer((req, res) => res.end('<!doctype html><title>publish</title>'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = firefox
  ? await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX || '/usr/bin/firefox-esr',
    headless: true,
    // As multi-jvm-tests' firefox-driver.mjs: fake devices granted, loopback candidates, no mDNS names.
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'permissions.default.camera': 1,
      'permissions.default.microphone': 1,
      'media.peerconnection.ice.loopback': true,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
    },
  })
  : await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
let status = 0;
try {
  const page = firefox ? await browser.newPage()
    : await (await browser.newContext({ permissions: ['camera', 'microphone'] })).newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  const offer = await page.evaluate(async ({ bundlePolicy, sends }) => {
    const pc = new RTCPeerConnection({ bundlePolicy });
    window.pc = pc;
    const stream = await navigator.mediaDevices.getUserMedia({ audio: !!sends.audio, video: !!sends.video });
    for (const track of stream.getAudioTracks()) {
      pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    }
    for (const track of stream.getVideoTracks()) {
      const init = { direction: 'sendonly', streams: [stream] };
      if (sends.simulcast) {
        init.sendEncodings = [
          { rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }];
      }
      pc.addTransceiver(track, init);
    }
    if (sends.data) {
      pc.createDataChannel('chat');
    }
    const description = await pc.createOffer();
    await pc.setLocalDescription(description);
    return description.sdp;
  }, { bundlePolicy, sends });
  if (option('--offer')) {
    writeFileSync(option('--offer'), offer);
  } else if (!option('--answer-cmd')) {
    process.stdout.write(offer);
  }
  if (option('--gathered')) {
    const gathered = await page.evaluate(() => new Promise((resolve) => {
      const done = () => resolve(window.pc.localDescription.sdp);
      if (window.pc.iceGatheringState === 'complete') done();
      window.pc.addEventListener('icegatheringstatechange', () => {
        if (window.pc.iceGatheringState === 'complete') done();
      });
      setTimeout(done, 10000);
    }));
    writeFileSync(option('--gathered'), gathered);
  }
  if (option('--answer-cmd')) {
    status = await roundTrip(page, offer, option('--answer-cmd'));
  }
} finally {
  await browser.close();
  server.close();
}
process.exit(status);

async function roundTrip(page, offer, command) {
  let answer;
  try {
    answer = execSync(command, { input: offer, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    if (e.status === 2) {
      console.log(`REFUSED ${stack}-${name}: ${String(e.stderr).trim()}`);
      return 3;
    }
    console.log(`FAIL ${stack}-${name}: the answer command failed: ${String(e.stderr).trim()}`);
    return 1;
  }
  const result = await page.evaluate(async (sdp) => {
    try {
      await window.pc.setRemoteDescription({ type: 'answer', sdp });
    } catch (e) {
      return { error: `${e.name}: ${e.message}` };
    }
    return {
      state: window.pc.signalingState,
      transceivers: window.pc.getTransceivers().map((t) => `${t.mid}=${t.currentDirection}`).join(' '),
    };
  }, answer);
  if (result.error) {
    console.log(`FAIL ${stack}-${name}: setRemoteDescription: ${result.error}`);
    return 1;
  }
  console.log(`PASS ${stack}-${name}: answer applied, signaling ${result.state}; transceivers ${result.transceivers}`);
  return 0;
}
