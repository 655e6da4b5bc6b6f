package org.adam.sfu.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Who may use the operator's endpoints (/admin, operator GraphQL mutations): anyone reaching a
 * node bound to loopback when no token is configured; otherwise only requests carrying
 * `Authorization: Bearer <sfu.admin-token>`. A node off loopback without a token refuses all.
 */
final class OperatorAccess {

    private final byte[] token;
    private final boolean openOnLoopback;

    OperatorAccess(String token, String httpHost) {
        this.token = token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.openOnLoopback = token.isEmpty() && NodeConfig.isLoopback(httpHost);
    }

    boolean allows(HttpRequest request) {
        return openOnLoopback || allowsAuthorization(request.headers().get(HttpHeaderNames.AUTHORIZATION));
    }

    /** An `authorization` value (HTTP header, or graphql-transport-ws `connection_init` payload). */
    boolean allowsAuthorization(String header) {
        // Constant-time comparison: the token must not leak through response timing.
        return token != null && header != null
                && MessageDigest.isEqual(token, header.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether everyone reaching this node is the operator (loopback, no token configured). */
    boolean openWithoutToken() {
        return openOnLoopback;
    }
}
