package org.adam.sfu.webrtc.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The last packets of a stream by sequence number: hits, misses, and what it keeps alive. */
class RetransmissionCacheTest {

    private static final long MS = 1_000_000L;

    private final RetransmissionCache cache = new RetransmissionCache();

    private static ByteBuf packet(int seq) {
        return Unpooled.buffer(4).writeShort(seq).writeShort(0);
    }

    @Test
    void aStoredPacketIsFoundBorrowed() {
        ByteBuf p = packet(10);
        cache.store(p, 10, 0);
        assertThat(cache.find(10, 500 * MS)).isSameAs(p);
        assertThat(p.refCnt()).as("still the cache's").isEqualTo(1);
        assertThat(cache.find(11, 500 * MS)).as("never stored").isNull();
        cache.clear();
    }

    @Test
    void tooOldIsAMiss() {
        cache.store(packet(10), 10, 0);
        assertThat(cache.find(10, RetransmissionCache.MAX_AGE_NANOS)).isNotNull();
        assertThat(cache.find(10, RetransmissionCache.MAX_AGE_NANOS + 1)).isNull();
        cache.clear();
    }

    @Test
    void aPacketOverwrittenByOneSlotsLaterIsAMissAndReleased() {
        ByteBuf old = packet(5);
        cache.store(old, 5, 0);
        cache.store(packet(5 + RetransmissionCache.SLOTS), 5 + RetransmissionCache.SLOTS, MS);
        assertThat(cache.find(5, MS)).isNull();
        assertThat(old.refCnt()).isZero();
        cache.clear();
    }

    @Test
    void acrossTheSequenceWrap() {
        ByteBuf last = packet(65535);
        cache.store(last, 65535, 0);
        ByteBuf first = packet(0);
        cache.store(first, 0, 0);
        assertThat(cache.find(65535, 0)).isSameAs(last);
        assertThat(cache.find(0, 0)).isSameAs(first);
        cache.store(packet(511), 511, 0); // 65535 and 511 share a slot
        assertThat(cache.find(65535, 0)).isNull();
        assertThat(last.refCnt()).isZero();
        cache.clear();
    }

    @Test
    void holdsAtMostItsSlotsAndClearReleasesThem() {
        List<ByteBuf> all = new ArrayList<>();
        for (int seq = 0; seq < 4 * RetransmissionCache.SLOTS; seq++) {
            ByteBuf p = packet(seq & 0xFFFF);
            all.add(p);
            cache.store(p, seq & 0xFFFF, 0);
        }
        assertThat(all.stream().filter(p -> p.refCnt() > 0).count()).isEqualTo(RetransmissionCache.SLOTS);
        cache.clear();
        assertThat(all.stream().filter(p -> p.refCnt() > 0).count()).isZero();
        assertThat(cache.find(4 * RetransmissionCache.SLOTS - 1, 0)).isNull();
    }
}
