package org.adam.sfu.webrtc.transport;

/**
 * Totals over the tracks a media worker forwards, as its loop last counted them (once a second):
 * an immutable snapshot for readers on other threads (metrics), since the counters themselves
 * belong to the loop.
 *
 * @param tracks      published tracks forwarded (local and piped in)
 * @param receivers   their receivers, pipes included
 * @param packetsLost packets lost on the publishers' uplinks, streams now forwarded
 */
public record TrackTotals(int tracks, long receivers, long packetsLost) {

    public static final TrackTotals NONE = new TrackTotals(0, 0, 0);

    public TrackTotals plus(TrackTotals other) {
        return new TrackTotals(tracks + other.tracks, receivers + other.receivers, packetsLost + other.packetsLost);
    }
}
