package org.adam.sfu.node;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Nonces the node hands out (GraphQL `callNonce`) for texts a client signs: each one is good for
 * one use within its lifetime. The store is bounded: when it is full the oldest outstanding nonce
 * makes room, so a client minting nonces in a loop costs the node a fixed amount of memory
 * (a nonce is normally used milliseconds after it is issued, long before it could be pushed out).
 */
final class NonceStore {

    private final int capacity;
    private final long lifetimeMillis;
    private final LongSupplier clockMillis;
    private final SecureRandom random = new SecureRandom();
    /** Outstanding nonces and when they were issued, oldest first. Guarded by {@code this}. */
    private final LinkedHashMap<String, Long> issued = new LinkedHashMap<>();

    NonceStore(int capacity, Duration lifetime, LongSupplier clockMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.lifetimeMillis = lifetime.toMillis();
        this.clockMillis = clockMillis;
    }

    /** A fresh 128-bit nonce, base64url without padding. */
    String issue() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        synchronized (this) {
            long now = clockMillis.getAsLong();
            dropExpired(now);
            if (issued.size() >= capacity) {
                Iterator<String> oldest = issued.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
            issued.put(nonce, now);
        }
        return nonce;
    }

    /** Uses up {@code nonce}: true when this store issued it, it is unused and within its lifetime. */
    boolean take(String nonce) {
        if (nonce == null) {
            return false;
        }
        long now = clockMillis.getAsLong();
        Long at;
        synchronized (this) {
            at = issued.remove(nonce);
        }
        return at != null && now - at <= lifetimeMillis;
    }

    synchronized int size() {
        return issued.size();
    }

    long lifetimeSeconds() {
        return lifetimeMillis / 1000;
    }

    /**
     * Issue times (read under the lock, from a monotonic clock) only grow along the map, so the
     * expired nonces are a prefix of it.
     */
    private void dropExpired(long now) {
        Iterator<Map.Entry<String, Long>> entries = issued.entrySet().iterator();
        while (entries.hasNext()) {
            if (now - entries.next().getValue() <= lifetimeMillis) {
                return;
            }
            entries.remove();
        }
    }
}
