package org.adam.sfu.webrtc.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The node's DTLS identity: an ECDSA P-256 key and a self-signed SHA256withECDSA certificate,
 * whose sha-256 fingerprint goes into every SDP the node writes (RFC 8122). Immutable and shared
 * by all transports, as JVB shares one per bridge.
 */
public final class DtlsCertificate {

    private static final Duration VALIDITY = Duration.ofDays(30);

    private final byte[] encoded;
    private final AsymmetricKeyParameter privateKey;
    private final String fingerprintSha256;

    private DtlsCertificate(byte[] encoded, AsymmetricKeyParameter privateKey) {
        this.encoded = encoded;
        this.privateKey = privateKey;
        this.fingerprintSha256 = fingerprintSha256(encoded);
    }

    public static DtlsCertificate generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=adam-sfu");
            Instant now = Instant.now();
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)), name, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return new DtlsCertificate(holder.getEncoded(), PrivateKeyFactory.createKey(keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create the DTLS certificate", e);
        }
    }

    /** DER of the certificate. */
    public byte[] encoded() {
        return encoded.clone();
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    /** The fingerprint as SDP writes it: upper-case hex pairs joined by colons. */
    public String fingerprintSha256() {
        return fingerprintSha256;
    }

    public static String fingerprintSha256(byte[] der) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Compares fingerprints as SDP writes them, case-insensitively and in constant time. */
    public static boolean fingerprintsMatch(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.trim().toUpperCase(Locale.ROOT).getBytes(),
                b.trim().toUpperCase(Locale.ROOT).getBytes());
    }
}
