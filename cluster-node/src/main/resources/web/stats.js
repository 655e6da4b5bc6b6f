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
