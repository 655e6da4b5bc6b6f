package org.adam.sfu.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void readsAChainWithAPkcs8Key() throws Exception {
        KeyPair leafKeys = TestPem.ecKeys();
        X509Certificate leaf = TestPem.selfSigned(leafKeys, "leaf");
        X509Certificate other = TestPem.selfSigned(TestPem.ecKeys(), "intermediate");
        Path cert = TestPem.write(dir.resolve("chain.pem"), TestPem.pem(leaf) + TestPem.pem(other));
        Path key = TestPem.write(dir.resolve("key.pem"), TestPem.pkcs8(leafKeys));

        TlsCredentials read = TlsCredentials.read(cert, key);

        assertThat(read.chain()).containsExactly(leaf, other);
        assertThat(read.key().getEncoded()).isEqualTo(leafKeys.getPrivate().getEncoded());
    }

    @Test
    void readsPkcs1RsaAndSec1EcKeys() throws Exception {
        for (KeyPair keys : new KeyPair[] {TestPem.rsaKeys(), TestPem.ecKeysWithFullSec1()}) {
            Path cert = TestPem.write(dir.resolve("cert.pem"), TestPem.pem(TestPem.selfSigned(keys, "node")));
            String traditional = TestPem.traditional(keys);
            assertThat(traditional).containsAnyOf("BEGIN RSA PRIVATE KEY", "BEGIN EC PRIVATE KEY");
            // openssl ecparam -genkey writes the curve's parameters before the key.
            String withParameters = keys.getPrivate().getAlgorithm().equals("EC")
                    ? "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + traditional
                    : traditional;
            Path key = TestPem.write(dir.resolve("key.pem"), withParameters);

            assertThat(TlsCredentials.read(cert, key).key().getAlgorithm()).isEqualTo(keys.getPrivate().getAlgorithm());
        }
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() throws Exception {
        Path cert = TestPem.write(dir.resolve("cert.pem"), TestPem.pem(TestPem.selfSigned(TestPem.ecKeys(), "a")));
        Path key = TestPem.write(dir.resolve("key.pem"), TestPem.pkcs8(TestPem.ecKeys()));
        assertThatThrownBy(() -> TlsCredentials.read(cert, key)).isInstanceOf(TlsCredentials.Unusable.class)
                .hasMessageContaining("is not the key of the certificate");

        Path rsaKey = TestPem.write(dir.resolve("rsa.pem"), TestPem.pkcs8(TestPem.rsaKeys()));
        assertThatThrownBy(() -> TlsCredentials.read(cert, rsaKey)).isInstanceOf(TlsCredentials.Unusable.class)
                .hasMessageContaining("is not the key of the certificate");
    }

    @Test
    void refusesAnEncryptedKeyWithTheWayOut() throws Exception {
        KeyPair keys = TestPem.ecKeys();
        Path cert = TestPem.write(dir.resolve("cert.pem"), TestPem.pem(TestPem.selfSigned(keys, "a")));
        Path key = TestPem.write(dir.resolve("key.pem"), TestPem.pem(new JcaPKCS8Generator(keys.getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                        .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build())));
        assertThatThrownBy(() -> TlsCredentials.read(cert, key)).isInstanceOf(TlsCredentials.Unusable.class)
                .hasMessageContaining("encrypted key").hasMessageContaining("openssl pkey");
    }

    @Test
    void refusesFilesWithoutPemOrOverTheBoundBeforeParsingThem() throws Exception {
        KeyPair keys = TestPem.ecKeys();
        Path cert = TestPem.write(dir.resolve("cert.pem"), TestPem.pem(TestPem.selfSigned(keys, "a")));
        Path key = TestPem.write(dir.resolve("key.pem"), TestPem.pkcs8(keys));
        Path garbage = TestPem.write(dir.resolve("garbage.pem"), "not pem at all\n");
        Path truncated = TestPem.write(dir.resolve("truncated.pem"),
                TestPem.pem(TestPem.selfSigned(keys, "a")).substring(0, 200));
        Path huge = dir.resolve("huge.pem");
        Files.write(huge, new byte[TlsCredentials.MAX_FILE_BYTES + 1]);

        assertThatThrownBy(() -> TlsCredentials.read(garbage, key)).hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> TlsCredentials.read(cert, garbage)).hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> TlsCredentials.read(truncated, key)).isInstanceOf(TlsCredentials.Unusable.class);
        assertThatThrownBy(() -> TlsCredentials.read(huge, key)).hasMessageContaining("are not read");
        assertThatThrownBy(() -> TlsCredentials.read(dir.resolve("missing.pem"), key))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void spkiHashIsTheBase64Sha256OfTheLeafsSubjectPublicKeyInfo() throws Exception {
        KeyPair keys = TestPem.ecKeys();
        X509Certificate leaf = TestPem.selfSigned(keys, "a");
        TlsCredentials read = TlsCredentials.read(TestPem.write(dir.resolve("c.pem"), TestPem.pem(leaf)),
                TestPem.write(dir.resolve("k.pem"), TestPem.pkcs8(keys)));
        byte[] spki = MessageDigest.getInstance("SHA-256").digest(keys.getPublic().getEncoded());
        assertThat(read.spkiSha256Base64()).isEqualTo(Base64.getEncoder().encodeToString(spki));
        assertThat(read.fingerprintSha256()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }
}
