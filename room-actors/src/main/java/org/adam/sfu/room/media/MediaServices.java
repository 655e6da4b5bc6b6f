package org.adam.sfu.room.media;

import org.adam.sfu.webrtc.transport.MediaServer;

/** The node's data plane as participants see it. */
public record MediaServices(MediaServer server) {
}
