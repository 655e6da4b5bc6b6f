package org.adam.sfu.bench.load.client;

import java.util.ArrayList;
import java.util.List;

import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.sdp.MediaDescription;
import org.adam.sfu.webrtc.sdp.SdpLine;
import org.adam.sfu.webrtc.sdp.SessionDescription;

/**
 * The session descriptions a simulated browser writes: a publish offer shaped like Chromium's
 * (BUNDLE, rtcp-mux, Opus and VP8 with RTX, MID and RID header extensions, a=ssrc lines, or
 * a=rid/a=simulcast for three layers), and answers to the node's subscribe offers that receive
 * every active m-line. The client is the DTLS client on both connections (actpass offered,
 * active answered) and writes its one host candidate into the SDP instead of trickling it.
 */
public final class ClientSdp {

    public static final String AUDIO_MID = "0";
    public static final String VIDEO_MID = "1";
    public static final int OPUS = 111;
    public static final int VP8 = 96;
    public static final int VP8_RTX = 97;
    public static final int AUDIO_LEVEL_ID = 1;
    public static final int MID_ID = 4;
    public static final int RID_ID = 10;
    /** Simulcast layers lowest first, as Chromium lists them and as the node indexes them. */
    public static final List<String> RIDS = List.of("q", "h", "f");

    /** The SSRCs of one publisher's offer; {@code videoSsrc} and {@code rtxSsrc} unused with simulcast. */
    public record PublishStreams(long audioSsrc, long videoSsrc, long rtxSsrc, boolean simulcast, String streamId,
                                 String cname) {
    }

    private ClientSdp() {
    }

