// The part of the Node test clients that does not depend on the WebRTC stack: /signal, the events
// on stdout, the commands on stdin, and mapping received tracks to their publishers.
//
// Events, one JSON object per line on stdout (`t` is this process's CLOCK_MONOTONIC in seconds,
// the clock Python's time.monotonic() reads, so events of different clients compare):
//   {"event":"hello","node":...}
//   {"event":"joined","participantId":...,"node":...,"t":...}
//   {"event":"published","t":...}                          (the node answered the publish offer)
//   {"event":"connection","pc":"publish"|"subscribe","state":...,"t":...}
//   {"event":"track","from":...,"kind":...,"trackId":...,"mid":...,"t":...}
//   {"event":"first-frame","from":...,"kind":"video"|"audio","trackId":...,"t":...,"sinceJoined":...}
//   {"event":"frames","counts":{"<participantId>":{"video":n,"audio":n}},"t":...}   (every 0.5 s)
//   {"event":"signal","type":...}                          (other node frames, e.g. participant-left)
//   {"event":"error","message":...}
//   {"event":"left","t":...}
// Commands on stdin, one a line: `leave` (leave the call and exit). End of stdin does the same.
// Diagnostics go to stderr.

import readline from 'node:readline';
import WebSocket from 'ws';

export function now() {
  return Number(process.hrtime.bigint()) / 1e9;
}

export function log(...parts) {
  process.stderr.write(parts.join(' ') + '\n');
}

export function emit(event, fields = {}) {
  const record = { event, ...fields };
  if (record.t === undefined) {
    record.t = now();
  }
  process.stdout.write(JSON.stringify(record) + '\n');
}

/** --name value and --flag options; `defaults` names every option and its default. */
export function parseArgs(argv, defaults) {
  const args = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      throw new Error(`unexpected argument ${arg}`);
    }
    const key = arg.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!(key in defaults)) {
      throw new Error(`unknown option ${arg}`);
    }
    if (typeof defaults[key] === 'boolean') {
      args[key] = true;
    } else {
      args[key] = argv[++i];
    }
  }
  for (const required of ['url', 'room', 'name']) {
    if (!args[required]) {
      throw new Error(`--${required} is required`);
    }
  }
  args.publish = args.publish === 'none' ? [] : args.publish.split(',').map((k) => k.trim()).filter(Boolean);
  return args;
}

/** {mid: [participantId, trackId]} from the a=msid lines of an SDP. */
export function msidsByMid(sdp) {
  const result = {};
  let mid = null;
  let msid = null;
  const flush = () => {
    if (mid !== null && msid !== null) {
      result[mid] = msid;
    }
  };
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      flush();
      mid = null;
      msid = null;
    } else if (line.startsWith('a=mid:')) {
      mid = line.slice('a=mid:'.length).trim();
    } else if (line.startsWith('a=msid:')) {
      const parts = line.slice('a=msid:'.length).trim().split(/\s+/);
      if (parts.length >= 2) {
        msid = [parts[0], parts[1]];
      }
    }
  }
  flush();
  return result;
}

/** Removes the keyframe-request feedback (`nack pli`, `ccm fir`) from every m-line of an SDP. */
export function withoutKeyframeRequests(sdp) {
  return sdp.split('\r\n').filter((line) => !/^a=rtcp-fb:\S+ (nack pli|ccm fir)\s*$/.test(line)).join('\r\n');
}

/**
 * Runs one client. `stack` does the media:
 *   prepare() (optional, before connecting);  publish(kinds) -> offer SDP;  onPublishAnswer(sdp);  answerSubscribe(offerSdp) -> answer SDP;
 *   extraCounts() -> fields added to every `frames` event;  close().
 * It calls back `client.frame(owner, kind, trackId)` for every decoded frame and
 * `client.track(owner, kind, trackId, mid)` when a received track starts.
 */
export class Client {
  constructor(args, stack) {
    this.args = args;
    this.stack = stack;
    this.participantId = null;
    this.joinedAt = null;
    this.msids = {};        // mid -> [participantId, trackId], from the subscribe offers
    this.trackOwners = {};  // trackId -> participantId, from track-published / joined.tracks
    this.counts = {};       // participantId -> {video: n, audio: n}
    this.first = new Set();
    this.leaving = false;
    this.ponged = null;
    this.pending = Promise.resolve();
  }

