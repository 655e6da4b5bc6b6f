#!/usr/bin/env node
// An SFU call client on werift (pure TypeScript WebRTC), driven through /signal (events and
// commands: see common.mjs).
//
// werift carries RTP but has no codecs, so the media goes through GStreamer (gst_media.py run by
// /usr/bin/python3):
// - publish: gst_media.py encodes a moving test picture (VP8, 320x240 at 30 fps) and a sine
//   (Opus) to RTP on two local UDP ports; this client reads those packets and writes them to its
//   werift tracks. Every PLI werift receives for the video is passed on to the encoder, which
//   makes its next frame a keyframe; otherwise keyframes come every --keyframe-interval seconds
//   (default 100 s).
// - receive: the RTP of each received track is sent to its own gst_media.py decoder
//   (rtpvp8depay ! vp8dec, rtpopusdepay ! opusdec) on a local UDP port; a frame counts when the
//   decoder outputs it.
// werift sends no PLI of its own (only when the application calls sendRtcpPLI), nor do these
// decoders ask for keyframes: this client never asks for a keyframe, with or without --no-pli.
// The `frames` events carry `plisSent` (0) and `plisReceived` (the publisher's).
//
// Options: --url ws://127.0.0.1:PORT/signal --room R --name N [--neighbourhood X]
//          [--publish audio,video|audio|video|none] [--no-pli] [--keyframe-interval S] [--verbose]
// Everything stays on 127.0.0.1: ICE gathers the loopback address only, without STUN.

import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, useAbsSendTime, useSdesMid,
} from 'werift';
import { emit, log, main } from './common.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HELPER = path.join(HERE, 'gst_media.py');
const PYTHON = process.env.SFU_PYTHON || '/usr/bin/python3';