    public static String publishOffer(ClientTransport transport, PublishStreams streams, long sessionId) {
        StringBuilder out = new StringBuilder(4096);
        line(out, "v=0");
        line(out, "o=- " + sessionId + " 2 IN IP4 127.0.0.1");
        line(out, "s=-");
        line(out, "t=0 0");
        line(out, "a=group:BUNDLE " + AUDIO_MID + " " + VIDEO_MID);
        line(out, "a=extmap-allow-mixed");
        line(out, "a=msid-semantic: WMS " + streams.streamId());

        line(out, "m=audio 9 UDP/TLS/RTP/SAVPF " + OPUS);
        transportLines(out, transport, "actpass");
        line(out, "a=mid:" + AUDIO_MID);
        line(out, "a=extmap:" + AUDIO_LEVEL_ID + " urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        line(out, "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        line(out, "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        line(out, "a=extmap:" + MID_ID + " urn:ietf:params:rtp-hdrext:sdes:mid");
        line(out, "a=sendonly");
        String audioMsid = streams.streamId() + " " + streams.streamId() + "-audio";
        line(out, "a=msid:" + audioMsid);
        line(out, "a=rtcp-mux");
        line(out, "a=rtcp-rsize");
        line(out, "a=rtpmap:" + OPUS + " opus/48000/2");
        line(out, "a=rtcp-fb:" + OPUS + " transport-cc");
        line(out, "a=fmtp:" + OPUS + " minptime=10;useinbandfec=1");
        ssrcLines(out, streams.audioSsrc(), streams.cname(), audioMsid);
        candidate(out, transport);

        line(out, "m=video 9 UDP/TLS/RTP/SAVPF " + VP8 + " " + VP8_RTX);
        transportLines(out, transport, "actpass");
        line(out, "a=mid:" + VIDEO_MID);
        line(out, "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        line(out, "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        line(out, "a=extmap:" + MID_ID + " urn:ietf:params:rtp-hdrext:sdes:mid");
        line(out, "a=extmap:" + RID_ID + " urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
        line(out, "a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id");
        line(out, "a=sendonly");
        String videoMsid = streams.streamId() + " " + streams.streamId() + "-video";
        line(out, "a=msid:" + videoMsid);
        line(out, "a=rtcp-mux");
        line(out, "a=rtcp-rsize");
        line(out, "a=rtpmap:" + VP8 + " VP8/90000");
        for (String feedback : List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli")) {
            line(out, "a=rtcp-fb:" + VP8 + " " + feedback);
        }
        line(out, "a=rtpmap:" + VP8_RTX + " rtx/90000");
        line(out, "a=fmtp:" + VP8_RTX + " apt=" + VP8);
        if (streams.simulcast()) {
            for (String rid : RIDS) {
                line(out, "a=rid:" + rid + " send");
            }
            line(out, "a=simulcast:send " + String.join(";", RIDS));
        } else {
            line(out, "a=ssrc-group:FID " + streams.videoSsrc() + " " + streams.rtxSsrc());
            ssrcLines(out, streams.videoSsrc(), streams.cname(), videoMsid);
            ssrcLines(out, streams.rtxSsrc(), streams.cname(), videoMsid);
        }
        candidate(out, transport);
        return out.toString();
    }

    /**
     * Receives every m-line the node offers as sendonly (inactive ones stay inactive, rejected
     * ones rejected), with the node's codecs and feedback, less transport-cc: the client sends
     * REMB instead of per-packet feedback, which keeps the node's estimate steady.
     */
    public static String subscribeAnswer(SessionDescription offer, ClientTransport transport, long sessionId,
                                         long version) {
        StringBuilder out = new StringBuilder(4096);
        line(out, "v=0");
        line(out, "o=- " + sessionId + " " + version + " IN IP4 127.0.0.1");
        line(out, "s=-");
        line(out, "t=0 0");
        List<String> mids = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            if (!m.isRejected() && m.mid() != null) {
                mids.add(m.mid());
            }
        }
        line(out, "a=group:BUNDLE " + String.join(" ", mids));
        line(out, "a=msid-semantic: WMS");
        for (MediaDescription m : offer.media()) {
            if (m.isRejected() || m.mid() == null) {
                line(out, "m=" + m.kind() + " 0 " + m.protocol() + " " + String.join(" ", m.formats()));
                line(out, "c=IN IP4 0.0.0.0");
                if (m.mid() != null) {
                    line(out, "a=mid:" + m.mid());
                }
                continue;
            }
            line(out, "m=" + m.kind() + " 9 " + m.protocol() + " " + String.join(" ", m.formats()));
            transportLines(out, transport, "active");
            line(out, "a=mid:" + m.mid());
            line(out, m.sends() ? "a=recvonly" : "a=inactive");
            line(out, "a=rtcp-mux");
            if (m.hasAttribute("rtcp-rsize")) {
                line(out, "a=rtcp-rsize");
            }
            for (SdpLine codecLine : m.lines()) {
                if (codecLine.type() != 'a') {
                    continue;
                }
                String name = codecLine.attributeName();
                boolean codec = name.equals("rtpmap") || name.equals("fmtp")
                        || (name.equals("rtcp-fb") && !codecLine.value().endsWith("transport-cc"));
                if (codec) {
                    line(out, codecLine.toString());
                }
            }
            candidate(out, transport);
        }
        return out.toString();
    }

    private static void transportLines(StringBuilder out, ClientTransport transport, String setup) {
        IceCredentials ice = transport.iceCredentials();
        line(out, "c=IN IP4 0.0.0.0");
        line(out, "a=rtcp:9 IN IP4 0.0.0.0");
        line(out, "a=ice-ufrag:" + ice.ufrag());
        line(out, "a=ice-pwd:" + ice.pwd());
        line(out, "a=fingerprint:sha-256 " + transport.fingerprintSha256());
        line(out, "a=setup:" + setup);
    }

    private static void ssrcLines(StringBuilder out, long ssrc, String cname, String msid) {
        line(out, "a=ssrc:" + ssrc + " cname:" + cname);
        line(out, "a=ssrc:" + ssrc + " msid:" + msid);
    }

    private static void candidate(StringBuilder out, ClientTransport transport) {
        var local = transport.localAddress();
        line(out, "a=candidate:1 1 udp 2122260223 " + local.getAddress().getHostAddress() + " " + local.getPort()
                + " typ host generation 0");
        line(out, "a=end-of-candidates");
    }

    private static void line(StringBuilder out, String line) {
        out.append(line).append("\r\n");
    }
}
