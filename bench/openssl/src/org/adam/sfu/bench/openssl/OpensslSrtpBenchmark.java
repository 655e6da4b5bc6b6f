package org.adam.sfu.bench.openssl;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

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

/**
 * OpenSSL's libcrypto (3.x) through the FFM API, doing what SrtpCryptoBenchmark does on the JDK:
 * one 1,200-byte RTP packet (12-byte header, 1,188-byte payload) in native memory, rewritten
 * from a template each time with a new sequence number, so a new IV per packet; cipher and HMAC
 * contexts keyed once and reused. AEAD_AES_128_GCM: the header is associated data, 16-byte tag.
 * AES_CM_128_HMAC_SHA1_80: AES-128-CTR on the payload, HMAC-SHA1 over packet and ROC, 10 bytes
 * of tag. {@code protect} is one seal; {@code protectAndUnprotect} a seal and a verified open.
 *
 * <p>Needs JDK 22+ (FFM); built and run by scripts/bench-crypto.sh, outside the Java 17 build.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class OpensslSrtpBenchmark {

    private static final int HEADER = 12;
    private static final int PAYLOAD = 1188;
    private static final int EVP_CTRL_GCM_SET_IVLEN = 0x9;
    private static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    private static final int EVP_CTRL_GCM_SET_TAG = 0x11;

    /** "critical": calls without the thread-state transition (Linker.Option.critical); "standard": plain downcalls. */
    @Param({"critical", "standard"})
    public String linkage;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public String profile;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup CRYPTO = SymbolLookup.libraryLookup(
            System.getProperty("openssl.libcrypto", "/usr/lib/x86_64-linux-gnu/libcrypto.so.3"), Arena.global());

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, boolean critical) {
        MemorySegment symbol = CRYPTO.find(name).orElseThrow(() -> new IllegalStateException(name));
        return critical
                ? LINKER.downcallHandle(symbol, descriptor, Linker.Option.critical(false))
                : LINKER.downcallHandle(symbol, descriptor);
    }

    private static final FunctionDescriptor INIT = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
    private static final FunctionDescriptor UPDATE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
    private static final FunctionDescriptor FINAL = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    private static final FunctionDescriptor CTRL = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor HMAC_INIT = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor HMAC_UPDATE = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);

    /** The handles of one linkage; static finals so the JIT binds them as constants. */
    private static final class Calls {
        final MethodHandle encryptInit;
        final MethodHandle encryptUpdate;
        final MethodHandle encryptFinal;
        final MethodHandle decryptInit;
        final MethodHandle decryptUpdate;
        final MethodHandle decryptFinal;
        final MethodHandle ctrl;
        final MethodHandle hmacInit;
        final MethodHandle hmacUpdate;
        final MethodHandle hmacFinal;

        Calls(boolean critical) {
            encryptInit = handle("EVP_EncryptInit_ex", INIT, critical);
            encryptUpdate = handle("EVP_EncryptUpdate", UPDATE, critical);
            encryptFinal = handle("EVP_EncryptFinal_ex", FINAL, critical);
            decryptInit = handle("EVP_DecryptInit_ex", INIT, critical);
            decryptUpdate = handle("EVP_DecryptUpdate", UPDATE, critical);
            decryptFinal = handle("EVP_DecryptFinal_ex", FINAL, critical);
            ctrl = handle("EVP_CIPHER_CTX_ctrl", CTRL, critical);
            hmacInit = handle("HMAC_Init_ex", HMAC_INIT, critical);
            hmacUpdate = handle("HMAC_Update", HMAC_UPDATE, critical);
            hmacFinal = handle("HMAC_Final", FINAL, critical);
        }
    }

    private static final Calls CRITICAL = new Calls(true);
    private static final Calls STANDARD = new Calls(false);

    private Calls calls;
    private boolean gcm;
    private MemorySegment encryptCtx;
    private MemorySegment decryptCtx;
    private MemorySegment sendMac;
    private MemorySegment receiveMac;
    private MemorySegment packet;
    private MemorySegment payload;
    private MemorySegment tag;
    private MemorySegment template;
    private MemorySegment iv;
    private MemorySegment outLength;
    private MemorySegment digest;
    private MemorySegment roc;
    private byte[] salt;
    private int seq;

    @Setup
    public void setUp() throws Throwable {
        calls = "critical".equals(linkage) ? CRITICAL : STANDARD;
        gcm = "AEAD_AES_128_GCM".equals(profile);
        Arena arena = Arena.ofAuto();
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[16];
        random.nextBytes(key);
        salt = new byte[gcm ? 12 : 14];
        random.nextBytes(salt);
        byte[] authKey = new byte[20];
        random.nextBytes(authKey);
        MemorySegment keySegment = arena.allocate(16).copyFrom(MemorySegment.ofArray(key));
        MemorySegment authKeySegment = arena.allocate(20).copyFrom(MemorySegment.ofArray(authKey));
        packet = arena.allocate(HEADER + PAYLOAD + 16, 16);
        // Slices made once: made per packet, they would be the only garbage.
        payload = packet.asSlice(HEADER, PAYLOAD);
        tag = packet.asSlice(HEADER + PAYLOAD, 16);
        template = arena.allocate(HEADER + PAYLOAD, 16);
        byte[] plain = new byte[HEADER + PAYLOAD];
        random.nextBytes(plain);
        plain[0] = (byte) 0x80;
        plain[1] = 96;
        template.copyFrom(MemorySegment.ofArray(plain));
        iv = arena.allocate(16);
        outLength = arena.allocate(JAVA_INT);
        digest = arena.allocate(64);
        roc = arena.allocate(4);

        MethodHandle newCtx = LINKER.downcallHandle(CRYPTO.find("EVP_CIPHER_CTX_new").orElseThrow(), FunctionDescriptor.of(ADDRESS));
        MethodHandle cipherHandle = LINKER.downcallHandle(
                CRYPTO.find(gcm ? "EVP_aes_128_gcm" : "EVP_aes_128_ctr").orElseThrow(), FunctionDescriptor.of(ADDRESS));
        MemorySegment cipher = (MemorySegment) cipherHandle.invokeExact();
        encryptCtx = (MemorySegment) newCtx.invokeExact();
        decryptCtx = (MemorySegment) newCtx.invokeExact();
        check((int) STANDARD.encryptInit.invokeExact(encryptCtx, cipher, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL));
        // Counter mode decrypts by encrypting: its second context is an encryption one too.
        MethodHandle secondInit = gcm ? STANDARD.decryptInit : STANDARD.encryptInit;
        check((int) secondInit.invokeExact(decryptCtx, cipher, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL));
        if (gcm) {
            check((int) STANDARD.ctrl.invokeExact(encryptCtx, EVP_CTRL_GCM_SET_IVLEN, 12, MemorySegment.NULL));
            check((int) STANDARD.ctrl.invokeExact(decryptCtx, EVP_CTRL_GCM_SET_IVLEN, 12, MemorySegment.NULL));
        }
        check((int) STANDARD.encryptInit.invokeExact(encryptCtx, MemorySegment.NULL, MemorySegment.NULL, keySegment, MemorySegment.NULL));
        check((int) secondInit.invokeExact(decryptCtx, MemorySegment.NULL, MemorySegment.NULL, keySegment, MemorySegment.NULL));
        if (!gcm) {
            MethodHandle hmacNew = LINKER.downcallHandle(CRYPTO.find("HMAC_CTX_new").orElseThrow(), FunctionDescriptor.of(ADDRESS));
            MethodHandle sha1 = LINKER.downcallHandle(CRYPTO.find("EVP_sha1").orElseThrow(), FunctionDescriptor.of(ADDRESS));
            MemorySegment md = (MemorySegment) sha1.invokeExact();
            sendMac = (MemorySegment) hmacNew.invokeExact();
            receiveMac = (MemorySegment) hmacNew.invokeExact();
            check((int) STANDARD.hmacInit.invokeExact(sendMac, authKeySegment, 20, md, MemorySegment.NULL));
            check((int) STANDARD.hmacInit.invokeExact(receiveMac, authKeySegment, 20, md, MemorySegment.NULL));
        }
    }

    private static void check(int result) {
        if (result <= 0) {
            throw new IllegalStateException("libcrypto call failed");
        }
    }

    /** The next packet from the template: new sequence number, so the IV changes. */
    private void next() {
        MemorySegment.copy(template, 0, packet, 0, HEADER + PAYLOAD);
        seq++;
        packet.set(JAVA_BYTE, 2, (byte) (seq >>> 8));
        packet.set(JAVA_BYTE, 3, (byte) seq);
    }

    /** RFC 7714 8.1 (GCM) or RFC 3711 4.1.1 (CTR) IV from salt, SSRC and index. */
    private void iv(int ssrc, long index) {
        for (int i = 0; i < salt.length; i++) {
            iv.set(JAVA_BYTE, i, salt[i]);
        }
        if (gcm) {
            xor(2, ssrc >>> 24, ssrc >>> 16, ssrc >>> 8, ssrc);
            for (int i = 0; i < 6; i++) {
                xorByte(6 + i, (int) (index >>> (40 - 8 * i)));
            }
        } else {
            iv.set(JAVA_BYTE, 14, (byte) 0);
            iv.set(JAVA_BYTE, 15, (byte) 0);
            xor(4, ssrc >>> 24, ssrc >>> 16, ssrc >>> 8, ssrc);
            for (int i = 0; i < 6; i++) {
                xorByte(8 + i, (int) (index >>> (40 - 8 * i)));
            }
        }
    }

    private void xor(int offset, int b0, int b1, int b2, int b3) {
        xorByte(offset, b0);
        xorByte(offset + 1, b1);
        xorByte(offset + 2, b2);
        xorByte(offset + 3, b3);
    }

    private void xorByte(int offset, int value) {
        iv.set(JAVA_BYTE, offset, (byte) (iv.get(JAVA_BYTE, offset) ^ value));
    }

    private void seal() throws Throwable {
        Calls c = calls;
        iv(0x1234, seq & 0xFFFF);
        MemorySegment none = MemorySegment.NULL;
        check((int) c.encryptInit.invokeExact(encryptCtx, none, none, none, iv));
        if (gcm) {
            check((int) c.encryptUpdate.invokeExact(encryptCtx, none, outLength, packet, HEADER));
            check((int) c.encryptUpdate.invokeExact(encryptCtx, payload, outLength, payload, PAYLOAD));
            check((int) c.encryptFinal.invokeExact(encryptCtx, tag, outLength));
            check((int) c.ctrl.invokeExact(encryptCtx, EVP_CTRL_GCM_GET_TAG, 16, tag));
        } else {
            check((int) c.encryptUpdate.invokeExact(encryptCtx, payload, outLength, payload, PAYLOAD));
            mac(c, sendMac);
            MemorySegment.copy(digest, 0, packet, HEADER + PAYLOAD, 10);
        }
    }

    private void mac(Calls c, MemorySegment ctx) throws Throwable {
        MemorySegment none = MemorySegment.NULL;
        check((int) c.hmacInit.invokeExact(ctx, none, 0, none, none));
        check((int) c.hmacUpdate.invokeExact(ctx, packet, (long) (HEADER + PAYLOAD)));
        check((int) c.hmacUpdate.invokeExact(ctx, roc, 4L));
        check((int) c.hmacFinal.invokeExact(ctx, digest, outLength));
    }

    private void open() throws Throwable {
        Calls c = calls;
        iv(0x1234, seq & 0xFFFF);
        MemorySegment none = MemorySegment.NULL;
        if (gcm) {
            check((int) c.decryptInit.invokeExact(decryptCtx, none, none, none, iv));
            check((int) c.decryptUpdate.invokeExact(decryptCtx, none, outLength, packet, HEADER));
            check((int) c.decryptUpdate.invokeExact(decryptCtx, payload, outLength, payload, PAYLOAD));
            check((int) c.ctrl.invokeExact(decryptCtx, EVP_CTRL_GCM_SET_TAG, 16, tag));
            check((int) c.decryptFinal.invokeExact(decryptCtx, tag, outLength));
        } else {
            mac(c, receiveMac);
            if (MemorySegment.mismatch(digest, 0, 10, packet, HEADER + PAYLOAD, HEADER + PAYLOAD + 10) != -1) {
                throw new IllegalStateException("tag mismatch");
            }
            check((int) c.encryptInit.invokeExact(decryptCtx, none, none, none, iv));
            check((int) c.encryptUpdate.invokeExact(decryptCtx, payload, outLength, payload, PAYLOAD));
        }
    }

    @Benchmark
    public long protect() throws Throwable {
        next();
        seal();
        return packet.get(JAVA_BYTE, HEADER + PAYLOAD);
    }

    @Benchmark
    public long protectAndUnprotect() throws Throwable {
        next();
        seal();
        open();
        if (MemorySegment.mismatch(packet, HEADER, HEADER + PAYLOAD, template, HEADER, HEADER + PAYLOAD) != -1) {
            throw new IllegalStateException("round trip changed the payload");
        }
        return packet.get(JAVA_BYTE, HEADER + PAYLOAD - 1);
    }
}
