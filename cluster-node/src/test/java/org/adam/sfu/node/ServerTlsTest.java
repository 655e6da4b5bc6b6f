package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloads driven by hand: {@link ServerTls#reloadIfChanged} is what the watcher thread calls. */
class ServerTlsTest {

    @TempDir
    Path dir;

    private Path cert;
    private Path key;

    /** Writes a new pair the way a renewal does: each file to a temporary name, then moved over. */
    private X509Certificate replacePair(String name) throws Exception {
        KeyPair keys = TestPem.ecKeys();
        X509Certificate certificate = TestPem.selfSigned(keys, name);
        replace(key, TestPem.pkcs8(keys));
        replace(cert, TestPem.pem(certificate));
        return certificate;
    }

    private void replace(Path file, String text) throws Exception {
        Path next = TestPem.write(dir.resolve(file.getFileName() + ".next"), text);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private ServerTls loaded() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        replacePair("first");
        return ServerTls.load(cert, key);
    }

    @Test
    void newFilesGoToTheNextConnectionsContext() throws Exception {
        ServerTls tls = loaded();
        SslContext first = tls.context();
        assertThat(tls.reloadIfChanged()).as("nothing changed").isFalse();

        X509Certificate second = replacePair("second");
        assertThat(tls.reloadIfChanged()).isTrue();

        assertThat(tls.credentials().leaf()).isEqualTo(second);
        assertThat(tls.context()).isNotSameAs(first);
        assertThat(tls.reloadIfChanged()).isFalse();
    }

    @Test
    void filesThatDoNotLoadLeaveThePreviousCertificate() throws Exception {
        ServerTls tls = loaded();
        X509Certificate first = tls.credentials().leaf();
        SslContext context = tls.context();

        replace(cert, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(tls.credentials().leaf()).isEqualTo(first);
        assertThat(tls.context()).isSameAs(context);

        Files.delete(key);
        assertThat(tls.reloadIfChanged()).isFalse();
        assertThat(tls.context()).isSameAs(context);

        X509Certificate fixed = replacePair("fixed");
        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(tls.credentials().leaf()).isEqualTo(fixed);
    }

    @Test
    void aPairCaughtHalfReplacedIsNotServedUntilTheKeyFollows() throws Exception {
        ServerTls tls = loaded();
        X509Certificate first = tls.credentials().leaf();
        KeyPair keys = TestPem.ecKeys();
        X509Certificate renewed = TestPem.selfSigned(keys, "renewed");

        replace(cert, TestPem.pem(renewed));
        assertThat(tls.reloadIfChanged()).as("certificate written, key not yet").isFalse();
        assertThat(tls.credentials().leaf()).isEqualTo(first);

        replace(key, TestPem.pkcs8(keys));
        assertThat(tls.reloadIfChanged()).isTrue();
        assertThat(tls.credentials().leaf()).isEqualTo(renewed);
    }

    @Test
    void aNodeWhoseFilesDoNotLoadDoesNotStart() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> ServerTls.load(missing, missing)).isInstanceOf(TlsCredentials.Unusable.class)
                .hasMessageContaining("missing.pem");
    }
}
