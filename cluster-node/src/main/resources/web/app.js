// Web client for the ADAM SFU: joins a room, publishes camera and microphone on the `publish`
// peer connection, and shows every remote participant received on the `subscribe` connection.
// A node that drains sends `reconnect`: the client joins through the new node first and leaves
// the old one once others decode what it publishes there (make before break).
import { SignalSocket } from './signal.js';
import { MeshCall } from './mesh.js';
import { inboundStats, connectionPath } from './stats.js';
import { loadIdentity } from './identity.js';
import { SettingsPanel } from './settings.js';
import { watchPath } from './path-watch.js';

const $ = (id) => document.getElementById(id);
const form = $('join-form');
const params = new URLSearchParams(location.search);
for (const field of ['neighbourhood', 'room', 'name']) {
  if (params.get(field)) form.elements[field].value = params.get(field);
}
const options = {
  autoSubscribe: params.get('autoSubscribe') !== '0',
  publish: params.get('publish') !== '0',
  simulcast: params.get('simulcast') === '1',
  quality: params.get('quality') || 'auto',
  // Tests: the peer connections' bundle policy, and the one video codec to publish with.
  bundlePolicy: params.get('bundlePolicy') || 'max-bundle',
  codec: (params.get('codec') || '').toLowerCase() || null,
  capture: captureSize(params.get('capture')),
};
/** Above this many people the grid becomes a speaker view (source design: grids over 8). */
const SPEAKER_VIEW_ABOVE = 8;
form.elements.quality.value = options.quality;

/**
 * Longest a moving client publishes through both nodes before leaving the old one. Subscribers
 * are offered the new tracks while the publish connection is still being set up, so its first
 * keyframe usually reaches them without being asked for; this covers that. Kept short: the
 * overlap doubles the mover's encoding work.
 */
const MOVE_OVERLAP_MAX_MS = 6000;
/**
 * After the keyframe that answers a subscriber's request: time for it to arrive and for others to
 * ask. The first request comes from a subscriber on the new node; one on another node gets the new
 * track through a pipe and a renegotiation of its own, and decoded it up to 3.8 s after the new
 * publish connection was up (DrainTest, two cores), about 3 s after the first request.
 */
const MOVE_DELIVERY_MARGIN_MS = 2500;
/** ICE `disconnected` this long (the path may come back by itself) before the client restarts ICE. */
const ICE_DISCONNECTED_RESTART_MS = 2000;
/** At most one ICE restart per peer connection in this time, whatever asks for it. */
const ICE_RESTART_SPACING_MS = 4000;
/** A `ping` not answered in this time: the socket's path is gone (a network change), resume on a new one. */
const PONG_TIMEOUT_MS = 1500;
/** After media stopped: a pong later than this means the network changed under the socket too. */
const PATH_PROBE_TIMEOUT_MS = 500;
/** The other connection received within this long: the path is alive (path-watch checks every 150 ms). */
const PATH_SILENCE_OTHER_MS = 300;
/** Restarts this recent are made again after a resume: they may have gone out on the dead socket. */
const RESTART_REPEAT_WINDOW_MS = 10000;
/** Resume attempts, one a second: the node keeps a participant whose socket closed 10 s by default. */
const RESUME_ATTEMPTS = 15;

/** Whether a video sender of {@code pc} was asked for a keyframe and has encoded one since its first. */
async function keyframeSentOnRequest(pc) {
  const report = await pc.getStats();
  let sent = false;
  report.forEach((s) => {
    if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
    const asked = (s.pliCount || 0) + (s.firCount || 0) > 0;
    // Firefox does not report keyFramesEncoded: a request seen is the best it can say.
    const answered = s.keyFramesEncoded === undefined || s.keyFramesEncoded >= 2;
    if (asked && answered) sent = true;
  });
  return sent;
}

/** MIME types of the video codecs `codec=` may name. */
const CODEC_MIME_TYPES = { vp8: 'video/VP8', vp9: 'video/VP9', h264: 'video/H264', av1: 'video/AV1' };

/**
 * Makes {@code transceiver} offer only the video codec {@code name} (and RTX), so the node has
 * that one to accept. Browsers without setCodecPreferences or without that codec keep their own.
 */
