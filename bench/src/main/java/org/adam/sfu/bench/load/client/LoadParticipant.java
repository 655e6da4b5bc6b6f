package org.adam.sfu.bench.load.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import org.adam.sfu.bench.load.signal.SfuSession;
import org.adam.sfu.bench.load.signal.SfuSignalling;
import org.adam.sfu.bench.load.signal.SignallingException;
import org.adam.sfu.bench.load.stats.ReceiveStats;
import org.adam.sfu.webrtc.rtcp.RtcpWriter;
import org.adam.sfu.webrtc.sdp.MediaDescription;
import org.adam.sfu.webrtc.sdp.RtpCodec;
import org.adam.sfu.webrtc.sdp.SessionDescription;
import org.adam.sfu.webrtc.srtp.SrtpProfile;

/**
 * One simulated participant: its signalling session, and the two peer connections a browser
 * would have with the node (publish, if it sends, and subscribe, once the node offers what it
 * receives). Publishing sends Opus and VP8 (or three VP8 simulcast layers: {@link PublishedMedia})
 * paced from a 5 ms tick on the publish socket's event loop; receiving feeds {@link ReceiveStats}
 * and tells the node a generous REMB once a second.
 */
public final class LoadParticipant implements AutoCloseable {

    /** What a participant sends. */
    public enum Publishing { NONE, AUDIO_VIDEO, SIMULCAST }

    /** Layer bitrates lowest first (rids q, h, f), and the single-layer video bitrate. */
    public static final long[] SIMULCAST_BPS = {150_000, 500_000, 1_500_000};
    public static final long VIDEO_BPS = 1_500_000;
    private static final long TICK_NANOS = 5_000_000;
    private static final long REMB_BPS = 20_000_000;

    private final ClientRuntime runtime;
    private final String name;
    private final String bindHost;
    private final ReceiveStats received = new ReceiveStats();
    private final CompletableFuture<SrtpProfile> publishConnected = new CompletableFuture<>();
    private final CompletableFuture<SrtpProfile> subscribeConnected = new CompletableFuture<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final long sessionId;
    private SfuSession session;
    private ClientTransport publish;
    private volatile ClientTransport subscribe;
    private long answerVersion = 1;
    // Publish event loop only, once the publish connection is open.
    private PublishedMedia media;
    private ScheduledFuture<?> pacing;
    private ScheduledFuture<?> feedback;
    private final int receiverSsrc;

    private LoadParticipant(ClientRuntime runtime, String name, String bindHost) {
        this.runtime = runtime;
        this.name = name;
        this.bindHost = bindHost;
        this.sessionId = runtime.random().nextLong() >>> 1;
        this.receiverSsrc = runtime.random().nextInt();
    }

    /** Joins {@code room}; media starts once the node's answers and offers have been exchanged. */
    public static LoadParticipant join(ClientRuntime runtime, SfuSignalling signalling, String room, String name)
            throws SignallingException {
        LoadParticipant participant = new LoadParticipant(runtime, name, runtime.bindHost());
        participant.session = signalling.join(room, name, participant::answerSubscribeOffer);
        return participant;
    }

    /** Sends the publish offer and starts ICE, DTLS and (once connected) media. */
    public void publish(Publishing publishing) throws SignallingException {
        if (publishing == Publishing.NONE) {
            return;
        }
        publish = ClientTransport.open(runtime, bindHost, name + "/publish", new PublishEvents());
        boolean simulcast = publishing == Publishing.SIMULCAST;
        java.util.Random random = runtime.random();
        long audioSsrc = random.nextInt() & 0xFFFFFFFFL;
        long videoSsrc = random.nextInt() & 0xFFFFFFFFL;
        long rtxSsrc = random.nextInt() & 0xFFFFFFFFL;
        media = PublishedMedia.create(simulcast, (int) audioSsrc, (int) videoSsrc, random);
        if (simulcast) {
            session.onPublishLayers(this::onPublishLayers);
        }
        String offer = ClientSdp.publishOffer(publish, new ClientSdp.PublishStreams(audioSsrc, videoSsrc, rtxSsrc,
                simulcast, "stream-" + name, "cname-" + name), sessionId);
        String answer = session.publish(offer);
        connect(publish, answer, false);
    }

    /** Starts ICE and DTLS towards the SFU's description, in the roles it implies. */
    private void connect(ClientTransport transport, String sfuSdp, boolean sfuOffered) throws SignallingException {
        SfuTransportDescription sfu = SfuTransportDescription.read(sfuSdp, sfuOffered);
        transport.connect(sfu.ice(), sfu.fingerprintSha256(), sfu.candidate(), sfu.roles());
    }

