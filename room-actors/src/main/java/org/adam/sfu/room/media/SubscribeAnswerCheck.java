package org.adam.sfu.room.media;

import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.forward.DownTrack;
import org.adam.sfu.webrtc.sdp.SubscribeAnswer;

/**
 * What a client's answer to a subscribe offer says of each m-line: which tracks it refused, for
 * which it declined RTX, which it now knows the SSRC of. Pure reading; called on the owning
 * participant's actor thread.
 */
final class SubscribeAnswerCheck {

    private SubscribeAnswerCheck() {
    }

    /**
     * The sending lines whose track the client cannot decode: it rejected their m-line or answered
     * without the codec's payload type (RFC 3264 6; JSEP 5.3.1). A line added while the offer was
     * out (a pipe brought its track meanwhile) is not in the answer: it is not refused.
     */
    static List<MlineTable.MLine<SentTrack>> refusedCodec(MlineTable<SentTrack> mlines, SubscribeAnswer answer) {
        List<MlineTable.MLine<SentTrack>> refused = new ArrayList<>();
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            if (!line.sending() || !line.offered()) {
                continue;
            }
            List<String> formats = answer.formatsByMid().get(line.mid());
            boolean accepted = answer.acceptedMids().contains(line.mid()) && formats != null
                    && formats.contains(Integer.toString(line.content().payloadType));
            if (!accepted) {
                refused.add(line);
            }
        }
        return refused;
    }

    /** Down tracks whose receiver left RTX out of its answer: they are not sent retransmissions. */
    static List<DownTrack> rtxDeclined(MlineTable<SentTrack> mlines, SubscribeAnswer answer) {
        List<DownTrack> declined = new ArrayList<>();
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            List<String> formats = answer.formatsByMid().get(line.mid());
            SentTrack sent = line.content();
            if (sent.rtxPayloadType >= 0 && formats != null
                    && !formats.contains(Integer.toString(sent.rtxPayloadType))) {
                declined.add(sent.downTrack);
            }
        }
        return declined;
    }

    /** Down tracks of the sending m-lines the client accepted: it knows their SSRCs now. */
    static List<DownTrack> accepted(MlineTable<SentTrack> mlines, SubscribeAnswer answer) {
        List<DownTrack> known = new ArrayList<>();
        for (MlineTable.MLine<SentTrack> line : mlines.lines()) {
            if (line.sending() && line.offered() && answer.acceptedMids().contains(line.mid())) {
                known.add(line.content().downTrack);
            }
        }
        return known;
    }
}
