package io.streamlake.processors.validator;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.contract.ContractField;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

/**
 * Validates and normalizes the records of one event contract; no Spring in here. A record is accepted as its
 * normalized values and JSON (fields in the contract's order; strings trimmed and cased as the contract says) with
 * its message key, or rejected with a {@link RejectionReason} and a detail naming the field. Duplicates by the
 * contract's dedup key within its window are rejected as {@link RejectionReason#DUPLICATE_EVENT}.
 */
public final class EventValidator {

    /** The outcome for one record. */
    public sealed interface Result permits Accepted, Rejected {
    }

    /**
     * A valid record: its normalized values (in the contract's field order), its JSON, and its message key (the
     * contract's key field as UTF-8 text, or null when the contract names none).
     */
    public record Accepted(Object[] values, byte[] json, byte[] key) implements Result {
    }

    /** A rejected record: why, in words, and the exception behind it if there was one. */
    public record Rejected(RejectionReason reason, String detail, Throwable cause) implements Result {
    }

    private final Contract contract;
    private final ContractJson json;
    private final ContractChecks checks;
    private final int maxPayloadBytes;
    private final Clock clock;
    private final ContractField dedupKey;
    private final EventIdDeduplicator deduplicator;

    /**
     * @param contract        the event type, with the app's overrides applied (parameters, bounds, dedup window)
     * @param maxPayloadBytes larger records are refused unparsed
     * @param dedupCapacity   most dedup keys remembered at once (bounds memory whatever the rate)
     */
    public EventValidator(Contract contract, int maxPayloadBytes, int dedupCapacity, Clock clock) {
        this.contract = contract;
        this.json = new ContractJson(contract);
        this.checks = new ContractChecks(contract, clock);
        this.maxPayloadBytes = maxPayloadBytes;
        this.clock = clock;
        this.dedupKey = contract.dedupKey();
        this.deduplicator = dedupKey == null ? null
                : new EventIdDeduplicator(contract.dedupWindow().toMillis(), dedupCapacity);
    }

    public Contract contract() {
        return contract;
    }

    /** Most dedup keys remembered at once (0 when the contract has no dedup key). */
    public int dedupCapacity() {
        return deduplicator == null ? 0 : deduplicator.capacity();
    }

    /** Event ids the deduplicator forgot before their window ended (its capacity was too small for the rate). */
    public long dedupEarlyEvictions() {
        return deduplicator == null ? 0 : deduplicator.earlyEvictions();
    }

    /** How long the last id forgotten early had been remembered, in milliseconds, or -1 if none was. */
    public long dedupEffectiveWindowMillis() {
        return deduplicator == null ? -1 : deduplicator.lastEarlyEvictionAgeMillis();
    }

    public Result validate(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return new Rejected(RejectionReason.EMPTY_PAYLOAD, "empty record", null);
        }
        if (payload.length > maxPayloadBytes) {
            return new Rejected(RejectionReason.PAYLOAD_TOO_LARGE, payload.length + " bytes, more than the "
                    + maxPayloadBytes + " accepted", null);
        }
        try {
            Object[] values = json.read(payload);
            checks.check(values);
            if (deduplicator != null && !deduplicator.firstSeen(dedupId(values[dedupKey.index()]), clock.millis())) {
                return new Rejected(RejectionReason.DUPLICATE_EVENT, dedupKey.name() + " " + values[dedupKey.index()]
                        + " already seen within " + contract.dedupWindow(), null);
            }
            return new Accepted(values, json.write(values), key(values));
        } catch (InvalidEventException e) {
            return new Rejected(e.reason(), e.getMessage(), e);
        }
    }

    /** A UUID key is its own id; any other is hashed to one (128 bits: collisions are not a practical concern). */
    private static UUID dedupId(Object value) {
        return value instanceof UUID id ? id : UUID.nameUUIDFromBytes(text(value).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] key(Object[] values) {
        ContractField key = contract.key();
        Object value = key == null ? null : values[key.index()];
        return value == null ? null : text(value).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Object value) {
        return value instanceof BigDecimal d ? d.toPlainString() : value.toString();
    }
}
