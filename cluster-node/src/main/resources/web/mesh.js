// Mesh topology: one RTCPeerConnection per other participant, negotiated through the node's
// `mesh-signal` relay. The participant with the smaller id makes the offer, so two peers never
// offer to each other at once. Used when no SFU is reachable (or the neighbourhood asks for mesh).

import { inboundStats } from './stats.js';

export class MeshCall {
  /**
   * @param send     (to, payload) => sends a mesh-signal
   * @param onStream (participantId, stream) => shows a remote participant
   * @param onGone   (participantId) => removes a remote participant
   */
  constructor(selfId, localStream, iceServers, send, onStream, onGone) {
    this.selfId = selfId;
    this.localStream = localStream;
    this.iceServers = iceServers || [];
    this.send = send;
    this.onStream = onStream;
    this.onGone = onGone;
    this.peers = new Map(); // participantId -> { pc, queue }
  }

  /** Someone is (or was already) in the call: the smaller id offers. */
  add(participantId) {
    if (participantId === this.selfId || this.peers.has(participantId)) return;
    const peer = this.peer(participantId);
    if (this.selfId < participantId) {
      this.run(peer, async () => {
        await peer.pc.setLocalDescription(await peer.pc.createOffer());
        this.send(participantId, { sdp: peer.pc.localDescription.toJSON() });
      });
    }
  }

  remove(participantId) {
    const peer = this.peers.get(participantId);
    if (!peer) return;
    peer.pc.close();
    this.peers.delete(participantId);
    this.onGone(participantId);
  }

  onSignal(from, payload) {
    const peer = this.peer(from);
    this.run(peer, async () => {
      if (payload.sdp) {
        await peer.pc.setRemoteDescription(payload.sdp);
        if (payload.sdp.type === 'offer') {
          await peer.pc.setLocalDescription(await peer.pc.createAnswer());
          this.send(from, { sdp: peer.pc.localDescription.toJSON() });
        }
      } else if (payload.candidate) {
        await peer.pc.addIceCandidate(payload.candidate);
      }
    });
  }

  peer(participantId) {
    let peer = this.peers.get(participantId);
    if (peer) return peer;
    const pc = new RTCPeerConnection({ iceServers: this.iceServers, bundlePolicy: 'max-bundle' });
    if (this.localStream) {
      for (const track of this.localStream.getTracks()) pc.addTrack(track, this.localStream);
    } else {
      pc.addTransceiver('audio', { direction: 'recvonly' });
      pc.addTransceiver('video', { direction: 'recvonly' });
    }
    pc.onicecandidate = (event) => {
      if (event.candidate) this.send(participantId, { candidate: event.candidate.toJSON() });
    };
    pc.ontrack = (event) => this.onStream(participantId, event.streams[0] || new MediaStream([event.track]));
    peer = { pc, queue: Promise.resolve() };
    this.peers.set(participantId, peer);
    return peer;
  }

  /** Signalling steps of one peer run one after another (a candidate may not pass its offer). */
  run(peer, step) {
    peer.queue = peer.queue.then(step).catch((e) => console.warn('mesh', e));
  }

  /** inbound-rtp stats of every peer, tagged with whose they are. */
  async inboundStats() {
    const out = [];
    for (const [participantId, peer] of this.peers) out.push(...await inboundStats(peer.pc, () => participantId));
    return out;
  }

  close() {
    for (const participantId of [...this.peers.keys()]) this.remove(participantId);
  }
}