function preferCodec(transceiver, name) {
  const mimeType = CODEC_MIME_TYPES[name];
  if (!mimeType || !transceiver.setCodecPreferences || !RTCRtpReceiver.getCapabilities) {
    console.warn(`codec=${name}: not applied`);
    return;
  }
  const codecs = RTCRtpReceiver.getCapabilities('video').codecs;
  const chosen = codecs.filter((c) => c.mimeType.toLowerCase() === mimeType.toLowerCase());
  if (chosen.length === 0) {
    console.warn(`codec=${name}: this browser has no ${mimeType}`);
    return;
  }
  transceiver.setCodecPreferences([...chosen, ...codecs.filter((c) => c.mimeType.toLowerCase() === 'video/rtx')]);
}

/** Three simulcast layers (rids q, h, f: quarter, half and full resolution), lowest first. */
const SIMULCAST_ENCODINGS = [
  { rid: 'q', scaleResolutionDownBy: 4, maxBitrate: 150000 },
  { rid: 'h', scaleResolutionDownBy: 2, maxBitrate: 500000 },
  { rid: 'f', maxBitrate: 1500000 },
];

// WebCrypto Ed25519 is in current browsers; without it the page can still join open nodes.
const identity = await loadIdentity().catch((e) => {
  console.warn('no Ed25519 in this browser, joining without proofs', e);
  return { did: `did:key:z6Mk${crypto.randomUUID().replace(/-/g, '')}`, sign: async () => '' };
});
const did = identity.did;
let localStream = null;
let current = null;        // the session the page shows and window.sfu reads
const retired = [];        // sessions left behind by a reconnect
const moves = [];          // each reconnect's timeline (epoch ms), for tests and debugging

function setStatus(text) { $('status').textContent = text; }
function showNotice(text) {
  $('notice').textContent = text;
  $('notice').hidden = !text;
}
/** The call's mode indicator: how it is carried (mesh or SFU), the neighbourhood's mode, the node. */
function showMode(joined) {
  const how = joined.topology === 'mesh' ? 'mesh (peer to peer)' : 'SFU';
  $('mode').textContent = `${how} · ${joined.mode} · node ${joined.node}`;
  $('mode').dataset.topology = joined.topology;
  $('mode').hidden = false;
}

/**
 * The camera size asked for: `capture=WxH` (each side 160-1920; low-power devices, and tests that
 * run several encoding pages on one small machine), else 1280x720.
 */
function captureSize(text) {
  const match = /^(\d{3,4})x(\d{3,4})$/.exec(text || '');
  const [width, height] = match ? [Number(match[1]), Number(match[2])] : [1280, 720];
  const inRange = (side) => side >= 160 && side <= 1920;
  return inRange(width) && inRange(height) ? { width, height } : { width: 1280, height: 720 };
}

/** Camera and microphone, asked for once per page. */
async function localMedia() {
  if (!localStream) {
    localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: options.capture });
    $('local-video').srcObject = localStream;
    $('local-tile').hidden = false;
  }
  return localStream;
}
function showError(text) {
  $('error').textContent = text;
  $('error').hidden = !text;
}

/** One membership of the call through one node: a socket and its two peer connections. */
class CallSession {
  constructor(signalUrl) {
    this.signalUrl = signalUrl;
    this.state = 'joining';
    this.participantId = null;
    this.participants = new Map();
    this.tracks = new Map();
    this.events = [];
    this.publishPc = null;
    this.subscribePc = null;
    this.lastError = null;
    this.joinedAt = null;
    this.trackOwners = new Map();
    this.subscribeQueue = Promise.resolve();
    this.pingTimer = null;
    this.onPublishing = null;
    this.wantedLayers = null;
    this.activeSpeaker = null;
    this.topology = null;
    this.mesh = null;          // a MeshCall when the node says the call is mesh
    this.earlyMeshSignals = [];
    this.trackQuality = new Map(); // per-track set-quality sent by the speaker view
    this.iceServers = [];      // joined.iceServers: STUN/TURN for the node's connections too
    this.pathTimer = null;
    this.iceRestarts = [];         // each ICE restart: {pc, why, at (epoch ms)}, for tests and debugging
    this.lastIceRestart = {};      // pc name -> performance.now() of its last restart
    this.resumeToken = null;
    this.lastSeq = 0;              // the last room-state event (seq) received; a resume asks for the rest
    this.receiving = {};           // pc name -> receivedWithin(ms) of its path watch
    this.resuming = 0;             // resume attempts made for the current lost socket, 0 when none
    this.resumes = [];             // each resumed socket: {why, at (epoch ms)}
    this.pongTimer = null;
    this.socket = new SignalSocket(signalUrl, (m) => this.onMessage(m), () => this.onSocketClosed());
  }

