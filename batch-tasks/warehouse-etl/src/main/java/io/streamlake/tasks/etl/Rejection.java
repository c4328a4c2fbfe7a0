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

    /**
     * The same refusal from the casino contract's checks event-validator applies, under the same reason name (the
     * contract's UNKNOWN_CURRENCY is the warehouse's long-standing invalid_currency).
     */
    static Rejection of(io.streamlake.core.event.InvalidEventException e) {
        String name = e.reason().name();
        if (name.equals("UNKNOWN_CURRENCY")) {
            return new Rejection(RejectReason.INVALID_CURRENCY, e.field(), e.getMessage());
        }
        try {
            return new Rejection(RejectReason.valueOf(name), e.field(), e.getMessage());
        } catch (IllegalArgumentException notAWarehouseReason) {
            return new Rejection(RejectReason.RULE_VIOLATED, e.field(), name + ": " + e.getMessage());
        }
    }

    public RejectReason reason() {
        return reason;
    }

    public String field() {
        return field;
    }
}
