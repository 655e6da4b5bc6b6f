package org.adam.sfu.room;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A participant's id within the cluster, as the protocol shows it (`p-7f3a9c...`). */
public record ParticipantId(@JsonValue String value) {

    private static final SecureRandom RANDOM = new SecureRandom();

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public ParticipantId {
        Objects.requireNonNull(value, "value");
    }

    public static ParticipantId random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return new ParticipantId("p-" + HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return value;
    }
}
