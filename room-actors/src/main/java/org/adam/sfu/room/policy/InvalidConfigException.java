package org.adam.sfu.room.policy;

/** A neighbourhood's `sfu` block was refused; {@link #field()} names the offending field. */
public final class InvalidConfigException extends Exception {

    private final String field;

    public InvalidConfigException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
