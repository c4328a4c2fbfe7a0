package io.streamlake.tasks.etl;

/** A row the cleaners refused: thrown inside a cleaner, caught once per row and turned into a reject. */
public final class Rejection extends RuntimeException {

    private final RejectReason reason;
    private final String field;

    public Rejection(RejectReason reason, String field, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.field = field;
    }

    /** The same refusal from the rules shared with event-validator (CasinoEventRules), under the same reason name. */
    static Rejection of(io.streamlake.core.event.InvalidEventException e) {
        return new Rejection(RejectReason.valueOf(e.reason().name()), e.field(), e.getMessage());
    }

    public RejectReason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