  /** Joins, proving the page's DID over the hello's nonce (nodes with DID auth check it). */
  async sendJoin(nonce) {
    const neighbourhood = form.elements.neighbourhood.value;
    const room = form.elements.room.value;
    const proof = await identity.sign(`adam-sfu-join:${nonce}:${neighbourhood}:${room}`);
    this.socket.send({
      type: 'join', neighbourhood, room, did, proof,
      name: form.elements.name.value || 'guest', autoSubscribe: options.autoSubscribe,
    });
  }

  fail(message) {
    this.state = 'error';
    this.lastError = message;
    if (this === current) {
      showError(message);
      setStatus('error');
    }
  }

  onSocketClosed() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    if (this.state === 'joined' && this.topology === 'sfu' && this.resumeToken) {
      this.resumeSocket('socket closed');
      return;
    }
    clearInterval(this.pathTimer);
    if (this.state === 'joined' || this.state === 'joining') this.fail('connection to the node closed');
  }

  /**
   * Sends a `ping` and resumes on a new socket if no `pong` comes in time: after a network change
   * the old socket's TCP connection is bound to an address that is gone, and only stalls.
   */
  probeSocket(timeout = PONG_TIMEOUT_MS, onDead = () => this.resumeSocket('no pong')) {
    if (this.state !== 'joined' || this.resuming || this.pongTimer) return;
    this.socket.send({ type: 'ping' });
    this.pongTimer = setTimeout(() => {
      this.pongTimer = null;
      if (this.state === 'joined' && !this.resuming) onDead();
    }, timeout);
  }

  /** The same participant on a new socket (protocol `resume`); its peer connections stay. */
  resumeSocket(why) {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
    if (this.resuming >= RESUME_ATTEMPTS) {
      this.fail('connection to the node lost');
      return;
    }
    this.resuming += 1;
    this.resumeWhy = why;
    this.socket.abandon();
    this.socket = new SignalSocket(this.signalUrl, (m) => this.onMessage(m), () => {
      setTimeout(() => { if (this.resuming) this.resumeSocket(why); }, 1000);
    });
    this.socket.opened.catch(() => {});
  }

  async sendResume(nonce) {
    const proof = await identity.sign(`adam-sfu-resume:${nonce}:${this.participantId}`);
    this.socket.send({ type: 'resume', participantId: this.participantId, resumeToken: this.resumeToken, proof,
      lastSeq: this.lastSeq });
  }

  onResumed() {
    this.resumes.push({ why: this.resumeWhy, at: Date.now() });
    this.resuming = 0;
    this.socket.onClose = () => this.onSocketClosed();
    this.pingTimer = setInterval(() => this.probeSocket(), 10000);
    if (this.publishPc && this.publishPc.signalingState === 'have-local-offer') {
      // The offer went out on the dead socket: send it again (the node repeats its own offer).
      this.sendPublishOffer();
    }
    // Restarts asked for while the old socket was dead were lost with it.
    const now = performance.now();
    for (const [name, pc] of [['publish', this.publishPc], ['subscribe', this.subscribePc]]) {
      const recent = now - (this.lastIceRestart[name] || -Infinity) < RESTART_REPEAT_WINDOW_MS;
      if (pc && (recent || ['disconnected', 'failed'].includes(pc.iceConnectionState))) {
        this.lastIceRestart[name] = -Infinity;
        this.restartIce(name, 'after resume');
      }
    }
  }

  onMessage(message) {
    if (typeof message.seq === 'number') {
      if (message.seq <= this.lastSeq) return; // already had it: a resume replays from lastSeq on
      this.lastSeq = message.seq;
    }
    this.events.push(message);
    if (this.events.length > 1000) this.events.shift();
    switch (message.type) {
      case 'hello':
        if (this.state === 'joining' && !this.participantId) this.sendJoin(message.nonce);
        else if (this.resuming) this.sendResume(message.nonce);
        break;
      case 'joined':
        if (this.resuming) this.onResumed();
        else this.onJoined(message).catch((e) => this.fail(e.message || String(e)));
        break;
      case 'pong':
        clearTimeout(this.pongTimer);
        this.pongTimer = null;
        break;
      case 'error': this.onError(message); break;
      case 'answer':
        if (message.pc === 'publish' && this.publishPc) {
          this.publishPc.setRemoteDescription({ type: 'answer', sdp: message.sdp })
            .then(() => {
              this.applyPublishedLayers();
              // A restart that waited for this answer (an offer was out when ICE broke).
              if (['disconnected', 'failed'].includes(this.publishPc.iceConnectionState)) {
                this.restartIce('publish', 'ice still down after an answer');
              }
            })
            .catch((e) => this.fail('publish answer: ' + e.message));
        }
        break;
      case 'offer':
        if (message.pc === 'subscribe') {
          this.subscribeQueue = this.subscribeQueue.then(() => this.onSubscribeOffer(message.sdp))
            .catch((e) => this.fail('subscribe offer: ' + e.message));
        }
        break;
      case 'participant-joined':
        this.participants.set(message.participant.participantId, message.participant);
        if (this.mesh) this.mesh.add(message.participant.participantId);
        applyLayout(this);
        break;
      case 'participant-left':
        this.participants.delete(message.participantId);
        if (this.mesh) this.mesh.remove(message.participantId);
        removeTile(this, message.participantId);
        break;
      case 'mesh-signal':
        // An offer may come while this page still asks for its camera: keep it for the MeshCall.
        if (this.mesh) this.mesh.onSignal(message.from, message.payload);
        else this.earlyMeshSignals.push(message);
        break;
      case 'warning':
        if (this === current) showNotice(message.message);
        break;
      case 'track-published':
        this.tracks.set(message.track.trackId, message.track);
        break;
      case 'track-unpublished':
        this.tracks.delete(message.trackId);
        break;
      case 'reconnect':
        reconnect(this, message.redirect);
        break;
      case 'ice-restart':
        // The node lost ICE consent on one of our connections and waits a grace for a restart.
        this.restartIce(message.pc, `node: ${message.reason}`);
        break;
      case 'publish-layers':
        this.wantedLayers = message.layers;
        this.applyPublishedLayers();
        break;
      case 'active-speaker':
        this.activeSpeaker = message.participantId;
        if (this === current) applyLayout(this);
        break;
      case 'topology':
        // The call moved between mesh and SFU: join again to be carried the new way.
        if (this === current) rejoin(this);
        break;
      default:
        break;
    }
  }

  onError(message) {
    if (this.resuming && message.code === 'unauthorized') {
      // The node no longer has this participant (its grace ended): the call is over.
      this.resuming = 0;
      this.fail(`resume refused: ${message.message}`);
      return;
    }
    if (message.code === 'node-full' && message.redirect && this.state === 'joining') {
      this.socket.close();
      this.state = 'left';
      start(message.redirect);
      return;
    }
    this.lastError = `${message.code}: ${message.message}`;
    if (this === current) showError(this.lastError);
    // The node removed this participant (no peer connection came up in time): the call is over.
    if (this.state === 'joining' || message.code === 'negotiation-timeout') this.state = 'error';
  }

  async onJoined(message) {
    this.state = 'joined';
    this.joinedAt = performance.now();
    this.participantId = message.participantId;
    this.iceServers = message.iceServers || [];
    for (const p of message.participants) this.participants.set(p.participantId, p);
    for (const t of message.tracks) this.tracks.set(t.trackId, t);
    if (this === current) {
      setStatus(`joined ${form.elements.room.value} as ${message.participantId} · ${message.topology}`
        + ` (${message.mode}) on ${message.node}`);
      $('leave').disabled = false;
    }
    this.resumeToken = message.resumeToken;
    this.lastSeq = 0;
    this.pingTimer = setInterval(() => this.probeSocket(), 10000);
    clearInterval(this.pathTimer);
    this.pathTimer = setInterval(() => this.showConnectionPath(), 2000);
    this.topology = message.topology;
    if (this === current) showMode(message);
    if (message.topology === 'mesh') {
      await this.startMesh(message);
      return;
    }
    if (options.quality !== 'auto') this.socket.send({ type: 'set-quality', quality: options.quality });
    if (options.publish) await this.publish();
    else if (this.onPublishing) this.onPublishing(); // nothing to publish: the move is complete
  }

  newPeerConnection(pcName) {
    // The node's and the neighbourhood's TURN servers: a client behind a symmetric NAT, or whose
    // firewall lets only the TURN server through, reaches the node through its relay.
    const pc = new RTCPeerConnection({
      bundlePolicy: options.bundlePolicy, rtcpMuxPolicy: 'require', iceServers: this.iceServers,
    });
    let disconnectedTimer = null;
    pc.addEventListener('iceconnectionstatechange', () => {
      clearTimeout(disconnectedTimer);
      // A path that breaks may be a network change, which also strands the signalling socket.
      if (['disconnected', 'failed'].includes(pc.iceConnectionState)) this.probeSocket();
      if (pc.iceConnectionState === 'failed') this.restartIce(pcName, 'ice failed');
      if (pc.iceConnectionState === 'disconnected') {
        disconnectedTimer = setTimeout(() => {
          if (pc.iceConnectionState === 'disconnected') this.restartIce(pcName, 'ice disconnected');
        }, ICE_DISCONNECTED_RESTART_MS);
      }
    });
    // Media that stops arriving means a lost path sooner than ICE says so. A network change
    // breaks both connections and the signalling socket: resume the socket, restart both.
    this.receiving[pcName] = watchPath(pc, () => this.onPathLost(pcName, `${pcName} received nothing`));
    pc.onicecandidate = (event) => {
      const c = event.candidate;
      this.socket.send({
        type: 'candidate', pc: pcName, candidate: c ? c.candidate : '',
        sdpMid: c ? c.sdpMid : '0', sdpMLineIndex: c ? c.sdpMLineIndex : 0,
      });
    };
    return pc;
  }

  async startMesh(joined) {
    const stream = options.publish ? await localMedia() : null;
    this.mesh = new MeshCall(this.participantId, stream, joined.iceServers,
      (to, payload) => this.socket.send({ type: 'mesh-signal', to, payload }),
      (participantId, remote) => showRemote(this, participantId, remote),
      (participantId) => removeTile(this, participantId));
    for (const participantId of this.participants.keys()) this.mesh.add(participantId);
    for (const signal of this.earlyMeshSignals.splice(0)) this.mesh.onSignal(signal.from, signal.payload);
    if (this.onPublishing) this.onPublishing();
  }

  async publish() {
    await localMedia();
    const pc = this.newPeerConnection('publish');
    this.publishPc = pc;
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'connected' && this.onPublishing) this.onPublishing();
    };
    const transceivers = localStream.getTracks().map((track) => pc.addTransceiver(track, {
      direction: 'sendonly', streams: [localStream],
      ...(track.kind === 'video' && options.simulcast ? { sendEncodings: SIMULCAST_ENCODINGS } : {}),
    }));
    if (options.codec) {
      transceivers.filter((t) => t.sender.track.kind === 'video').forEach((t) => preferCodec(t, options.codec));
    }
    await pc.setLocalDescription(await pc.createOffer());
    const sources = {};
    transceivers.forEach((t) => { sources[t.mid] = t.sender.track.kind === 'video' ? 'camera' : 'microphone'; });
    this.socket.send({ type: 'offer', pc: 'publish', sdp: pc.localDescription.sdp, sources });
  }

  /**
   * A connection's media stopped. Either the others stopped sending, or this device changed
   * networks, which also strands the signalling socket: a ping tells them apart. Without its
   * pong the socket is resumed and both connections restart ICE (onResumed restarts recent ones).
   */
  onPathLost(pcName, why) {
    // One probe at a time; the watch calls again while the silence lasts.
    if (this.state !== 'joined' || this.resuming || this.pongTimer) return;
    // A network change silences both connections at once. One that still receives (the publish
    // connection gets the node's RTCP feedback many times a second) says the path is fine and
    // only this one's media stopped: its last publisher left, or paused.
    const other = this.receiving[pcName === 'publish' ? 'subscribe' : 'publish'];
    if (other && other(PATH_SILENCE_OTHER_MS)) return;
    this.probeSocket(PATH_PROBE_TIMEOUT_MS, () => {
      const lostAt = performance.now();
      this.lastIceRestart.publish = lostAt;
      this.lastIceRestart.subscribe = lostAt;
      this.resumeSocket(why);
    });
  }

  /**
   * ICE restart without a new join (docs/protocol.md): the publish connection offers again with
   * new ICE credentials; the subscribe connection, which the node offers, is asked for with
   * `restart-ice`. DTLS and the tracks stay, so media resumes as soon as the new path is checked.
   */
  restartIce(pcName, why) {
    if (this.state !== 'joined') return;
    if (this.resuming) {
      // No socket to ask on: the resumed one makes the restart (onResumed).
      this.lastIceRestart[pcName] = performance.now();
      return;
    }
    const pc = pcName === 'publish' ? this.publishPc : this.subscribePc;
    const now = performance.now();
    if (!pc || now - (this.lastIceRestart[pcName] || -Infinity) < ICE_RESTART_SPACING_MS) return;
    this.lastIceRestart[pcName] = now;
    this.iceRestarts.push({ pc: pcName, why, at: Date.now() });
    if (pcName === 'subscribe') {
      this.socket.send({ type: 'restart-ice', pc: 'subscribe' });
      return;
    }
    if (pc.signalingState !== 'stable') {
      // An offer is out; its answer comes first, then the next check of the state restarts.
      this.lastIceRestart[pcName] = 0;
      return;
    }
    this.offerPublish({ iceRestart: true }).catch((e) => console.warn('ICE restart of publish', e));
  }

  async offerPublish(offerOptions) {
    const pc = this.publishPc;
    await pc.setLocalDescription(await pc.createOffer(offerOptions));
    this.sendPublishOffer();
  }

  sendPublishOffer() {
    const pc = this.publishPc;
    const sources = {};
    pc.getTransceivers().forEach((t) => {
      if (t.mid !== null && t.sender.track) sources[t.mid] = t.sender.track.kind === 'video' ? 'camera' : 'microphone';
    });
    this.socket.send({ type: 'offer', pc: 'publish', sdp: pc.localDescription.sdp, sources });
  }

  /**
   * Resolves once others are likely decoding this session's new video, so a moving client can
   * leave its old node without a gap: the node has asked this publish connection for a keyframe
   * (its subscribers answered their offers and are connected, docs/decisions/0018) and a keyframe
   * was encoded after that, then {@link MOVE_DELIVERY_MARGIN_MS} for it to arrive and for slower
   * subscribers' requests. Bounded by {@link MOVE_OVERLAP_MAX_MS}: subscribers that got the first
   * keyframe, a room with nobody watching, or audio only never ask.
   */
  async watchedOrTimeout() {
    const deadline = performance.now() + MOVE_OVERLAP_MAX_MS;
    const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
    while (performance.now() < deadline && this.publishPc) {
      if (await keyframeSentOnRequest(this.publishPc)) {
        await pause(Math.min(MOVE_DELIVERY_MARGIN_MS, Math.max(0, deadline - performance.now())));
        return 'keyframe sent on request';
      }
      await pause(100);
    }
    return 'overlap bound';
  }

  async onSubscribeOffer(sdp) {
    if (!this.subscribePc) {
      const pc = this.newPeerConnection('subscribe');
      pc.ontrack = (event) => {
        const stream = event.streams[0];
        if (!stream) return;
        this.trackOwners.set(event.track.id, stream.id);
        showRemote(this, stream.id, stream);
      };
      this.subscribePc = pc;
    }
    const pc = this.subscribePc;
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    this.socket.send({ type: 'answer', pc: 'subscribe', sdp: pc.localDescription.sdp });
  }

  /**
   * Applies the latest `publish-layers` once the publish connection is negotiated (it may arrive
   * before the answer is applied), retrying if the browser refuses for the moment.
   */
  applyPublishedLayers() {
    const pc = this.publishPc;
    if (!this.wantedLayers || !pc || !pc.remoteDescription || pc.signalingState !== 'stable') return;
    this.setPublishedLayers(this.wantedLayers).catch((e) => {
      console.warn('publish-layers', e);
      setTimeout(() => this.applyPublishedLayers(), 500);
    });
  }

  /** Dynacast: encode only the simulcast layers somebody receives. */
  async setPublishedLayers(layers) {
    if (!this.publishPc) return;
    for (const sender of this.publishPc.getSenders()) {
      if (!sender.track || sender.track.kind !== 'video') continue;
      const parameters = sender.getParameters();
      if (!parameters.encodings || parameters.encodings.length < 2) continue;
      for (const encoding of parameters.encodings) {
        if (encoding.rid && encoding.rid in layers) encoding.active = layers[encoding.rid];
      }
      await sender.setParameters(parameters);
    }
  }

  subscribe(trackIds, on = true) {
    this.socket.send({ type: on ? 'subscribe' : 'unsubscribe', tracks: trackIds });
  }

  leave() {
    if (this.state === 'joined') this.socket.send({ type: 'leave' });
    for (const pc of [this.publishPc, this.subscribePc]) if (pc) pc.close();
    this.publishPc = this.subscribePc = null;
    if (this.mesh) this.mesh.close();
    this.mesh = null;
    document.querySelectorAll(`[data-session="${this.signalUrl}"]`).forEach((tile) => tile.remove());
    this.resuming = 0;
    clearTimeout(this.pongTimer);
    this.state = 'left';
    clearInterval(this.pingTimer);
    clearInterval(this.pathTimer);
    this.socket.close();
  }

  /** The path each of the node's connections took (stats.js connectionPath), null before one is up. */
  async connectionPath() {
    return { publish: await connectionPath(this.publishPc), subscribe: await connectionPath(this.subscribePc) };
  }

  async showConnectionPath() {
    if (this !== current || this.mesh) return;
    const paths = await this.connectionPath();
    const text = ['publish', 'subscribe'].filter((pc) => paths[pc]).map((pc) => `${pc} ${paths[pc].label}`).join(' · ');
    $('path').textContent = text ? `path: ${text}` : '';
    $('path').hidden = !text;
  }

  /** Inbound RTP statistics of the subscribe connection, one entry per received track. */
  async inboundStats() {
    if (this.mesh) return this.mesh.inboundStats();
    if (!this.subscribePc) return [];
    return inboundStats(this.subscribePc, (track) => this.trackOwners.get(track) || null);
  }

}