function startHelper(args, onLine) {
  const child = spawn(PYTHON, [HELPER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  readline.createInterface({ input: child.stdout }).on('line', onLine);
  readline.createInterface({ input: child.stderr }).on('line', (line) => log(`[gst ${args[0]}] ${line}`));
  child.on('exit', (code, signal) => {
    if (!child.stopping) emit('error', { message: `gst_media.py ${args[0]} exited (${code ?? signal})` });
  });
  child.stdin.on('error', () => { /* the helper is gone; its exit is reported */ });
  return child;
}

function stopHelper(child) {
  if (!child) return;
  child.stopping = true;
  child.stdin.end();
  setTimeout(() => child.kill('SIGKILL'), 1000).unref();
}

/** A UDP socket on 127.0.0.1 with a port the system chose. */
function bindLoopback() {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}

/** A free port on 127.0.0.1 for a decoder to bind. */
async function freePort() {
  const socket = await bindLoopback();
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

function makeStack(args, client) {
  const config = {
    iceServers: [],
    bundlePolicy: 'max-bundle',
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
    codecs: {
      audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2, payloadType: 111 })],
      video: [new RTCRtpCodecParameters({
        mimeType: 'video/VP8', clockRate: 90000, payloadType: 96,
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }],
      })],
    },
    headerExtensions: { audio: [useSdesMid()], video: [useSdesMid(), useAbsSendTime()] },
  };
  let publishPc = null;
  let subscribePc = null;
  let publisher = null;
  const publishSockets = [];
  let decoder = null;
  let out = null; // the socket received RTP leaves by, towards the decoders
  const decoding = new Map(); // port -> {owner, kind, trackId}
  const stats = { plisSent: 0, plisReceived: 0 };

  const watch = (pc, name) => {
    pc.connectionStateChange.subscribe((state) => {
      client.connection(name, state);
      if (name === 'publish' && state === 'connected' && publisher) {
        // Packets encoded before DTLS was up were dropped: start the receivers on a keyframe.
        publisher.stdin.write('keyframe\n');
      }
    });
  };

  async function gathered(pc) {
    if (pc.iceGatheringState === 'complete') return;
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 5000);
      const { unSubscribe } = pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          clearTimeout(timer);
          unSubscribe();
          resolve();
        }
      });
    });
  }

  /** Sends the track's RTP to a decoder of its own; packets wait until the decoder reads its
   *  port (a first keyframe sent to a port not yet bound would be lost, and nothing here asks
   *  for another). */
  function decode(owner, kind, track, mid) {
    const source = { owner, kind, trackId: track.id, port: 0, ready: false, queue: [] };
    let packets = 0;
    track.onReceiveRtp.subscribe((rtp) => {
      if (args.verbose && packets++ % 200 === 0) log(`rtp ${kind} of ${owner}: ${packets} packets, pt ${rtp.header.payloadType}`);
      if (source.ready) {
        out.send(rtp.serialize(), source.port, '127.0.0.1');
      } else if (source.queue.length < 5000) {
        source.queue.push(rtp.serialize());
      }
    });
    (async () => {
      await prepared;
      source.port = await freePort();
      decoding.set(source.port, source);
      decoder.stdin.write(`${kind} ${source.port}\n`);
      if (args.verbose) log(`decoding ${kind} of ${owner} (mid ${mid}) on port ${source.port}`);
    })().catch((e) => emit('error', { message: `decoder: ${e.message}` }));
  }

  let prepared = null;

  return {
    /** Starts GStreamer (its encoders run from now on) before joining, so that neither the
     *  Python start-up nor the pipelines' counts in the time from `joined` to a first frame. */
    prepare() {
      prepared = (async () => {
        decoder = startHelper(['receive'], (line) => {
          const [word, port] = line.split(' ');
          const source = decoding.get(Number(port));
          if (word === 'decoded' && source) {
            client.frame(source.owner, source.kind, source.trackId);
          } else if (word === 'ready' && source) {
            source.ready = true;
            for (const packet of source.queue.splice(0)) out.send(packet, source.port, '127.0.0.1');
            if (args.verbose) log(`decoder of ${source.kind} from ${source.owner} ready`);
          }
        });
        out = await bindLoopback();
        const sockets = {};
        if (args.publish.length > 0) {
          for (const kind of ['audio', 'video']) {
            sockets[kind] = await bindLoopback();
            publishSockets.push(sockets[kind]);
          }
          publisher = startHelper(['publish', '--video-port', String(sockets.video.address().port),
            '--audio-port', String(sockets.audio.address().port), '--keyframe-interval', String(args.keyframeInterval)],
          (line) => log(`[gst publish] ${line}`));
        }
        return { sockets };
      })();
    },

    async publish(kinds) {
      const pc = new RTCPeerConnection(config);
      publishPc = pc;
      watch(pc, 'publish');
      const { sockets } = await prepared;
      for (const kind of ['audio', 'video']) {
        const socket = sockets[kind];
        if (!kinds.includes(kind)) continue;
        const track = new MediaStreamTrack({ kind });
        const transceiver = pc.addTransceiver(track, { direction: 'sendonly' });
        socket.on('message', (packet) => track.writeRtp(packet));
        if (kind === 'video') {
          transceiver.sender.onPictureLossIndication.subscribe(() => {
            stats.plisReceived++;
            if (publisher) publisher.stdin.write('keyframe\n');
          });
        }
      }
      await pc.setLocalDescription(await pc.createOffer());
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
        pc.ontrack = ({ track, transceiver }) => {
          const mid = transceiver ? transceiver.mid : null;
          const owner = client.ownerOf(mid, track.id);
          client.track(owner, track.kind, track.id, mid);
          decode(owner, track.kind, track, mid);
        };
      }
      const pc = subscribePc;
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered(pc);
      return pc.localDescription.sdp;
    },

    extraCounts() {
      return stats;
    },

    async close() {
      stopHelper(publisher);
      stopHelper(decoder);
      for (const socket of publishSockets) socket.close();
      if (out) out.close();
      for (const pc of [publishPc, subscribePc]) {
        if (pc) await pc.close();
      }
    },
  };
}

main({ keyframeInterval: '100' }, makeStack);
