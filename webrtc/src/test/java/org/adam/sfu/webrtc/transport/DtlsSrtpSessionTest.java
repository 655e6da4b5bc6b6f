package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.adam.sfu.webrtc.dtls.DtlsResult;
import org.adam.sfu.webrtc.dtls.DtlsRole;
import org.adam.sfu.webrtc.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;

/** The DTLS association's start, the records that arrive before it, and the SRTP keys it exports. */
class DtlsSrtpSessionTest {

    /** Records what the session asks of its association. */
    private static final class RecordingHandshake implements DtlsSrtpSession.Handshake {
        final List<String> calls = new ArrayList<>();

        @Override
        public void start() {
            calls.add("start");
        }

        @Override
        public void onDatagram(byte[] datagram) {
            calls.add("record " + datagram[0]);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void recordsBeforeTheStartAreHandedOnInOrderOnceItStarts() {
        DtlsSrtpSession session = new DtlsSrtpSession();
        RecordingHandshake handshake = new RecordingHandshake();
        session.open(handshake);
        session.onDatagram(new byte[] {1});
        session.onDatagram(new byte[] {2});
        assertThat(handshake.calls).as("held until the start").isEmpty();
        session.start();
        session.onDatagram(new byte[] {3});
        session.start();
        assertThat(handshake.calls).containsExactly("start", "record 1", "record 2", "record 3");
    }

    @Test
    void atMostABoundedNumberOfEarlyRecordsAreKept() {
        DtlsSrtpSession session = new DtlsSrtpSession();
        RecordingHandshake handshake = new RecordingHandshake();
        session.open(handshake);
        for (int i = 0; i < DtlsSrtpSession.MAX_EARLY_DTLS + 5; i++) {
            session.onDatagram(new byte[] {(byte) i});
        }
        session.start();
        assertThat(handshake.calls).hasSize(1 + DtlsSrtpSession.MAX_EARLY_DTLS);
        assertThat(handshake.calls.get(DtlsSrtpSession.MAX_EARLY_DTLS))
                .isEqualTo("record " + (DtlsSrtpSession.MAX_EARLY_DTLS - 1));
    }

    @Test
    void nothingStartsBeforeTheAssociationExists() {
        DtlsSrtpSession session = new DtlsSrtpSession();
        session.start();
        RecordingHandshake handshake = new RecordingHandshake();
        session.open(handshake);
        session.start();
        session.close();
        assertThat(handshake.calls).containsExactly("start", "close");
    }

    @Test
    void anUnknownProfileKeysNothing() {
        DtlsSrtpSession session = new DtlsSrtpSession();
        assertThat(session.onHandshakeComplete(new DtlsResult(0x0042, new byte[60], DtlsRole.SERVER, "x"))).isNull();
        assertThat(session.keyed()).isFalse();
    }

    @Test
    void bothEndsKeyedFromOneExportReadEachOther() {
        SrtpProfile profile = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
        byte[] material = new byte[profile.exportLength()];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7 + 1);
        }
        DtlsSrtpSession client = new DtlsSrtpSession();
        DtlsSrtpSession server = new DtlsSrtpSession();
        assertThat(client.onHandshakeComplete(new DtlsResult(profile.id(), material, DtlsRole.CLIENT, "x")))
                .isEqualTo(profile);
        server.onHandshakeComplete(new DtlsResult(profile.id(), material, DtlsRole.SERVER, "x"));
        assertThat(server.keyed()).isTrue();
        ByteBuf packet = Unpooled.buffer().writeByte(0x80).writeByte(111).writeShort(7).writeInt(1000)
                .writeInt(0x5555).writeBytes(new byte[] {10, 20, 30, 40});
        ByteBuf plain = packet.copy();
        assertThat(client.protectRtp(packet)).isPositive();
        assertThat(packet).isNotEqualTo(plain);
        assertThat(server.unprotectRtp(packet)).isPositive();
        assertThat(packet).isEqualTo(plain);
        packet.release();
        plain.release();
    }
}
