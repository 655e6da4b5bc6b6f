package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.adam.sfu.webrtc.transport.IceTcpSettings;
import org.junit.jupiter.api.Test;

class MediaTcpPortTest {

    @Test
    void unsetListensOnTheMediaPortsNumber() {
        assertThat(MediaTcpPort.settings("", 40000).port()).isEqualTo(40000);
    }

    @Test
    void takesAPortZeroOrOff() {
        assertThat(MediaTcpPort.settings("443", 40000).port()).isEqualTo(443);
        assertThat(MediaTcpPort.settings("0", 40000).port()).isZero();
        assertThat(MediaTcpPort.settings("off", 40000)).isEqualTo(IceTcpSettings.OFF);
        // HOCON reads an unquoted off as the boolean false
        assertThat(MediaTcpPort.settings("false", 40000).enabled()).isFalse();
    }

    @Test
    void refusesWhatIsNoPort() {
        assertThatThrownBy(() -> MediaTcpPort.settings("70000", 40000)).hasMessageContaining("not a port");
        assertThatThrownBy(() -> MediaTcpPort.settings("tcp", 40000)).hasMessageContaining("sfu.media.tcp-port");
    }
}
