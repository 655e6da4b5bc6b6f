package org.adam.sfu.webrtc.forward;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.adam.sfu.webrtc.srtp.SrtpCrypto;
import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.adam.sfu.webrtc.srtp.SrtpReceiveContext;
import org.adam.sfu.webrtc.srtp.SrtpSendContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The node's per-packet work for one incoming video packet: SRTP decrypt once, then for each
 * receiver its own copy with the header rewritten ({@link DownTrack}'s build) and SRTP encrypt.
 * {@link #publisherOnly} measures making the input (the publisher's encryption), to subtract:
 * forwarding cost = {@link #forward} - {@link #publisherOnly}. Run with `-prof gc` for bytes
 * allocated per operation (one operation = one incoming packet, all its receivers).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// Netty's own thread kind, as on the node's media loop (see FastThreadLocalExecutor); leak
// detection off, since its 1-in-128 sampling of buffers allocates (about 12 B per buffer).
@Fork(value = 1, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=org.adam.sfu.webrtc.forward.FastThreadLocalExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
public class ForwardingBenchmark {

    private static final int PAYLOAD = 1100;

    @Param({"1", "10", "100"})
    public int receivers;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public String profile;

    /** The SRTP implementation of the node's contexts (decision 0014); the publisher's is the profile's default. */
    @Param({"JAVA", "JCE", "OPENSSL"})
    public String crypto;

    private SrtpSendContext publisher;
    private SrtpReceiveContext ingress;
    private final List<SrtpSendContext> egress = new ArrayList<>();
    private final List<DownTrack> downTracks = new ArrayList<>();
    private final byte[] payload = new byte[PAYLOAD];
    private int seq;
    private long timestamp;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        SrtpProfile srtp = SrtpProfile.valueOf(profile);
        SrtpCrypto node = SrtpCrypto.valueOf(crypto);
        byte[] key = new byte[srtp.keyLength()];
        byte[] salt = new byte[srtp.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        publisher = new SrtpSendContext(srtp, key, salt);
        ingress = new SrtpReceiveContext(srtp, key, salt, node);
        TrackForwarder source = new TrackForwarder("bench", false, null, 90000, null, 0x1234);
        for (int i = 0; i < receivers; i++) {
            byte[] k = new byte[srtp.keyLength()];
            byte[] s = new byte[srtp.saltLength()];
            random.nextBytes(k);
            random.nextBytes(s);
            egress.add(new SrtpSendContext(srtp, k, s, node));
            downTracks.add(new DownTrack(source, null, 0x5000 + i, 96));
        }
        random.nextBytes(payload);
    }

    /** The publisher's next SRTP packet (sequence and timestamp advancing), from the pool. */
    private ByteBuf nextIncoming() {
        ByteBuf packet = ByteBufAllocator.DEFAULT.directBuffer(12 + PAYLOAD + 16);
        packet.writeByte(0x80).writeByte(96).writeShort(seq++ & 0xFFFF).writeInt((int) (timestamp += 3000))
                .writeInt(0x1234).writeBytes(payload);
        publisher.protectRtp(packet);
        return packet;
    }

    @Benchmark
    public void publisherOnly(Blackhole sink) {
        ByteBuf packet = nextIncoming();
        sink.consume(packet.readableBytes());
        packet.release();
    }

    @Benchmark
    public void forward(Blackhole sink) {
        ByteBuf packet = nextIncoming();
        if (ingress.unprotectRtp(packet) < 0) {
            throw new IllegalStateException("decrypt failed");
        }
        for (int i = 0; i < receivers; i++) {
            ByteBuf copy = downTracks.get(i).sendForTest(packet);
            sink.consume(egress.get(i).protectRtp(copy));
            copy.release();
        }
        packet.release();
    }
}
