package org.adam.sfu.node;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The web origins whose pages may open the node's WebSockets and send it state-changing requests
 * (`sfu.http.allowed-origins`): always the node's own (its HTTP host on the port the request came
 * in on, under the loopback names too when it listens on loopback or on every address, only
 * https when the port speaks TLS, and the origin of its public signal URL), the origins of the
 * other nodes of its cluster (their pages are redirected here on `node-full` and drain), plus those configured; `*` allows every origin. A request
 * without an `Origin` header does not come from a page and is not judged here.
 */
final class AllowedOrigins {

    /** A web origin, as browsers send it: scheme, host and port (the scheme's default if left out). */
    record Origin(String scheme, String host, int port) {

        /** @return null when {@code text} is not a scheme://host[:port] origin (e.g. the opaque `null`) */
        static Origin parse(String text) {
            try {
                URI uri = new URI(text.trim());
                String scheme = uri.getScheme();
                String host = uri.getHost();
                boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                        && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
                if (scheme == null || host == null || !bare) {
                    return null;
                }
                scheme = scheme.toLowerCase(Locale.ROOT);
                int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
                return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
            } catch (URISyntaxException e) {
                return null;
            }
        }

        private static int defaultPort(String scheme) {
            return switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                default -> -1;
            };
        }

        boolean isWeb() {
            return scheme.equals("http") || scheme.equals("https");
        }
    }

    private final boolean any;
    /** The HTTP host as an origin host (IPv6 in brackets); null when it listens on every address. */
    private final String ownHost;
    private final boolean loopbackNames;
    /** The port speaks TLS: a page of the node's own can only be https. */
    private final boolean httpsOnly;
    private final Set<Origin> others;
    /** The other cluster nodes' public /signal URLs, as their announcements last said. */
    private volatile Supplier<Set<String>> clusterSignalUrls = Set::of;

    private AllowedOrigins(boolean any, String ownHost, boolean loopbackNames, boolean httpsOnly, Set<Origin> others) {
        this.any = any;
        this.ownHost = ownHost;
        this.loopbackNames = loopbackNames;
        this.httpsOnly = httpsOnly;
        this.others = Set.copyOf(others);
    }

    /**
     * @param signalUrl  the node's public /signal URL (ws:// or wss://); its page origin is allowed
     * @param configured `sfu.http.allowed-origins`
     * @throws IllegalArgumentException for an entry that is not an origin
     */
    static AllowedOrigins forNode(String httpHost, String signalUrl, List<String> configured) {
        return forNode(httpHost, false, signalUrl, configured);
    }

    /** @param tls whether the HTTP port speaks TLS (then its own pages are https only) */
    static AllowedOrigins forNode(String httpHost, boolean tls, String signalUrl, List<String> configured) {
        boolean any = false;
        Set<Origin> others = new HashSet<>();
        for (String entry : configured) {
            if (entry.trim().equals("*")) {
                any = true;
                continue;
            }
            Origin origin = Origin.parse(entry);
            if (origin == null || origin.port() < 0) {
                throw new IllegalArgumentException("sfu.http.allowed-origins: '" + entry
                        + "' is not an origin (scheme://host[:port], or *)");
            }
            others.add(origin);
        }
        Origin signal = signalOrigin(signalUrl);
        if (signal != null) {
            others.add(signal);
        }
        boolean wildcard = isWildcard(httpHost);
        String ownHost = wildcard ? null
                : (httpHost.contains(":") ? "[" + httpHost + "]" : httpHost).toLowerCase(Locale.ROOT);
        return new AllowedOrigins(any, ownHost, wildcard || NodeConfig.isLoopback(httpHost), tls, others);
    }

    /** The page origin of a ws:// or wss:// URL (https for wss), or null. */
    private static Origin signalOrigin(String signalUrl) {
        try {
            URI uri = new URI(signalUrl);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().equalsIgnoreCase("wss") || uri.getScheme().equalsIgnoreCase("https")
                    ? "https" : "http";
            int port = uri.getPort() >= 0 ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
            return new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** Allows pages served by the other nodes of the cluster, whose URLs {@code signalUrls} gives. */
    void acceptClusterNodes(Supplier<Set<String>> signalUrls) {
        clusterSignalUrls = signalUrls;
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.getByName(host).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * @param origin    the request's `Origin` header
     * @param localPort the node's port the request came in on
     */
    boolean allows(String origin, int localPort) {
        if (any) {
            return true;
        }
        Origin parsed = Origin.parse(origin);
        if (parsed == null) {
            return false;
        }
        if (others.contains(parsed)) {
            return true;
        }
        for (String signalUrl : clusterSignalUrls.get()) {
            if (parsed.equals(signalOrigin(signalUrl))) {
                return true;
            }
        }
        return parsed.isWeb() && (!httpsOnly || parsed.scheme().equals("https")) && parsed.port() == localPort
                && (parsed.host().equals(ownHost) || loopbackNames && LoopbackNames.isLoopback(parsed.host()));
    }
}
