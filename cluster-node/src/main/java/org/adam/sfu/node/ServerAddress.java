package org.adam.sfu.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** A configured server's {@code host:port} or {@code [v6]:port}, resolved once at start. */
final class ServerAddress {

    private ServerAddress() {
    }

    /**
     * @param what names the server in the error ("STUN server", "relay server")
     * @throws IllegalArgumentException saying what is wrong with {@code setting}
     */
    static InetSocketAddress parse(String setting, String what) {
        String value = setting.trim();
        int colon = value.lastIndexOf(':');
        if (value.isEmpty() || colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException(what + " must be host:port, got '" + setting + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad " + what + " port in '" + setting + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(what + " " + host + " does not resolve");
        }
    }
}
