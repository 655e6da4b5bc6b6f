package org.adam.sfu.webrtc.srtp;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AES-128-GCM on OpenSSL's libcrypto through a small JNI library of our own
 * ({@code src/main/native/openssl_gcm.c}, decision 0016): keyed once per session, one IV set per
 * packet, nothing allocated per packet, and OpenSSL's stitched AES-NI + carry-less-multiply code
 * doing the work. The library is built with the module when a C compiler and OpenSSL's headers
 * are there; {@link #available()} says whether it loaded.
 *
 * <p>Every offset and length is checked here before the native call (the native side checks them
 * again). Not thread-safe, like every SRTP primitive: one transport's loop uses it.
 */
final class OpensslGcm implements GcmCipher {

    private static final Logger LOG = LoggerFactory.getLogger(OpensslGcm.class);
    private static final String LIBRARY = "/native/linux-x86_64/libsfu-openssl-gcm.so";
    private static final Cleaner CLEANER = Cleaner.create(runnable -> {
        Thread thread = new Thread(runnable, "openssl-gcm-cleaner");
        thread.setDaemon(true);
        return thread;
    });
    private static final boolean AVAILABLE = load();

    private final long handle;

    OpensslGcm(byte[] key) {
        if (!AVAILABLE) {
            throw new IllegalStateException("the OpenSSL AES-GCM library is not loaded");
        }
        handle = create(key);
        if (handle == 0) {
            throw new IllegalStateException("OpenSSL could not key AES-128-GCM");
        }
        long context = handle;
        // Contexts end with their transport, which has no close hook into SRTP: free on collection.
        CLEANER.register(this, () -> destroy(context));
    }

    /** Whether the native library loaded on this machine. */
    static boolean available() {
        return AVAILABLE;
    }

    @Override
    public void seal(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength) {
        check(iv, buf, aad, aadLength, text, textLength);
        requireSealed(seal(handle, iv, buf, aad, aadLength, text, textLength));
    }

    @Override
    public boolean open(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength) {
        check(iv, buf, aad, aadLength, text, textLength);
        return open(handle, iv, buf, aad, aadLength, text, textLength) == 1;
    }

    /**
     * As {@link #seal}, on native memory: {@code length} bytes from {@code address} hold the
     * associated data, then the text, then room for the tag. For a direct buffer's memory; the
     * caller guarantees the region is the buffer's, this checks only that the parts fit in it.
     */
    void sealInPlace(byte[] iv, long address, int length, int aadLength, int textLength) {
        checkRegion(iv, length, aadLength, textLength);
        requireSealed(sealAt(handle, iv, address, aadLength, textLength));
    }

    /** As {@link #open}, on native memory laid out as for {@link #sealInPlace}, the tag after the text. */
    boolean openInPlace(byte[] iv, long address, int length, int aadLength, int textLength) {
        checkRegion(iv, length, aadLength, textLength);
        return openAt(handle, iv, address, aadLength, textLength) == 1;
    }

    private static void requireSealed(int result) {
        if (result != 1) {
            throw new IllegalStateException("OpenSSL AES-GCM seal failed");
        }
    }

    private static void checkRegion(byte[] iv, int length, int aadLength, int textLength) {
        if (iv.length != 12 || aadLength < 0 || textLength < 0 || (long) aadLength + textLength + TAG > length) {
            throw new IndexOutOfBoundsException("GCM parts longer than the " + length + "-byte region");
        }
    }

    private static void check(byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength) {
        if (iv.length != 12 || aad < 0 || aadLength < 0 || (long) aad + aadLength > buf.length
                || text < 0 || textLength < 0 || (long) text + textLength + TAG > buf.length) {
            throw new IndexOutOfBoundsException("GCM ranges outside the " + buf.length + "-byte buffer");
        }
    }

    private static boolean load() {
        try (InputStream library = OpensslGcm.class.getResourceAsStream(LIBRARY)) {
            if (library == null) {
                LOG.info("OpenSSL AES-GCM library not in this build; AES-GCM runs on the JDK's cipher");
                return false;
            }
            Path file = Files.createTempFile("sfu-openssl-gcm", ".so");
            try {
                Files.copy(library, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file); // the loaded library stays mapped
            }
            LOG.info("AES-GCM for SRTP runs on OpenSSL's libcrypto");
            return true;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            LOG.warn("OpenSSL AES-GCM library did not load ({}); AES-GCM runs on the JDK's cipher", e.toString());
            return false;
        }
    }

    private static native long create(byte[] key);

    private static native void destroy(long handle);

    private static native int seal(long handle, byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength);

    private static native int open(long handle, byte[] iv, byte[] buf, int aad, int aadLength, int text, int textLength);

    private static native int sealAt(long handle, byte[] iv, long address, int aadLength, int textLength);

    private static native int openAt(long handle, byte[] iv, long address, int aadLength, int textLength);
}
