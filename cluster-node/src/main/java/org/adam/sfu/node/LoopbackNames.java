package org.adam.sfu.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Host names that can only mean this machine (`localhost`, 127.0.0.0/8, ::1), recognised from
 * the text alone: a name is never looked up, so no request makes the event loop wait on DNS.
 */
final class LoopbackNames {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** @param host a host as in a `Host` header or a URI, IPv6 literals with or without brackets */
    static boolean isLoopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.equals("localhost") || name.equals("localhost.")) {
            return true;
        }
        if (!IPV4.matcher(name).matches() && !name.contains(":")) {
            return false; // a name, not an address literal: it could resolve anywhere
        }
        try {
            return InetAddress.getByName(name).isLoopbackAddress(); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The host part of a `Host` header value (`name`, `name:port`, `[v6]:port`). */
    static String hostOf(String hostHeader) {
        String value = hostHeader.trim();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? value : value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    private LoopbackNames() {
    }
}
