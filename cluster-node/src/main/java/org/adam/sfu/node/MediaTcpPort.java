package org.adam.sfu.node;

import org.adam.sfu.webrtc.transport.IceTcpSettings;

/**
 * Reads `sfu.media.tcp-port` (`--media-tcp-port`): empty for the media port's own number (the
 * same number on TCP is what firewall rules and operators expect), a port, 0 for any free port,
 * or "off".
 */
final class MediaTcpPort {

    static IceTcpSettings settings(String value, int mediaPort) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            return IceTcpSettings.onPort(mediaPort);
        }
        if (trimmed.equalsIgnoreCase("off") || trimmed.equalsIgnoreCase("false")) {
            return IceTcpSettings.OFF;
        }
        int port;
        try {
            port = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sfu.media.tcp-port must be a port, 0 or off, not '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sfu.media.tcp-port " + port + " is not a port (0-65535, or off)");
        }
        return IceTcpSettings.onPort(port);
    }

    private MediaTcpPort() {
    }
}