function start(signalUrl) {
  current = new CallSession(signalUrl);
  current.socket.opened.catch((e) => current.fail(e.message));
  return current;
}

/** Make before break: publish through the new node, then leave the old one. */
function rejoin(old) {
  const next = start(old.signalUrl);
  retired.push(old);
  next.onPublishing = () => old.leave();
  setStatus('the call changed topology; joining again');
}

function reconnect(old, signalUrl) {
  if (old !== current) return;
  const next = start(signalUrl);
  retired.push(old);
  const move = { to: signalUrl, askedAt: Date.now() };
  moves.push(move);
  next.onPublishing = async () => {
    move.publishingAt = Date.now();
    move.leftBecause = await next.watchedOrTimeout();
    move.leftAt = Date.now();
    old.leave();
  };
  setStatus(`moving to ${signalUrl}`);
}

function showRemote(session, participantId, stream) {
  // A reconnecting page briefly sees its own previous membership as a remote participant.
  if (session !== current || retired.some((old) => old.participantId === participantId)) return;
  let tile = document.querySelector(`[data-participant="${CSS.escape(participantId)}"]`);
  if (!tile) {
    tile = document.createElement('figure');
    tile.className = 'tile';
    tile.dataset.participant = participantId;
    tile.dataset.session = session.signalUrl;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    tile.append(video, caption);
    $('grid').append(tile);
  }
  const info = session.participants.get(participantId);
  tile.querySelector('figcaption').textContent = info ? info.name : participantId;
  const video = tile.querySelector('video');
  if (video.srcObject !== stream) video.srcObject = stream;
  applyLayout(session);
  stream.onremovetrack = () => {
    if (stream.getTracks().length === 0) removeTile(session, participantId);
  };
}