    /** The node offers what this participant receives; the first offer opens the subscribe connection. */
    private String answerSubscribeOffer(String offerSdp) throws Exception {
        SessionDescription offer = SessionDescription.parse(offerSdp);
        ClientTransport transport = subscribe;
        boolean first = transport == null;
        if (first) {
            transport = ClientTransport.open(runtime, bindHost, name + "/subscribe", new SubscribeEvents());
            subscribe = transport;
        }
        List<int[]> payloadTypes = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            for (RtpCodec codec : m.codecs()) {
                payloadTypes.add(new int[] {codec.payloadType(), codec.clockRate(), codec.is("rtx") ? 1 : 0});
            }
        }
        transport.eventLoop().execute(() -> payloadTypes.forEach(pt -> received.payloadType(pt[0], pt[1], pt[2] == 1)));
        String answer = ClientSdp.subscribeAnswer(offer, transport, sessionId, ++answerVersion);
        if (first) {
            connect(transport, offerSdp, true);
        }
        return answer;
    }

    /** The node says which simulcast layers anyone receives: the others are not encoded. */
    private void onPublishLayers(Map<String, Boolean> layers) {
        ClientTransport transport = publish;
        transport.eventLoop().execute(() -> media.setLayers(layers));
    }

    public void setQuality(String quality) throws SignallingException {
        session.setQuality(quality);
    }

    public String name() {
        return name;
    }

    public CompletableFuture<SrtpProfile> publishConnected() {
        return publishConnected;
    }

    /** Connections opened and not yet through ICE and DTLS (nor failed): 0, 1 or 2. */
    public int connectionsConnecting() {
        int connecting = 0;
        if (publish != null && !publishConnected.isDone()) {
            connecting++;
        }
        if (subscribe != null && !subscribeConnected.isDone()) {
            connecting++;
        }
        return connecting;
    }

    public CompletableFuture<SrtpProfile> subscribeConnected() {
        return subscribeConnected;
    }

    public boolean publishes() {
        return publish != null;
    }

    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Media streams heard so far on the subscribe connection (0 before it exists). */
    public int streamsReceived() throws Exception {
        ClientTransport transport = subscribe;
        return transport == null ? 0 : transport.eventLoop().submit(received::streamCount).get(5, TimeUnit.SECONDS);
    }

    /** Starts the measured window on this participant's receiving side. */
    public void startWindow() throws Exception {
        ClientTransport transport = subscribe;
        if (transport != null) {
            transport.eventLoop().submit(received::startWindow).get(5, TimeUnit.SECONDS);
        }
    }

    /** The receiving side's figures since {@link #startWindow}, or null if it receives nothing. */
    public ReceiveStats.Snapshot receiveSnapshot() throws Exception {
        ClientTransport transport = subscribe;
        return transport == null ? null : transport.eventLoop().submit(received::snapshot).get(5, TimeUnit.SECONDS);
    }

    /** Packets and bytes sent so far by all this participant's streams: {packets, bytes}. */
    public long[] sentCounters() throws Exception {
        if (publish == null) {
            return new long[2];
        }
        return publish.eventLoop().submit(media::sentCounters).get(5, TimeUnit.SECONDS);
    }

    /** Keyframes sent on all video streams so far. */
    public long keyframesSent() throws Exception {
        if (publish == null) {
            return 0;
        }
        return publish.eventLoop().submit(media::keyframesSent).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
        if (publish != null) {
            publish.eventLoop().execute(() -> {
                if (pacing != null) {
                    pacing.cancel(false);
                }
            });
            publish.close();
        }
        ClientTransport transport = subscribe;
        if (transport != null) {
            transport.eventLoop().execute(() -> {
                if (feedback != null) {
                    feedback.cancel(false);
                }
            });
            transport.close();
        }
    }

    private void pace() {
        media.tick(System.nanoTime(), publish);
        publish.flush();
    }

    /** A receiver report with no blocks and a REMB (draft-alvestrand-rmcat-remb) for everything. */
    private void sendFeedback() {
        ClientTransport transport = subscribe;
        ByteBuf packet = transport.alloc().directBuffer(64);
        RtcpWriter.receiverReport(packet, receiverSsrc);
        RtcpWriter.remb(packet, receiverSsrc, REMB_BPS, new int[0]);
        transport.sendRtcp(packet);
        transport.flush();
    }

    private final class PublishEvents implements ClientTransport.Events {
        @Override
        public void onConnected(SrtpProfile profile) {
            pacing = publish.eventLoop().scheduleAtFixedRate(LoadParticipant.this::pace, 0, TICK_NANOS,
                    TimeUnit.NANOSECONDS);
            publishConnected.complete(profile);
        }

        @Override
        public void onRtp(ByteBuf packet, long receivedNanos) {
            // The node sends nothing on a publish connection but RTCP.
        }

        @Override
        public void onRtcp(ByteBuf packet) {
            media.onRtcp(packet);
        }

        @Override
        public void onFailed(String reason) {
            failures.add(reason);
            publishConnected.completeExceptionally(new IllegalStateException(reason));
        }
    }

    private final class SubscribeEvents implements ClientTransport.Events {
        @Override
        public void onConnected(SrtpProfile profile) {
            feedback = subscribe.eventLoop().scheduleAtFixedRate(LoadParticipant.this::sendFeedback, 0, 1,
                    TimeUnit.SECONDS);
            subscribeConnected.complete(profile);
        }

        @Override
        public void onRtp(ByteBuf packet, long receivedNanos) {
            received.onPacket(packet, receivedNanos);
        }

        @Override
        public void onRtcp(ByteBuf packet) {
            // Sender reports: not needed for the figures.
        }

        @Override
        public void onFailed(String reason) {
            failures.add(reason);
            subscribeConnected.completeExceptionally(new IllegalStateException(reason));
        }
    }
}
