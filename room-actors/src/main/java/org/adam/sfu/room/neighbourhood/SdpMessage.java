package org.adam.sfu.room.neighbourhood;

import org.adam.sfu.room.CborSerializable;

/** `{"type":"offer"|"answer","sdp":"..."}` as the neighbourhood messages carry a description. */
public record SdpMessage(String type, String sdp) implements CborSerializable {
}
