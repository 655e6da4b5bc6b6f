package org.adam.sfu.room.media;

import org.adam.sfu.webrtc.transport.MediaServer;

/**
 * The node's data plane as participants see it: the media socket, and the broker that pipes in
 * tracks published on other nodes.
 */
public record MediaServices(MediaServer server, String nodeId, RemoteTrackBroker remoteTracks) {
}
