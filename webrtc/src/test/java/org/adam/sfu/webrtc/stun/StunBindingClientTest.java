package org.adam.sfu.webrtc.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The server-reflexive discovery client against answers built here, in simulated time. */
class StunBindingClientTest {

    private static final InetSocketAddress MAPPED = new InetSocketAddress(loopback(), 40000);

    @Test
    void learnsTheMappedAddressFromTheMatchingAnswerOnly() throws Exception {
        StunBindingClient client = new StunBindingClient(new Random(1), false, 500, 0);
        byte[] request = client.pollTransmit();
        StunMessage parsed = StunMessage.parse(request, 0, request.length);
        assertThat(parsed.type()).isEqualTo(StunMessageType.BINDING_REQUEST);
        assertThat(client.pollTransmit()).isNull();

        byte[] otherTransaction = answer(new byte[12], MAPPED);
        assertThat(client.handleInput(otherTransaction, 0, otherTransaction.length)).isFalse();
        byte[] garbage = {1, 2, 3};
        assertThat(client.handleInput(garbage, 0, garbage.length)).isFalse();

        client.handleTimeout(500);
        assertThat(client.pollTransmit()).isEqualTo(request); // retransmitted as is
        byte[] answer = answer(parsed.transactionId(), MAPPED);
        assertThat(client.handleInput(answer, 0, answer.length)).isTrue();
        assertThat(client.state()).isEqualTo(StunBindingClient.State.SUCCEEDED);
        assertThat(client.mappedAddress()).isEqualTo(MAPPED);
        assertThat(client.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void failsWhenNobodyAnswers() {
        StunBindingClient client = new StunBindingClient(new Random(2), false, 500, 0);
        int sends = 0;
        while (client.state() == StunBindingClient.State.RUNNING) {
            if (client.pollTransmit() != null) {
                sends++;
            }
            client.handleTimeout(client.pollTimeout());
        }
        assertThat(sends).isEqualTo(7);
        assertThat(client.state()).isEqualTo(StunBindingClient.State.FAILED);
    }

    private static byte[] answer(byte[] transactionId, InetSocketAddress mapped) {
        return new StunMessageWriter(StunMessageType.BINDING_SUCCESS, transactionId).xorMappedAddress(mapped)
                .encode(null, true);
    }

    private static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }
}
