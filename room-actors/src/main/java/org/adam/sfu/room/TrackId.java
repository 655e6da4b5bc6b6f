package org.adam.sfu.room;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A published track's id, assigned by the node that receives the publication. */
public record TrackId(@JsonValue String value) {

    private static final SecureRandom RANDOM = new SecureRandom();

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public TrackId {
        Objects.requireNonNull(value, "value");
    }

    public static TrackId random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return new TrackId("t-" + HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
