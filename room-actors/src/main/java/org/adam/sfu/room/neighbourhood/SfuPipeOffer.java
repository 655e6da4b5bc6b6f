package org.adam.sfu.room.neighbourhood;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.adam.sfu.room.CborSerializable;

/** protocol.md `sfu-pipe-offer`: a node asks another for a pipe in one room. */
public record SfuPipeOffer(@JsonProperty("from_did") String fromDid, @JsonProperty("to_did") String toDid,
                           @JsonProperty("room_id") String roomId, @JsonProperty("sdp_offer") SdpMessage sdpOffer)
        implements CborSerializable {

    @JsonProperty("type")
    public String type() {
        return "sfu-pipe-offer";
    }
}
