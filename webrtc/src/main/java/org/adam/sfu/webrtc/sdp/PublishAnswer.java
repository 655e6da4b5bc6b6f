package org.adam.sfu.webrtc.sdp;

import java.util.List;

/** The node's answer to a publish offer and what it accepted. */
public record PublishAnswer(String sdp, RemoteTransportParams remote, List<PublishedMedia> media) {
}
