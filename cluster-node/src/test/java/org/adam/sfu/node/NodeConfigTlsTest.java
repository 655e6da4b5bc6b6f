package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `--tls*` and `--insecure-http` make of a node's configuration (nothing is bound here). */
class NodeConfigTlsTest {

    @TempDir
    Path dataDir;

    private NodeConfig load(String... args) {
        List<String> all = new ArrayList<>(List.of("--node-id", "n1", "--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        return NodeConfig.load(CommandLine.parse(all.toArray(new String[0])));
    }

    @Test
    void loopbackStaysPlainHttpByDefault() {
        NodeConfig config = load();
        assertThat(config.tls().enabled()).isFalse();
        assertThat(config.signalUrl()).isEqualTo("ws://127.0.0.1:8080/signal");
    }

    @Test
    void plainHttpOffLoopbackIsRefusedWithTheWayOut() {
        for (String host : List.of("192.0.2.1", "0.0.0.0", "2001:db8::1")) {
            assertThatThrownBy(() -> load("--http-host", host)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("plain HTTP").hasMessageContaining("--tls-cert")
                    .hasMessageContaining("--tls self-signed").hasMessageContaining("--insecure-http");
        }
    }

    @Test
    void insecureHttpIsAFlagThatAllowsIt() {
        NodeConfig config = load("--http-host", "192.0.2.1", "--insecure-http", "--http-port", "9000");
        assertThat(config.tls().enabled()).isFalse();
        assertThat(config.httpPort()).as("the option after the flag is read as an option").isEqualTo(9000);
        assertThat(config.signalUrl()).isEqualTo("ws://192.0.2.1:9000/signal");
        assertThatThrownBy(() -> load("--http-host", "192.0.2.1", "--insecure-http=false"))
                .hasMessageContaining("--insecure-http");
    }

    @Test
    void withTlsTheNodeAdvertisesWssAndItsOwnPagesAreHttpsOnly() {
        NodeConfig config = load("--http-host", "192.0.2.1", "--tls-cert", "/etc/sfu/cert.pem",
                "--tls-key", "/etc/sfu/key.pem");
        assertThat(config.tls().mode()).isEqualTo(TlsSettings.Mode.FILES);
        assertThat(config.tls().cert()).isEqualTo(Path.of("/etc/sfu/cert.pem"));
        assertThat(config.signalUrl()).isEqualTo("wss://192.0.2.1:8080/signal");
        assertThat(config.allowedOrigins().allows("https://192.0.2.1:8080", 8080)).isTrue();
        assertThat(config.allowedOrigins().allows("http://192.0.2.1:8080", 8080)).isFalse();
    }

    @Test
    void selfSignedKeepsItsFilesInTheNodesDirectory() {
        NodeConfig config = load("--tls", "self-signed", "--http-host", "::1");
        assertThat(config.tls().mode()).isEqualTo(TlsSettings.Mode.SELF_SIGNED);
        assertThat(config.tls().cert()).isEqualTo(dataDir.resolve("n1").resolve("tls-cert.pem"));
        assertThat(config.tls().key()).isEqualTo(dataDir.resolve("n1").resolve("tls-key.pem"));
        assertThat(config.signalUrl()).isEqualTo("wss://[::1]:8080/signal");
        assertThat(config.allowedOrigins().allows("https://localhost:8080", 8080)).isTrue();
    }

    @Test
    void contradictoryTlsOptionsAreRefused() {
        assertThatThrownBy(() -> load("--tls-cert", "c.pem")).hasMessageContaining("go together");
        assertThatThrownBy(() -> load("--tls", "self-signed", "--tls-cert", "c.pem", "--tls-key", "k.pem"))
                .hasMessageContaining("makes its own certificate");
        assertThatThrownBy(() -> load("--tls", "on")).hasMessageContaining("self-signed, files or off");
    }
}
