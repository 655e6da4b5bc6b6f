package org.adam.sfu.node;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key, read from PEM files: the chain leaf first, the key
 * as PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`). The key must
 * be the leaf's: a pair caught half-replaced is refused rather than served.
 */
record TlsCredentials(List<X509Certificate> chain, PrivateKey key) {

    /** Certificate chains and keys are a few KiB; a larger file is not read. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    /** Why a pair of files cannot be served. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message);
        }

        Unusable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    TlsCredentials {
        chain = List.copyOf(chain);
    }

    static TlsCredentials read(Path certFile, Path keyFile) throws Unusable {
        List<X509Certificate> chain = readChain(certFile);
        PrivateKey key = readKey(keyFile);
        if (!belongTogether(key, chain.get(0))) {
            throw new Unusable("the key in " + keyFile + " is not the key of the certificate in " + certFile);
        }
        return new TlsCredentials(chain, key);
    }

    X509Certificate leaf() {
        return chain.get(0);
    }

    /** SHA-256 of the leaf certificate's DER, as colon-separated upper-case hex pairs. */
    String fingerprintSha256() {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 and DER encoding are part of every JDK", e);
        }
    }

    /**
     * Base64 of the SHA-256 of the leaf's SubjectPublicKeyInfo: what HPKP pins and Chromium's
     * `--ignore-certificate-errors-spki-list` take, and what survives a renewal with the same key.
     */
    String spkiSha256Base64() {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(leaf().getPublicKey().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static List<X509Certificate> readChain(Path file) throws Unusable {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser pem = new PEMParser(new StringReader(readBounded(file)))) {
            Object item;
            while ((item = pem.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new Unusable(file + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new Unusable(file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) throws Unusable {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser pem = new PEMParser(new StringReader(readBounded(file)))) {
            Object item;
            while ((item = pem.readObject()) != null) {
                if (item instanceof PrivateKeyInfo pkcs8) {
                    return converter.getPrivateKey(pkcs8);
                }
                if (item instanceof PEMKeyPair pair) {
                    // The private part only: a SEC1 key may leave its public key out.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PKCS8EncryptedPrivateKeyInfo || item instanceof PEMEncryptedKeyPair) {
                    throw new Unusable(file + " holds an encrypted key: the node reads keys without a passphrase"
                            + " (openssl pkey -in KEY -out PLAIN)");
                }
                // anything else (EC PARAMETERS before an EC key, a certificate) is passed over
            }
        } catch (IOException | RuntimeException e) {
            throw new Unusable(file + " is not a PEM private key: " + e.getMessage(), e);
        }
        throw new Unusable(file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private static String readBounded(Path file) throws Unusable {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new Unusable(file + " is " + size + " bytes; PEM files of over " + MAX_FILE_BYTES
                        + " bytes are not read");
            }
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new Unusable(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Signs with the key and checks with the certificate: works for every key type the JDK has. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) throws Unusable {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new Unusable("keys of type " + key.getAlgorithm() + " are not supported");
        };
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }
}