function removeTile(session, participantId) {
  const tile = document.querySelector(
    `[data-participant="${CSS.escape(participantId)}"][data-session="${session.signalUrl}"]`);
  if (tile) tile.remove();
  applyLayout(session);
}

/**
 * Marks the active speaker; above SPEAKER_VIEW_ABOVE people shows it large with the others in a
 * strip, and asks the node for the low layer of the strip's videos (the large one gets the
 * quality chosen in the form).
 */
function applyLayout(session) {
  if (session !== current) return;
  const grid = $('grid');
  const people = session.participants.size + 1;
  const speakerView = people > SPEAKER_VIEW_ABOVE;
  grid.classList.toggle('speaker-view', speakerView);
  for (const tile of grid.querySelectorAll('[data-participant]')) {
    const speaking = tile.dataset.participant === session.activeSpeaker;
    tile.classList.toggle('speaking', speaking);
    tile.classList.toggle('featured', speakerView && speaking);
  }
  for (const track of session.tracks.values()) {
    if (track.kind !== 'video' || track.participantId === session.participantId) continue;
    const quality = speakerView && track.participantId !== session.activeSpeaker ? 'low' : form.elements.quality.value;
    if (session.trackQuality.get(track.trackId) !== quality && session.state === 'joined') {
      session.trackQuality.set(track.trackId, quality);
      session.socket.send({ type: 'set-quality', quality, track: track.trackId });
    }
  }
}

