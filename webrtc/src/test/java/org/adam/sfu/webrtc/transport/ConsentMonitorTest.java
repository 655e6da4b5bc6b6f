package org.adam.sfu.webrtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;

import org.adam.sfu.webrtc.ice.IceCredentials;
import org.adam.sfu.webrtc.ice.IceSession;
import org.junit.jupiter.api.Test;

/** Consent freshness and the negotiation timeout on simulated time (RFC 7675). */
class ConsentMonitorTest {

    private static final long CONSENT_TIMEOUT = 30_000;
    private static final long GRACE = 15_000;
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.1", 5000);

    private final IceSession ice = new IceSession(new IceCredentials("ufr1", "password-password-pw"), CONSENT_TIMEOUT);
    private int lost;
    private int restored;
    private final TransportListener listener = new TransportListener() {
        @Override
        public void onConnected() {
        }

        @Override
        public void onClosed(String reason) {
        }

        @Override
        public void onConsentLost() {
            lost++;
        }

        @Override
        public void onConsentRestored() {
            restored++;
        }
    };

    private ConsentMonitor monitor(boolean pipe) {
        return new ConsentMonitor("t", pipe, ice, listener, GRACE);
    }

    @Test
    void nothingHappensBeforeThePeerIsDescribed() {
        assertThat(monitor(false).check(10 * CONSENT_TIMEOUT, false)).isNull();
    }

    @Test
    void aTransportThatNeverConnectsClosesWhenTheTimeoutPassesSinceNegotiation() {
        ConsentMonitor monitor = monitor(false);
        monitor.negotiated(1_000);
        assertThat(monitor.check(1_000 + CONSENT_TIMEOUT, false)).isNull();
        assertThat(monitor.check(1_000 + CONSENT_TIMEOUT + 1, false)).isEqualTo("ICE did not connect");
    }

    @Test
    void aConnectedClientLosesConsentThenGetsTheGraceBeforeItCloses() {
        ConsentMonitor monitor = monitor(false);
        monitor.negotiated(0);
        ice.onValidCheck(PEER, true, 0);
        long expired = CONSENT_TIMEOUT + 1;
        assertThat(monitor.check(expired, true)).isNull();
        assertThat(monitor.lost()).isTrue();
        assertThat(lost).isEqualTo(1);
        assertThat(monitor.check(expired + GRACE, true)).as("still within the grace").isNull();
        assertThat(lost).as("told once").isEqualTo(1);
        assertThat(monitor.check(expired + GRACE + 1, true))
                .isEqualTo("ICE consent expired and no ICE restart came within the grace");
    }

    @Test
    void aValidCheckRestoresLostConsent() {
        ConsentMonitor monitor = monitor(false);
        monitor.negotiated(0);
        monitor.onValidCheck(PEER);
        assertThat(restored).as("nothing was lost").isZero();
        monitor.check(CONSENT_TIMEOUT + 1, true);
        ice.onValidCheck(PEER, false, CONSENT_TIMEOUT + 2);
        monitor.onValidCheck(PEER);
        assertThat(monitor.lost()).isFalse();
        assertThat(restored).isEqualTo(1);
        assertThat(monitor.check(CONSENT_TIMEOUT + 3 + GRACE, true)).isNull();
    }

    @Test
    void aPipeClosesAtOnceWhenConsentExpires() {
        ConsentMonitor monitor = monitor(true);
        monitor.negotiated(0);
        assertThat(monitor.check(CONSENT_TIMEOUT + 1, true)).isEqualTo("ICE consent expired");
        assertThat(lost).isZero();
    }
}
