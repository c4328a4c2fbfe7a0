package io.streamlake.processors.validator;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.contract.ContractField;
import io.streamlake.core.contract.ContractPii;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.contract.RegistryUnavailableException;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

/**
 * Validates and normalizes the records of one event contract; no Spring in here. A record, in JSON or Avro
 * ({@link ContractWire} tells them apart), is accepted as its normalized values written in the output format (JSON
 * fields in the contract's order; strings trimmed and cased as the contract says) with its message key, or rejected
 * with a {@link RejectionReason} and a detail naming the field. Duplicates by the contract's dedup key within its
 * window are rejected as {@link RejectionReason#DUPLICATE_EVENT}.
 */
public final class EventValidator {

    /** The outcome for one record. */
    public sealed interface Result permits Accepted, Rejected {
    }

    /**
     * A valid record: its normalized values (in the contract's field order), the record in the output format, and its
     * message key (the contract's key field as UTF-8 text, or null when the contract names none).
     */
    public record Accepted(Object[] values, byte[] payload, byte[] key) implements Result {
    }

    /** A rejected record: why, in words, and the exception behind it if there was one. */
    public record Rejected(RejectionReason reason, String detail, Throwable cause) implements Result {
    }

    private final Contract contract;
    private final ContractWire wire;
    private final ContractWire.Format output;
    private final ContractChecks checks;
    /** The contract's personal fields, hashed or masked before a record is written out; null when it has none. */
    private final ContractPii pii;
    private final int maxPayloadBytes;
    private final Clock clock;
    private final ContractField dedupKey;
    private final EventIdDeduplicator deduplicator;

    /** A validator of JSON input and output, with no registry (tests, the simplest deployments). */
    public EventValidator(Contract contract, int maxPayloadBytes, int dedupCapacity, Clock clock) {
        this(contract, ContractRepository.at(""), ContractWire.Format.JSON, maxPayloadBytes, dedupCapacity, clock, null);
    }

    /**
     * @param contract        the event type, with the app's overrides applied (parameters, bounds, dedup window)
     * @param writerSchemas   where Avro records' writer schemas are found (the registry, or the files)
     * @param output          the format accepted records are written in
     * @param maxPayloadBytes larger records are refused unparsed
     * @param dedupCapacity   most dedup keys remembered at once (bounds memory whatever the rate)
     * @param piiSalt         the secret personal values are hashed with (needed when the contract hashes a field)
     */
    public EventValidator(Contract contract, ContractRepository writerSchemas, ContractWire.Format output,
                          int maxPayloadBytes, int dedupCapacity, Clock clock, String piiSalt) {
        this.contract = contract;
        this.wire = new ContractWire(contract, writerSchemas);
        wire.checkWritable(output);
        this.output = output;
        this.checks = new ContractChecks(contract, clock);
        ContractPii personal = new ContractPii(contract, piiSalt);
        this.pii = personal.any() ? personal : null;
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

    /** The {@code contentType} header of accepted records. */
    public String outputContentType() {
        return wire.contentType(output);
    }

    /** A JSON record (or Confluent-framed Avro, which needs no header). */
    public Result validate(byte[] payload) {
        return validate(payload, null);
    }

    /**
     * A record with its {@code contentType} header (null if none).
     *
     * @throws RegistryUnavailableException when the record's writer schema is needed and the registry cannot answer:
     *                                      nothing about the record was decided, so it can be retried as it is
     */
    public Result validate(byte[] payload, Object contentType) {
        if (payload == null || payload.length == 0) {
            return new Rejected(RejectionReason.EMPTY_PAYLOAD, "empty record", null);
        }
        if (payload.length > maxPayloadBytes) {
            return new Rejected(RejectionReason.PAYLOAD_TOO_LARGE, payload.length + " bytes, more than the "
                    + maxPayloadBytes + " accepted", null);
        }
        try {
            Object[] values = wire.read(payload, contentType);
            checks.check(values);
            if (deduplicator != null && !deduplicator.firstSeen(dedupId(values[dedupKey.index()]), clock.millis())) {
                return new Rejected(RejectionReason.DUPLICATE_EVENT, dedupKey.name() + " " + values[dedupKey.index()]
                        + " already seen within " + contract.dedupWindow(), null);
            }
            if (pii != null) {
                pii.apply(values); // after every check: what leaves here is safe for analytics
            }
            return new Accepted(values, wire.write(values, output), key(values));
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
