// Web client for the ADAM SFU: joins a room, publishes camera and microphone on the `publish`
// peer connection, and shows every remote participant received on the `subscribe` connection.
import { SignalSocket } from './signal.js';

const $ = (id) => document.getElementById(id);
const form = $('join-form');
const params = new URLSearchParams(location.search);
for (const field of ['neighbourhood', 'room', 'name']) {
  if (params.get(field)) form.elements[field].value = params.get(field);
}

const state = {
  state: 'idle',
  participantId: null,
  participants: new Map(),       // participantId -> {name, did, node}
  events: [],                    // every frame received, newest last (capped)
  publishPc: null,
  subscribePc: null,
  lastError: null,
  joinedAt: null,
  trackOwners: new Map(),        // receiver track id -> publisher participantId
};
let socket = null;
let localStream = null;
let subscribeQueue = Promise.resolve();
let pingTimer = null;

// Read-only view for tests and debugging.
window.sfu = {
  get state() { return state.state; },
  get participantId() { return state.participantId; },
  get participants() { return Object.fromEntries(state.participants); },
  get events() { return state.events.slice(); },
  get publishPc() { return state.publishPc; },
  get subscribePc() { return state.subscribePc; },
  get lastError() { return state.lastError; },
  get joinedAt() { return state.joinedAt; },
  inboundStats,
};

function setStatus(text) {
  $('status').textContent = text;
}

function showError(text) {
  state.lastError = text;
  $('error').textContent = text;
  $('error').hidden = !text;
}

function randomDid() {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let suffix = '';
  for (let i = 0; i < 44; i++) suffix += alphabet[Math.floor(Math.random() * alphabet.length)];
  return 'did:key:z6Mk' + suffix;
}
const did = sessionStorage.getItem('sfu-did') || randomDid();
sessionStorage.setItem('sfu-did', did);

form.addEventListener('submit', (event) => {
  event.preventDefault();
  join().catch((e) => fail(e.message || String(e)));
});
$('leave').addEventListener('click', () => leave());
if (params.get('autojoin') === '1') join().catch((e) => fail(e.message || String(e)));

function fail(message) {
  state.state = 'error';
  showError(message);
  setStatus('error');
}

async function join() {
  if (state.state === 'joining' || state.state === 'joined') return;
  showError('');
  state.state = 'joining';
  setStatus('connecting');
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  socket = new SignalSocket(`${scheme}//${location.host}/signal`, onMessage, onSocketClosed);
  await socket.opened;
}

function onSocketClosed() {
  if (state.state === 'joined' || state.state === 'joining') fail('connection to the node closed');
  clearInterval(pingTimer);
}

function onMessage(message) {
  state.events.push(message);
  if (state.events.length > 1000) state.events.shift();
  switch (message.type) {
    case 'hello':
      if (state.state === 'joining' && !state.participantId) {
        socket.send({
          type: 'join', neighbourhood: form.elements.neighbourhood.value, room: form.elements.room.value,
          did, name: form.elements.name.value || 'guest', autoSubscribe: true,
        });
      }
      break;
    case 'joined': onJoined(message); break;
    case 'error': onError(message); break;
    case 'answer':
      if (message.pc === 'publish' && state.publishPc) {
        state.publishPc.setRemoteDescription({ type: 'answer', sdp: message.sdp })
          .catch((e) => fail('publish answer: ' + e.message));
      }
      break;
    case 'offer':
      if (message.pc === 'subscribe') {
        subscribeQueue = subscribeQueue.then(() => onSubscribeOffer(message.sdp))
          .catch((e) => fail('subscribe offer: ' + e.message));
      }
      break;
    case 'candidate':
      // The node puts its candidates in its SDP; trickled ones are applied if they come.
      applyRemoteCandidate(message);
      break;
    case 'participant-joined':
      state.participants.set(message.participant.participantId, message.participant);
      break;
    case 'participant-left':
      state.participants.delete(message.participantId);
      removeTile(message.participantId);
      break;
    case 'topology':
      if (message.topology === 'mesh') showError('mesh topology is not supported by this client yet');
      break;
    default:
      break;
  }
}

function onError(message) {
  if (message.code === 'node-full' && message.redirect) {
    const target = new URL(message.redirect.replace(/^ws/, 'http').replace(/\/signal$/, '/'));
    target.search = location.search;
    location.href = target.toString();
    return;
  }
  showError(`${message.code}: ${message.message}`);
  if (state.state === 'joining') state.state = 'error';
}

