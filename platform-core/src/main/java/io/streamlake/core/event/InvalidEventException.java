package io.streamlake.core.event;

/** A record that is not a valid event, with the machine-readable reason and the field concerned. */
public class InvalidEventException extends RuntimeException {

    private final RejectionReason reason;
    private final String field;

    public InvalidEventException(RejectionReason reason, String field, String message) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public InvalidEventException(RejectionReason reason, String field, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.field = field;
    }

    public RejectionReason reason() {
        return reason;
    }

    /** The JSON field the problem is about, or null for the record as a whole. */
    public String field() {
        return field;
    }
}
