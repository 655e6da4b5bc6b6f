package org.adam.sfu.node;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate of `--tls self-signed`, for a node on a LAN that no public CA can vouch for: an
 * ECDSA P-256 key and a certificate naming the node's addresses, kept owner-only in the data
 * directory and used again at every start, so the fingerprint people were told stays true. A new
 * pair is made only when there is none, when it no longer loads, when it is about to expire, or
 * when it does not name an address the node now serves.
 */
final class SelfSignedTls {

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedTls.class);
    /** Under the 398 days browsers accept from public CAs, so the same certificate works everywhere. */
    private static final Duration VALIDITY = Duration.ofDays(397);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private SelfSignedTls() {
    }

    /**
     * @param names the host names and addresses the certificate must name
     * @return whether a new pair was made
     */
    static boolean ensure(Path certFile, Path keyFile, Collection<String> names) {
        Set<String> wanted = subjectAltNames(names);
        if (Files.exists(certFile) || Files.exists(keyFile)) {
            String stale = staleness(certFile, keyFile, wanted);
            if (stale == null) {
                return false;
            }
            LOG.warn("making a new self-signed TLS certificate (its fingerprint changes): {}", stale);
        }
        try {
            Files.deleteIfExists(certFile);
            Files.deleteIfExists(keyFile);
            KeyPair keys = newKeyPair();
            X509Certificate certificate = certify(keys, wanted);
            // The key first: a start interrupted in between finds no certificate and makes both again.
            // PKCS#8, the form every TLS stack reads.
            if (!OwnerOnlyFile.create(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null)).trim())
                    || !OwnerOnlyFile.create(certFile, pem(certificate).trim())) {
                throw new IllegalStateException("another process is writing " + certFile + " at the same time");
            }
            return true;
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a self-signed TLS certificate at " + certFile + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return why the kept pair cannot be used again, or null when it can */
    private static String staleness(Path certFile, Path keyFile, Set<String> wanted) {
        try {
            OwnerOnlyFile.read(keyFile); // makes it owner-only again if someone loosened it
            TlsCredentials kept = TlsCredentials.read(certFile, keyFile);
            X509Certificate leaf = kept.leaf();
            if (leaf.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
                return "the kept one expires on " + leaf.getNotAfter().toInstant();
            }
            Set<String> named = namedIn(leaf);
            if (!named.containsAll(wanted)) {
                Set<String> missing = new LinkedHashSet<>(wanted);
                missing.removeAll(named);
                return "the kept one does not name " + missing;
            }
            return null;
        } catch (TlsCredentials.Unusable | IOException | CertificateParsingException e) {
            return "the kept one does not load: " + e.getMessage();
        }
    }

    /** Names as the certificate carries them: `dns:` or `ip:` and a normalised value. */
    private static Set<String> subjectAltNames(Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            String host = name.trim();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            if (host.isEmpty() || isWildcard(host)) {
                continue; // 0.0.0.0 or :: is no name a client uses
            }
            out.add(isAddressLiteral(host) ? "ip:" + normalisedAddress(host) : "dns:" + host.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private static Set<String> namedIn(X509Certificate certificate) throws CertificateParsingException {
        Set<String> out = new LinkedHashSet<>();
        Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
        if (alternatives == null) {
            return out;
        }
        for (List<?> entry : alternatives) {
            int type = (Integer) entry.get(0);
            String value = entry.get(1).toString();
            if (type == GeneralName.dNSName) {
                out.add("dns:" + value.toLowerCase(Locale.ROOT));
            } else if (type == GeneralName.iPAddress) {
                out.add("ip:" + normalisedAddress(value));
            }
        }
        return out;
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    private static X509Certificate certify(KeyPair keys, Set<String> names)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        List<GeneralName> alternatives = new ArrayList<>();
        for (String name : names) {
            if (name.startsWith("dns:")) {
                alternatives.add(new GeneralName(GeneralName.dNSName, name.substring(4)));
            } else {
                alternatives.add(new GeneralName(GeneralName.iPAddress, name.substring(3)));
            }
        }
        X500Name subject = new X500Name("CN=adam-sfu self-signed");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(alternatives.toArray(new GeneralName[0])));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PemObjectGenerator generator) {
                writer.writeObject(generator);
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static boolean isWildcard(String host) {
        return isAddressLiteral(host) && address(host).isAnyLocalAddress();
    }

    private static String normalisedAddress(String literal) {
        return address(literal).getHostAddress();
    }

    /** Parses an address literal; never a DNS lookup (callers pass literals only). */
    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + literal, e);
        }
    }
}
