package org.adam.sfu.node;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's bearer token when `sfu.admin-token` is not configured: 256 random bits
 * (base64url), made at the node's first start and kept in `<data-dir>/<node-id>/admin-token`,
 * readable by the owner only. It is printed in the log once, when it is made, so whoever started
 * the node can use it; later starts say only where it is.
 */
final class OperatorToken {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorToken.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private OperatorToken() {
    }

    static String loadOrCreate(Path dataDir, String nodeId) {
        Path file = dataDir.resolve(nodeId).resolve("admin-token");
        try {
            String kept = OwnerOnlyFile.read(file);
            if (kept != null) {
                LOG.info("operator token: the one kept in {} (sfu.admin-token is not set)", file);
                return kept;
            }
            String token = newToken();
            if (!OwnerOnlyFile.create(file, token)) {
                return OwnerOnlyFile.read(file); // another process made it first
            }
            LOG.info("operator token (made now and printed only this once; kept in {}): {}", file, token);
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("operator token at " + file + " is not usable: " + e.getMessage(), e);
        }
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
