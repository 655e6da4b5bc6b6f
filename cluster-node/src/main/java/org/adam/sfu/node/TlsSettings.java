package org.adam.sfu.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import com.typesafe.config.Config;

/**
 * Whether the HTTP port speaks TLS, and with which files (`sfu.http.tls`). With
 * {@link Mode#SELF_SIGNED} the files are the node's own, in its data directory, made at its first
 * start.
 *
 * @param cert           PEM certificate chain, leaf first (null when off)
 * @param key            PEM private key (null when off)
 * @param reloadInterval how often the files are looked at for a change
 */
record TlsSettings(Mode mode, Path cert, Path key, Duration reloadInterval) {

    enum Mode {
        OFF, FILES, SELF_SIGNED
    }

    static final String SELF_SIGNED_CERT = "tls-cert.pem";
    static final String SELF_SIGNED_KEY = "tls-key.pem";

    boolean enabled() {
        return mode != Mode.OFF;
    }

    /**
     * @param nodeDir the node's own directory in the data directory, where a self-signed
     *                certificate is kept
     * @throws IllegalArgumentException for settings that contradict each other
     */
    static TlsSettings from(Config c, Path nodeDir) {
        String modeSetting = c.getString("sfu.http.tls.mode").trim().toLowerCase(Locale.ROOT);
        String cert = c.getString("sfu.http.tls.cert").trim();
        String key = c.getString("sfu.http.tls.key").trim();
        Duration reload = c.getDuration("sfu.http.tls.reload-interval");
        if (reload.isNegative() || reload.isZero()) {
            throw new IllegalArgumentException("sfu.http.tls.reload-interval must be positive");
        }
        boolean files = !cert.isEmpty() || !key.isEmpty();
        if (files && (cert.isEmpty() || key.isEmpty())) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both PEM files");
        }
        Mode mode = switch (modeSetting) {
            case "" -> files ? Mode.FILES : Mode.OFF;
            case "files" -> Mode.FILES;
            case "self-signed" -> Mode.SELF_SIGNED;
            case "off" -> Mode.OFF;
            default -> throw new IllegalArgumentException("--tls takes self-signed, files or off, not '"
                    + modeSetting + "'");
        };
        return switch (mode) {
            case OFF -> {
                if (files) {
                    throw new IllegalArgumentException("--tls off contradicts --tls-cert / --tls-key");
                }
                yield new TlsSettings(Mode.OFF, null, null, reload);
            }
            case FILES -> {
                if (!files) {
                    throw new IllegalArgumentException("--tls files needs --tls-cert and --tls-key");
                }
                yield new TlsSettings(Mode.FILES, Path.of(cert), Path.of(key), reload);
            }
            case SELF_SIGNED -> {
                if (files) {
                    throw new IllegalArgumentException("--tls self-signed makes its own certificate: "
                            + "leave out --tls-cert / --tls-key, or --tls self-signed");
                }
                yield new TlsSettings(Mode.SELF_SIGNED, nodeDir.resolve(SELF_SIGNED_CERT),
                        nodeDir.resolve(SELF_SIGNED_KEY), reload);
            }
        };
    }
}