form.elements.quality.addEventListener('change', () => {
  if (!current || current.state !== 'joined') return;
  current.trackQuality.clear();
  current.socket.send({ type: 'set-quality', quality: form.elements.quality.value });
  applyLayout(current);
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (current && (current.state === 'joined' || current.state === 'joining')) return;
  showError('');
  setStatus('connecting');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  start(`${scheme}//${location.host}/signal`);
});
$('leave').addEventListener('click', () => {
  if (current) current.leave();
  if (localStream) localStream.getTracks().forEach((t) => t.stop());
  localStream = null;
  $('local-tile').hidden = true;
  $('leave').disabled = true;
  setStatus('left');
});
if (params.get('autojoin') === '1') form.requestSubmit();
const settings = new SettingsPanel($('settings'), () => form.elements.neighbourhood.value, identity);

// Read-only view for tests and debugging: the current session.
window.sfu = {
  get state() { return current ? current.state : 'idle'; },
  get participantId() { return current ? current.participantId : null; },
  get participants() { return current ? Object.fromEntries(current.participants) : {}; },
  get tracks() { return current ? [...current.tracks.values()] : []; },
  get events() { return current ? current.events.slice() : []; },
  get publishPc() { return current ? current.publishPc : null; },
  get subscribePc() { return current ? current.subscribePc : null; },
  get lastError() { return current ? current.lastError : null; },
  get joinedAt() { return current ? current.joinedAt : null; },
  get signalUrl() { return current ? current.signalUrl : null; },
  get activeSpeaker() { return current ? current.activeSpeaker : null; },
  get topology() { return current ? current.topology : null; },
  get did() { return did; },
  get moves() { return moves.map((m) => ({ ...m })); },
  get iceRestarts() { return current ? current.iceRestarts.slice() : []; },
  get resumes() { return current ? current.resumes.slice() : []; },
  /** Restarts ICE on `publish` or `subscribe` now, as the page does when ICE fails. */
  restartIce(pc) { current.lastIceRestart[pc] = -Infinity; current.restartIce(pc, 'asked'); },
  settings,
  inboundStats() { return current ? current.inboundStats() : Promise.resolve([]); },
  /** {publish, subscribe}: each connection's selected candidate pair (stats.js connectionPath). */
  connectionPath() { return current ? current.connectionPath() : Promise.resolve({ publish: null, subscribe: null }); },
  /** The publish connection's outbound video encodings: rid, active, bytes sent, frame width. */
  async outboundStats() {
    const pc = current && current.publishPc;
    if (!pc) return [];
    const out = [];
    (await pc.getStats()).forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'video') {
        out.push({ rid: s.rid || null, active: s.active !== false, bytesSent: s.bytesSent || 0,
          frameWidth: s.frameWidth || 0 });
      }
    });
    return out;
  },
  subscribe(trackIds) { current.subscribe(trackIds, true); },
  setQuality(quality) { current.socket.send({ type: 'set-quality', quality }); },
  unsubscribe(trackIds) { current.subscribe(trackIds, false); },
  join(signalUrl) { if (current) current.leave(); return start(signalUrl).signalUrl; },
};
