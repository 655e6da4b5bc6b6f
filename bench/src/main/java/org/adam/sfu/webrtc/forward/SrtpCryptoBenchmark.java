package org.adam.sfu.webrtc.forward;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.adam.sfu.webrtc.srtp.SrtpCrypto;
import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.adam.sfu.webrtc.srtp.SrtpReceiveContext;
import org.adam.sfu.webrtc.srtp.SrtpSendContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP alone on one 1,200-byte RTP packet (12-byte header, 1,188-byte payload) in a pooled direct
 * buffer, a new sequence number (so a new IV) each time, contexts reused: {@link #protect} is one
 * seal, {@link #protectAndUnprotect} a seal and an open. The same work as bench/openssl measures
 * with OpenSSL's libcrypto (decision 0014); run it on each JDK to compare them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Djmh.executor=CUSTOM",
        "-Djmh.executor.class=org.adam.sfu.webrtc.forward.FastThreadLocalExecutor",
        "-Dio.netty.leakDetection.level=disabled"})
public class SrtpCryptoBenchmark {

    static final int PAYLOAD = 1188;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public String profile;

    @Param({"JAVA", "JCE", "OPENSSL"})
    public String crypto;

    private SrtpSendContext sender;
    private SrtpReceiveContext receiver;
    private ByteBuf packet;
    private final byte[] payload = new byte[PAYLOAD];
    private int seq;

    @Setup
    public void setUp() {
        SecureRandom random = new SecureRandom();
        SrtpProfile srtp = SrtpProfile.valueOf(profile);
        SrtpCrypto implementation = SrtpCrypto.valueOf(crypto);
        byte[] key = new byte[srtp.keyLength()];
        byte[] salt = new byte[srtp.saltLength()];
        random.nextBytes(key);
        random.nextBytes(salt);
        random.nextBytes(payload);
        sender = new SrtpSendContext(srtp, key, salt, implementation);
        receiver = new SrtpReceiveContext(srtp, key, salt, implementation);
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(12 + PAYLOAD + 16);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        packet.release();
    }

    private ByteBuf next() {
        packet.clear();
        packet.writeByte(0x80).writeByte(96).writeShort(seq++ & 0xFFFF).writeInt(seq * 3000)
                .writeInt(0x1234).writeBytes(payload);
        return packet;
    }

    @Benchmark
    public int protect() {
        return sender.protectRtp(next());
    }

    @Benchmark
    public int protectAndUnprotect() {
        ByteBuf p = next();
        sender.protectRtp(p);
        int length = receiver.unprotectRtp(p);
        if (length < 0) {
            throw new IllegalStateException("unprotect failed: " + length);
        }
        return length;
    }
}
