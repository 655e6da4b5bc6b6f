package org.adam.sfu.bench.load.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.security.SecureRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.adam.sfu.bench.load.TargetPolicy;
import org.adam.sfu.webrtc.ice.IceConnectivityChecker;
import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceLiteResponder;
import org.adam.sfu.webrtc.ice.IceSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A client connection's ICE: its checks reach the SFU, and only the SFU's own checks are answered. */
class ClientIceTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InetSocketAddress SFU = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);

    private final IceCredentials client = IceCredentials.random(RANDOM);
    private final IceCredentials sfu = IceCredentials.random(RANDOM);
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ClientIce ice = new ClientIce(channel, client, TargetPolicy.loopbackOnly(), RANDOM);

    @AfterEach
    void close() {
        ice.stop();
        channel.finishAndReleaseAll();
    }

    /** A check of the SFU's towards the client, signed with the client's password. */
    private byte[] checkFromTheSfu() {
        return new IceConnectivityChecker(sfu, client, CLIENT, RANDOM, IceConnectivityChecker.Role.CONTROLLED)
                .poll(System.currentTimeMillis());
    }

    private static byte[] bytes(DatagramPacket packet) {
        try {
            return ByteBufUtil.getBytes(packet.content());
        } finally {
            packet.release();
        }
    }

    @Test
    void aCheckOfTheSfuFromItsCandidateIsAnswered() {
        assertThat(ice.onStun(Unpooled.wrappedBuffer(checkFromTheSfu()), SFU, SFU)).isFalse();

        DatagramPacket answer = channel.readOutbound();
        assertThat(answer.recipient()).isEqualTo(SFU);
        answer.release();
        assertThat(ice.checksAnswered()).isEqualTo(1);
    }

    @Test
    void aCheckFromElsewhereThanTheSfusCandidateIsNotAnswered() {
        ice.onStun(Unpooled.wrappedBuffer(checkFromTheSfu()), new InetSocketAddress("127.0.0.1", 40001), SFU);
        // Before the candidate is known, only addresses the clients may send to are answered.
        ice.onStun(Unpooled.wrappedBuffer(checkFromTheSfu()), new InetSocketAddress("192.0.2.1", 40000), null);

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(ice.checksAnswered()).isZero();
    }

    @Test
    void aCheckSignedWithAnotherPasswordIsNotAnswered() {
        byte[] forSomeoneElse = new IceConnectivityChecker(sfu, IceCredentials.random(RANDOM), CLIENT, RANDOM,
                IceConnectivityChecker.Role.CONTROLLED).poll(System.currentTimeMillis());
        ice.onStun(Unpooled.wrappedBuffer(forSomeoneElse), SFU, SFU);

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(ice.checksAnswered()).isZero();
    }

    @Test
    void theSfusAnswerToOurCheckMakesItReachable() {
        ice.start(sfu, SFU, IceConnectivityChecker.Role.CONTROLLING);
        assertThat(ice.started()).isTrue();
        ice.startChecks();
        channel.runPendingTasks();
        DatagramPacket check = channel.readOutbound();
        assertThat(check.recipient()).isEqualTo(SFU);
        byte[] request = bytes(check);

        IceSession sfuSession = new IceSession(sfu, Long.MAX_VALUE);
        IceLiteResponder.Result result = new IceLiteResponder().handle(request, 0, request.length, CLIENT,
                ufrag -> ufrag.equals(sfu.ufrag()) ? sfuSession : null);
        assertThat(result.accepted()).isTrue();

        ByteBuf response = Unpooled.wrappedBuffer(result.response());
        assertThat(ice.onStun(response, new InetSocketAddress("127.0.0.1", 40001), SFU)).isFalse();
        assertThat(ice.onStun(Unpooled.wrappedBuffer(result.response()), SFU, SFU)).isTrue();
    }

    @Test
    void aResponseBeforeAnyCheckWasSentMeansNothing() {
        assertThat(ice.started()).isFalse();
        byte[] request = checkFromTheSfu();
        IceSession clientSession = new IceSession(client, Long.MAX_VALUE);
        byte[] response = new IceLiteResponder().handle(request, 0, request.length, SFU,
                ufrag -> ufrag.equals(client.ufrag()) ? clientSession : null).response();
        assertThat(ice.onStun(Unpooled.wrappedBuffer(response), SFU, SFU)).isFalse();
    }
}