  run() {
    this.ws = new WebSocket(this.args.url, { maxPayload: 0 });
    this.ws.on('message', (data) => {
      // One frame at a time, in order: an answer must not overtake the offer before it.
      this.pending = this.pending.then(() => this.onFrame(JSON.parse(data.toString()))).catch((e) => {
        emit('error', { message: `${e.name} handling a node frame: ${e.message}` });
        log(e.stack);
      });
    });
    this.ws.on('close', () => {
      if (!this.leaving) {
        emit('error', { message: 'signal socket closed by the node' });
        this.leave();
      }
    });
    this.ws.on('error', (e) => emit('error', { message: `signal socket: ${e.message}` }));
    this.reporter = setInterval(() => this.reportCounts(), 500);
    const lines = readline.createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      const command = line.trim();
      if (command === 'leave') {
        this.leave();
      } else if (command) {
        emit('error', { message: `unknown command '${command}'` });
      }
    });
    lines.on('close', () => this.leave());
  }

  send(frame) {
    this.ws.send(JSON.stringify(frame));
  }

  async onFrame(frame) {
    if (frame.type === 'pong' && this.ponged) {
      this.ponged();
    }
    if (this.leaving) {
      return; // after `leave`, offers and events are of a call this client has left
    }
    switch (frame.type) {
      case 'hello':
        emit('hello', { node: frame.node });
        this.send({
          type: 'join', id: 'join-1', neighbourhood: this.args.neighbourhood, room: this.args.room,
          did: 'did:key:z6Mk' + this.args.name, name: this.args.name, autoSubscribe: true,
        });
        break;
      case 'joined':
        this.joinedAt = now();
        this.participantId = frame.participantId;
        for (const track of frame.tracks || []) {
          this.trackOwners[track.trackId] = track.participantId;
        }
        emit('joined', { participantId: this.participantId, node: frame.node, topology: frame.topology, t: this.joinedAt });
        if (this.args.publish.length > 0) {
          // Not awaited: a subscribe offer that comes meanwhile is answered at once.
          this.stack.publish(this.args.publish).then((sdp) => {
            if (this.args.verbose) log('publish offer:\n' + sdp);
            this.send({ type: 'offer', pc: 'publish', sdp });
          }).catch((e) => {
            emit('error', { message: `publish: ${e.name}: ${e.message}` });
            log(e.stack);
          });
        }
        break;
      case 'answer':
        if (frame.pc === 'publish') {
          if (this.args.verbose) log('publish answer:\n' + frame.sdp);
          await this.stack.onPublishAnswer(frame.sdp);
          emit('published');
        }
        break;
      case 'offer':
        if (frame.pc === 'subscribe') {
          if (this.args.verbose) log('subscribe offer:\n' + frame.sdp);
          Object.assign(this.msids, msidsByMid(frame.sdp));
          const sdp = await this.stack.answerSubscribe(frame.sdp);
          if (this.args.verbose) log('subscribe answer:\n' + sdp);
          this.send({ type: 'answer', pc: 'subscribe', sdp });
        }
        break;
      case 'track-published':
        this.trackOwners[frame.track.trackId] = frame.track.participantId;
        emit('signal', { type: frame.type, track: frame.track });
        break;
      case 'error':
        emit('error', { message: `node error ${frame.code}: ${frame.message}`, code: frame.code });
        break;
      case 'participant-joined':
      case 'participant-left':
      case 'track-unpublished':
      case 'track-unavailable':
        emit('signal', { type: frame.type, frame });
        break;
      default:
        break;
    }
  }

  /** The publisher of the track received on `mid` (or with id `trackId`). */
  ownerOf(mid, trackId) {
    if (mid != null && this.msids[mid]) {
      return this.msids[mid][0];
    }
    return this.trackOwners[trackId] || 'unknown';
  }

  track(owner, kind, trackId, mid) {
    emit('track', { from: owner, kind, trackId, mid });
    this.counts[owner] ??= { video: 0, audio: 0 };
  }

  frame(owner, kind, trackId) {
    const counts = (this.counts[owner] ??= { video: 0, audio: 0 });
    counts[kind] = (counts[kind] || 0) + 1;
    const key = `${owner}/${kind}/${trackId}`;
    if (!this.first.has(key)) {
      this.first.add(key);
      const t = now();
      emit('first-frame', { from: owner, kind, trackId, t, sinceJoined: Math.round((t - this.joinedAt) * 1e4) / 1e4 });
    }
  }

  connection(pc, state) {
    this.states ??= {};
    if (this.states[pc] !== state) {
      this.states[pc] = state;
      emit('connection', { pc, state });
    }
  }

  reportCounts() {
    emit('frames', { counts: this.counts, ...this.stack.extraCounts() });
  }

  async leave() {
    if (this.leaving) return;
    this.leaving = true;
    // The node handles a socket's requests in order: its pong says the leave went through, so
    // closing the peer connections afterwards is not mistaken for a lost connection.
    try {
      if (this.ws.readyState === WebSocket.OPEN) {
        const pong = new Promise((resolve) => { this.ponged = resolve; });
        this.send({ type: 'leave' });
        this.send({ type: 'ping' });
        await Promise.race([pong, new Promise((resolve) => setTimeout(resolve, 3000))]);
      }
    } catch (e) {
      log(`leave: ${e.message}`);
    }
    clearInterval(this.reporter);
    try {
      await this.stack.close();
    } catch (e) {
      log(`close: ${e.message}`);
    }
    // Let the peer connections' last state changes come out before `left`.
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.reportCounts();
    emit('left');
    try { this.ws.close(); } catch { /* already closed */ }
    // Native handles (libwebrtc threads, sockets, child processes) must not keep the process up.
    setTimeout(() => process.exit(0), 200);
  }
}

export function main(defaults, makeStack) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2), {
      url: '', room: '', name: '', neighbourhood: 'neighbourhood://test', publish: 'audio,video',
      noPli: false, verbose: false, ...defaults,
    });
  } catch (e) {
    emit('error', { message: e.message });
    process.exit(2);
  }
  const client = new Client(args, null);
  client.stack = makeStack(args, client);
  if (client.stack.prepare) {
    client.stack.prepare();
  }
  process.on('uncaughtException', (e) => {
    emit('error', { message: `${e.name}: ${e.message}` });
    log(e.stack);
  });
  client.run();
  return client;
}
