#!/usr/bin/env node
// An SFU call client on libwebrtc through @roamhq/wrtc, driven through /signal (events and
// commands: see common.mjs).
//
// Publishes a synthetic video track (320x240 I420 at 30 fps, a moving picture, through
// nonstandard.RTCVideoSource; libwebrtc encodes it) and a synthetic audio track (a 440 Hz sine,
// 10 ms frames at 48 kHz, through nonstandard.RTCAudioSource), answers the node's subscribe
// offers, and counts the frames libwebrtc DECODED per received track (nonstandard.RTCVideoSink
// and RTCAudioSink), each track mapped to its publisher by the subscribe offer's a=msid.
//
// libwebrtc asks for a keyframe by itself whenever it cannot decode. --no-pli removes the
// `nack pli` and `ccm fir` feedback from the subscribe offer before libwebrtc reads it, so its
// receivers have no keyframe request method and never send PLI nor FIR (NACKs stay); the
// `frames` events carry `plisSent` and `firsSent` from the receivers' statistics to show it.
//
// Options: --url ws://127.0.0.1:PORT/signal --room R --name N [--neighbourhood X]
//          [--publish audio,video|audio|video|none] [--no-pli] [--verbose]

import wrtc from '@roamhq/wrtc';
import { emit, log, main, withoutKeyframeRequests } from './common.mjs';

const { RTCPeerConnection, MediaStream } = wrtc;
const { RTCVideoSource, RTCAudioSource, RTCVideoSink, RTCAudioSink } = wrtc.nonstandard;

const WIDTH = 320;
const HEIGHT = 240;
const FPS = 30;
const RATE = 48000;
const SAMPLES = RATE / 100; // 10 ms

/** Calls `tick(n)` for n = 0, 1, ... every `periodMs`, catching up after a late timer. */
function periodic(periodMs, tick) {
  const start = performance.now();
  let n = 0;
  let timer = null;
  const run = () => {
    const due = Math.floor((performance.now() - start) / periodMs);
    // After a long stall, skip ahead rather than burst more than a few periods at once.
    if (due - n > 5) n = due - 5;
    while (n <= due) tick(n++);
    timer = setTimeout(run, Math.max(0, start + n * periodMs - performance.now()));
  };
  run();
  return () => clearTimeout(timer);
}

/** 320x240 I420: a gradient shifting sideways, a bright bar sweeping, the colour drifting, the
 *  frame number as 16 black/white blocks along the top. */
function pictureFrame(n) {
  const data = new Uint8ClampedArray(WIDTH * HEIGHT * 3 / 2);
  const bar = (n * 4) % WIDTH;
  const block = WIDTH / 16;
  for (let y = 0; y < HEIGHT; y++) {
    const row = y * WIDTH;
    for (let x = 0; x < WIDTH; x++) {
      let value = 40 + ((x + n * 2) % WIDTH) * 160 / WIDTH;
      if (x >= bar && x < bar + 16) value = 235;
      if (y < 16) value = (n >> Math.floor(x / block)) & 1 ? 235 : 16;
      data[row + x] = value;
    }
  }
  const chroma = WIDTH * HEIGHT / 4;
  data.fill(128 + Math.round(60 * Math.sin(n / 45)), WIDTH * HEIGHT, WIDTH * HEIGHT + chroma);
  data.fill(128 + Math.round(60 * Math.cos(n / 60)), WIDTH * HEIGHT + chroma);
  return { width: WIDTH, height: HEIGHT, data };
}

function sineFrame(n) {
  const samples = new Int16Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const s = n * SAMPLES + i;
    samples[i] = Math.round(8000 * Math.sin(2 * Math.PI * 440 * (s % RATE) / RATE));
  }
  return { samples, sampleRate: RATE, bitsPerSample: 16, channelCount: 1, numberOfFrames: SAMPLES };
}

function makeStack(args, client) {
  const config = { iceServers: [] };
  const stoppers = [];
  const sinks = [];
  let publishPc = null;
  let subscribePc = null;
  const keyframeRequests = { plisSent: 0, firsSent: 0 };

  const watch = (pc, name) => {
    pc.onconnectionstatechange = () => client.connection(name, pc.connectionState);
  };

  async function gathered(pc) {
    if (pc.iceGatheringState === 'complete') return;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 5000);
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  async function updateStats() {
    if (!subscribePc) return;
    try {
      const report = await subscribePc.getStats();
      let plis = 0;
      let firs = 0;
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          plis += s.pliCount || 0;
          firs += s.firCount || 0;
        }
      });
      keyframeRequests.plisSent = plis;
      keyframeRequests.firsSent = firs;
    } catch (e) {
      log(`getStats: ${e.message}`);
    }
  }
  const statsTimer = setInterval(updateStats, 500);

  return {
    async publish(kinds) {
      const pc = new RTCPeerConnection(config);
      publishPc = pc;
      watch(pc, 'publish');
      const stream = new MediaStream();
      if (kinds.includes('audio')) {
        const source = new RTCAudioSource();
        const track = source.createTrack();
        stream.addTrack(track);
        pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
        stoppers.push(periodic(1000 / 100, (n) => source.onData(sineFrame(n))), () => track.stop());
      }
      if (kinds.includes('video')) {
        const source = new RTCVideoSource();
        const track = source.createTrack();
        stream.addTrack(track);
        pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
        stoppers.push(periodic(1000 / FPS, (n) => source.onFrame(pictureFrame(n))), () => track.stop());
      }
      await pc.setLocalDescription(await pc.createOffer());
      // Non-trickle: the node reads the client's candidates from the SDP (or learns them from
      // its connectivity checks).
      await gathered(pc);
      return pc.localDescription.sdp;
    },

    async onPublishAnswer(sdp) {
      await publishPc.setRemoteDescription({ type: 'answer', sdp });
    },

    async answerSubscribe(offer) {
      if (!subscribePc) {
        const pc = new RTCPeerConnection(config);
        subscribePc = pc;
        watch(pc, 'subscribe');
        pc.ontrack = (event) => {
          const { track, transceiver } = event;
          const mid = transceiver ? transceiver.mid : null;
          const owner = client.ownerOf(mid, track.id);
          client.track(owner, track.kind, track.id, mid);
          if (track.kind === 'video') {
            const sink = new RTCVideoSink(track);
            sink.onframe = () => client.frame(owner, 'video', track.id);
            sinks.push(sink);
          } else {
            const sink = new RTCAudioSink(track);
            // libwebrtc's audio output runs every 10 ms whether or not packets came: a frame
            // counts once it carries sound (the publishers send a sine, never silence).
            let heard = false;
            sink.ondata = ({ samples }) => {
              if (!heard) {
                heard = samples.some((s) => s !== 0);
                if (!heard) return;
              }
              client.frame(owner, 'audio', track.id);
            };
            sinks.push(sink);
          }
        };
      }
      const pc = subscribePc;
      await pc.setRemoteDescription({ type: 'offer', sdp: args.noPli ? withoutKeyframeRequests(offer) : offer });
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered(pc);
      return pc.localDescription.sdp;
    },

    extraCounts() {
      return keyframeRequests;
    },

    async close() {
      await updateStats();
      clearInterval(statsTimer);
      for (const stop of stoppers) stop();
      for (const sink of sinks) sink.stop();
      for (const pc of [publishPc, subscribePc]) {
        if (pc) pc.close();
      }
    },
  };
}

main({}, makeStack);
