// The web client's reading of getStats, shared by the SFU and mesh connections.

/** inbound-rtp entries of {@code pc}'s stats, each with the participant it comes from. */
export async function inboundStats(pc, ownerOf) {
  const out = [];
  const report = await pc.getStats();
  report.forEach((s) => {
    if (s.type !== 'inbound-rtp') return;
    const codec = s.codecId && report.get(s.codecId);
    out.push({
      kind: s.kind,
      trackIdentifier: s.trackIdentifier,
      participantId: ownerOf(s.trackIdentifier),
      framesDecoded: s.framesDecoded || 0,
      frameWidth: s.frameWidth || 0,
      frameHeight: s.frameHeight || 0,
      packetsReceived: s.packetsReceived || 0,
      bytesReceived: s.bytesReceived || 0,
      freezeCount: s.freezeCount || 0,
      totalFreezesDuration: s.totalFreezesDuration || 0,
      codec: codec ? codec.mimeType : null,
      totalSamplesReceived: s.totalSamplesReceived || 0,
    });
  });
  return out;
}

/**
 * The path {@code pc}'s media takes, from its selected ICE candidate pair: the local candidate's
 * type (host, srflx, prflx, relay), its transport to the peer or, for a relay, to the TURN
 * server (relayProtocol udp, tcp or tls), and the remote candidate. Null before a pair is
 * selected. Chromium names the pair on its transport; Firefox marks the pair `selected`.
 */
export async function connectionPath(pc) {
  if (!pc) return null;
  const report = await pc.getStats();
  let pair = null;
  report.forEach((s) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = report.get(s.selectedCandidatePairId) || pair;
  });
  if (!pair) {
    report.forEach((s) => {
      if (s.type === 'candidate-pair' && s.selected) pair = s;
    });
  }
  if (!pair) return null;
  const local = report.get(pair.localCandidateId);
  const remote = report.get(pair.remoteCandidateId);
  if (!local) return null;
  const path = {
    candidateType: local.candidateType,
    protocol: local.protocol,
    relayProtocol: local.relayProtocol || null,
    address: local.address || local.ip || null,
    remoteCandidateType: remote ? remote.candidateType : null,
    remoteProtocol: remote ? remote.protocol : null,
    remoteAddress: remote ? (remote.address || remote.ip || null) : null,
    remotePort: remote ? remote.port : null,
  };
  path.label = pathLabel(path);
  return path;
}

/**
 * `host`, `srflx`, `tcp host`, `relay over udp` ... as the stats panel shows it; `to the node's
 * relay` when the node is reached through its own TURN server.
 */
function pathLabel(path) {
  let label;
  if (path.candidateType === 'relay') label = `relay over ${path.relayProtocol || 'udp'}`;
  else label = path.protocol === 'tcp' ? `tcp ${path.candidateType}` : path.candidateType;
  return path.remoteCandidateType === 'relay' ? `${label} to the node's relay` : label;
}
