package org.adam.sfu.it;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority of the test's own: its root exists only in the test JVM's memory, so
 * nothing on this machine trusts what it signs unless the test says so (an SSLContext built here,
 * or Chromium's SPKI list).
 */
final class TestCertificateAuthority {

    /** A node certificate and its key, as the node reads them. */
    record Issued(X509Certificate certificate, KeyPair keys) {

        /**
         * Writes the pair the way a renewal does (each file to a temporary name, then moved over
         * the old one), the key first.
         */
        void writeTo(Path certFile, Path keyFile) throws Exception {
            replace(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
            replace(certFile, pem(certificate));
        }

        /** Base64 SHA-256 of the SubjectPublicKeyInfo: what Chromium's SPKI list takes. */
        String spkiSha256Base64() throws Exception {
            return spkiHash(certificate);
        }
    }

    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final KeyPair keys;
    private final X509Certificate root;

    private TestCertificateAuthority(KeyPair keys, X509Certificate root) {
        this.keys = keys;
        this.root = root;
    }

    static TestCertificateAuthority create() throws Exception {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=adam-sfu test CA");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate root = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new TestCertificateAuthority(keys, root);
    }

    /** A server certificate for {@code names} (addresses become IP names, the rest DNS names). */
    Issued issue(String... names) throws Exception {
        KeyPair leafKeys = ecKeys();
        List<GeneralName> alternatives = new ArrayList<>();
        for (String name : names) {
            boolean address = name.contains(":") || name.matches("[0-9.]+");
            alternatives.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName,
                    address ? InetAddress.getByName(name).getHostAddress() : name));
        }
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(root, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new javax.security.auth.x500.X500Principal("CN=" + names[0]), leafKeys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(alternatives.toArray(new GeneralName[0])));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        return new Issued(certificate, leafKeys);
    }

    /** Trusts this CA and nothing else (not even the JDK's own roots). */
    SSLContext sslContext() throws Exception {
        return trusting(root);
    }

    static SSLContext trusting(X509Certificate anchor) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("anchor", anchor);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** The first certificate of a PEM file. */
    static X509Certificate readCertificate(Path file) throws Exception {
        try (PEMParser pem = new PEMParser(new StringReader(Files.readString(file)))) {
            Object item = pem.readObject();
            if (!(item instanceof X509CertificateHolder holder)) {
                throw new IllegalStateException(file + " holds no certificate yet");
            }
            return new JcaX509CertificateConverter().getCertificate(holder);
        }
    }

    static String spkiHash(X509Certificate certificate) throws Exception {
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
    }

    /** SHA-256 of the DER, as colon-separated upper-case hex pairs. */
    static String fingerprint(X509Certificate certificate) throws Exception {
        return HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static void replace(Path file, String text) throws Exception {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.writeString(next, text);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String pem(Object object) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof org.bouncycastle.util.io.pem.PemObjectGenerator generator) {
                writer.writeObject(generator);
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }
}
