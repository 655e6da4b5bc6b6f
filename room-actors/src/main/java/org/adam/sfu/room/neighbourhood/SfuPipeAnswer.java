package org.adam.sfu.room.neighbourhood;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.adam.sfu.room.CborSerializable;

/** protocol.md `sfu-pipe-answer`. */
public record SfuPipeAnswer(@JsonProperty("from_did") String fromDid, @JsonProperty("to_did") String toDid,
                            @JsonProperty("room_id") String roomId, @JsonProperty("sdp_answer") SdpMessage sdpAnswer)
        implements CborSerializable {

    @JsonProperty("type")
    public String type() {
        return "sfu-pipe-answer";
    }
}
