package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedTlsTest {

    @TempDir
    Path dataDir;

    private Path cert() {
        return dataDir.resolve("n1").resolve(TlsSettings.SELF_SIGNED_CERT);
    }

    private Path key() {
        return dataDir.resolve("n1").resolve(TlsSettings.SELF_SIGNED_KEY);
    }

    private List<String> subjectAltNames() throws Exception {
        return TlsCredentials.read(cert(), key()).leaf().getSubjectAlternativeNames().stream()
                .map(entry -> entry.get(1).toString()).toList();
    }

    @Test
    void madeOwnerOnlyNamingTheNodesAddresses() throws Exception {
        assertThat(SelfSignedTls.ensure(cert(), key(), List.of("0.0.0.0", "localhost", "127.0.0.1", "::1", "10.1.2.3")))
                .isTrue();

        for (Path file : List.of(cert(), key())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cert().getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(key())).contains("-----BEGIN PRIVATE KEY-----");
        assertThat(subjectAltNames()).containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "10.1.2.3");
    }

    @Test
    void theKeptOneIsUsedAgain() throws Exception {
        List<String> names = List.of("localhost", "127.0.0.1", "::1");
        SelfSignedTls.ensure(cert(), key(), names);
        String fingerprint = TlsCredentials.read(cert(), key()).fingerprintSha256();

        assertThat(SelfSignedTls.ensure(cert(), key(), List.of("127.0.0.1", "[::1]", "LOCALHOST"))).isFalse();
        assertThat(TlsCredentials.read(cert(), key()).fingerprintSha256()).isEqualTo(fingerprint);
    }

    @Test
    void aNewOneIsMadeWhenTheNodeServesAnAddressTheKeptOneDoesNotName() throws Exception {
        SelfSignedTls.ensure(cert(), key(), List.of("127.0.0.1"));
        String fingerprint = TlsCredentials.read(cert(), key()).fingerprintSha256();

        assertThat(SelfSignedTls.ensure(cert(), key(), List.of("127.0.0.1", "192.168.1.20"))).isTrue();
        assertThat(TlsCredentials.read(cert(), key()).fingerprintSha256()).isNotEqualTo(fingerprint);
        assertThat(subjectAltNames()).contains("192.168.1.20");
    }

    @Test
    void aPairThatNoLongerLoadsIsMadeAgain() throws Exception {
        SelfSignedTls.ensure(cert(), key(), List.of("127.0.0.1"));
        Files.delete(cert()); // a start interrupted between the two files

        assertThat(SelfSignedTls.ensure(cert(), key(), List.of("127.0.0.1"))).isTrue();
        TlsCredentials.read(cert(), key());
    }
}
