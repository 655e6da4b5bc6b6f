package org.adam.sfu.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Who may use the operator's endpoints (/admin, operator GraphQL mutations, /bridge): requests
 * carrying `Authorization: Bearer <token>` (the configured `sfu.admin-token`, else the token the
 * node generated, see {@link OperatorToken}); and, on a node bound to loopback without a
 * configured token, requests that come from no web page: no `Origin` header (browsers send one on
 * every cross-site request and every WebSocket) and a `Host` that names the loopback (a page
 * reaching the node through a rebound DNS name sends its own name).
 */
final class OperatorAccess {

    private final byte[] bearer;
    private final boolean loopbackWithoutToken;

    /**
     * @param token                the operator's token, never empty
     * @param loopbackWithoutToken whether loopback clients that are not web pages need no token
     */
    OperatorAccess(String token, boolean loopbackWithoutToken) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the operator token must not be empty");
        }
        this.bearer = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.loopbackWithoutToken = loopbackWithoutToken;
    }

    /** Whether a request (or a WebSocket upgrade) with these headers is the operator's. */
    boolean allows(HttpHeaders headers) {
        return allowsWithoutToken(headers) || allowsAuthorization(headers.get(HttpHeaderNames.AUTHORIZATION));
    }

    /** Whether these headers make the operator without any token: a loopback client that is not a page. */
    boolean allowsWithoutToken(HttpHeaders headers) {
        if (!loopbackWithoutToken || headers.contains(HttpHeaderNames.ORIGIN)) {
            return false;
        }
        String host = headers.get(HttpHeaderNames.HOST);
        return host == null || LoopbackNames.isLoopback(LoopbackNames.hostOf(host));
    }

    /** An `authorization` value (HTTP header, or graphql-transport-ws `connection_init` payload). */
    boolean allowsAuthorization(String header) {
        // Constant-time comparison: the token must not leak through response timing.
        return header != null && MessageDigest.isEqual(bearer, header.getBytes(StandardCharsets.UTF_8));
    }
}
