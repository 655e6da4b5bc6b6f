package org.adam.sfu.webrtc.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import io.netty.util.NetUtil;

/**
 * Reads the address out of a peer's ICE candidate attribute (RFC 8839 5.1:
 * {@code candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type> ...},
 * with or without the {@code a=} and {@code candidate:} prefixes).
 */
public final class RemoteCandidates {

    /** Longer than any candidate attribute a browser writes; the signalling layer bounds it too. */
    static final int MAX_LENGTH = 1024;

    private RemoteCandidates() {
    }

    /**
     * The UDP address of an RTP (component 1) candidate, or null for anything else: TCP
     * candidates, other components, mDNS names ({@code .local}) and malformed lines. Never a DNS
     * lookup: only address literals are read.
     */
    public static InetSocketAddress udpAddress(String candidate) {
        if (candidate == null || candidate.length() > MAX_LENGTH) {
            return null;
        }
        String line = candidate.startsWith("a=") ? candidate.substring(2) : candidate;
        if (line.startsWith("candidate:")) {
            line = line.substring("candidate:".length());
        }
        String[] fields = line.trim().split(" ", 8);
        if (fields.length < 7 || !fields[1].equals("1") || !fields[2].equalsIgnoreCase("udp")) {
            return null;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(fields[4]);
        int port;
        try {
            port = Integer.parseInt(fields[5]);
        } catch (NumberFormatException e) {
            return null;
        }
        if (address == null || port < 1 || port > 65535) {
            return null;
        }
        return new InetSocketAddress(address, port);
    }
}