async function onJoined(message) {
  state.state = 'joined';
  state.joinedAt = performance.now();
  state.participantId = message.participantId;
  for (const p of message.participants) state.participants.set(p.participantId, p);
  setStatus(`joined ${form.elements.room.value} as ${message.participantId} · ${message.topology}`
    + ` (${message.mode}) on ${message.node}`);
  $('leave').disabled = false;
  pingTimer = setInterval(() => socket.send({ type: 'ping' }), 10000);
  if (message.topology !== 'sfu') {
    showError('mesh topology is not supported by this client yet');
    return;
  }
  await publish();
}

function newPeerConnection(pcName) {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  pc.onicecandidate = (event) => {
    if (!socket) return;
    const c = event.candidate;
    socket.send({
      type: 'candidate', pc: pcName, candidate: c ? c.candidate : '',
      sdpMid: c ? c.sdpMid : '0', sdpMLineIndex: c ? c.sdpMLineIndex : 0,
    });
  };
  return pc;
}

async function publish() {
  localStream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720 } });
  $('local-video').srcObject = localStream;
  $('local-tile').hidden = false;
  const pc = newPeerConnection('publish');
  state.publishPc = pc;
  const sources = {};
  const transceivers = localStream.getTracks().map((track) =>
    pc.addTransceiver(track, { direction: 'sendonly', streams: [localStream] }));
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  transceivers.forEach((t) => { sources[t.mid] = t.sender.track.kind === 'video' ? 'camera' : 'microphone'; });
  socket.send({ type: 'offer', pc: 'publish', sdp: pc.localDescription.sdp, sources });
}

async function onSubscribeOffer(sdp) {
  if (!state.subscribePc) {
    const pc = newPeerConnection('subscribe');
    pc.ontrack = (event) => {
      const stream = event.streams[0];
      if (!stream) return;
      state.trackOwners.set(event.track.id, stream.id);
      showRemote(stream.id, stream);
    };
    state.subscribePc = pc;
  }
  const pc = state.subscribePc;
  await pc.setRemoteDescription({ type: 'offer', sdp });
  const answer = await pc.createAnswer();
  await pc.setLocalDescription(answer);
  socket.send({ type: 'answer', pc: 'subscribe', sdp: pc.localDescription.sdp });
}

function applyRemoteCandidate(message) {
  const pc = message.pc === 'publish' ? state.publishPc : state.subscribePc;
  if (!pc || !pc.remoteDescription) return;
  const candidate = message.candidate
    ? { candidate: message.candidate, sdpMid: message.sdpMid, sdpMLineIndex: message.sdpMLineIndex }
    : null;
  pc.addIceCandidate(candidate).catch(() => {});
}

function showRemote(participantId, stream) {
  let tile = document.querySelector(`[data-participant="${CSS.escape(participantId)}"]`);
  if (!tile) {
    tile = document.createElement('figure');
    tile.className = 'tile';
    tile.dataset.participant = participantId;
    const video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    const caption = document.createElement('figcaption');
    tile.append(video, caption);
    $('grid').append(tile);
  }
  const info = state.participants.get(participantId);
  tile.querySelector('figcaption').textContent = info ? info.name : participantId;
  const video = tile.querySelector('video');
  if (video.srcObject !== stream) video.srcObject = stream;
  stream.onremovetrack = () => {
    if (stream.getTracks().length === 0) removeTile(participantId);
  };
}

function removeTile(participantId) {
  const tile = document.querySelector(`[data-participant="${CSS.escape(participantId)}"]`);
  if (tile) tile.remove();
}

function leave() {
  if (socket) socket.send({ type: 'leave' });
  for (const pc of [state.publishPc, state.subscribePc]) if (pc) pc.close();
  if (localStream) localStream.getTracks().forEach((t) => t.stop());
  state.publishPc = state.subscribePc = null;
  state.participants.clear();
  document.querySelectorAll('[data-participant]').forEach((tile) => tile.remove());
  $('local-tile').hidden = true;
  $('leave').disabled = true;
  state.state = 'left';
  state.participantId = null;
  clearInterval(pingTimer);
  setStatus('left');
  if (socket) socket.close();
  socket = null;
}

/** Inbound RTP statistics of the subscribe connection, one entry per received track. */
async function inboundStats() {
  const pc = state.subscribePc;
  if (!pc) return [];
  const report = await pc.getStats();
  const out = [];
  report.forEach((s) => {
    if (s.type !== 'inbound-rtp') return;
    out.push({
      kind: s.kind,
      trackIdentifier: s.trackIdentifier,
      participantId: state.trackOwners.get(s.trackIdentifier) || null,
      framesDecoded: s.framesDecoded || 0,
      frameWidth: s.frameWidth || 0,
      frameHeight: s.frameHeight || 0,
      packetsReceived: s.packetsReceived || 0,
      bytesReceived: s.bytesReceived || 0,
      freezeCount: s.freezeCount || 0,
      totalFreezesDuration: s.totalFreezesDuration || 0,
    });
  });
  return out;
}
