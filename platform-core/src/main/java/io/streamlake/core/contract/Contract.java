package io.streamlake.core.contract;

import org.apache.avro.Schema;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event type, declared once: an Avro schema whose {@code "streamlake"} properties (on the record and on its fields)
 * carry the validation rules, the message key, the deduplication key and window and the analytics table's layout. The
 * schema registry stores it whole, so the rules travel with the schema; {@link ContractParser} reads it.
 * Spring-free and immutable; {@link #withParameters} and {@link #withDedupWindow} give adjusted copies (the apps'
 * properties override the contract's parameters).
 */
public final class Contract {

    final String subject;
    final int version;
    final Schema schema;
    /** The schema's id in the registry it came from, or 0. */
    int registryId;
    final List<ContractField> fields;
    final Map<String, ContractField> byName;
    ContractField key;
    ContractField eventTime;
    ContractField dedupKey;
    Duration dedupWindow;
    ContractField discriminator;
    Map<String, List<ContractField>> requiredWhen = Map.of();
    List<ContractRule> rules = List.of();
    Map<String, Object> parameters = Map.of();
    Map<String, Object> clickhouse = Map.of();

    Contract(String subject, int version, Schema schema, List<ContractField> fields) {
        this.subject = subject;
        this.version = version;
        this.schema = schema;
        this.fields = List.copyOf(fields);
        Map<String, ContractField> names = new LinkedHashMap<>();
        fields.forEach(f -> names.put(f.name, f));
        this.byName = Collections.unmodifiableMap(names);
    }

    private Contract copy() {
        return copy(fields);
    }

    /** A copy with these fields (one replaced); rules and lists refer to fields by index and name, so they carry over. */
    private Contract copy(List<ContractField> withFields) {
        Contract c = new Contract(subject, version, schema, withFields);
        c.registryId = registryId;
        c.key = key;
        c.eventTime = eventTime;
        c.dedupKey = dedupKey;
        c.dedupWindow = dedupWindow;
        c.discriminator = discriminator;
        c.requiredWhen = requiredWhen;
        c.rules = rules;
        c.parameters = parameters;
        c.clickhouse = clickhouse;
        return c;
    }

    /** The subject it is registered under, e.g. {@code casino-activity}. */
    public String subject() {
        return subject;
    }

    /** Its version in the registry; a file holds version 1. */
    public int version() {
        return version;
    }

    /** Its schema id in the registry it came from, or 0 when it came from a file. */
    public int registryId() {
        return registryId;
    }

    public Schema schema() {
        return schema;
    }

    public List<ContractField> fields() {
        return fields;
    }

    /** The field of that name, or null. */
    public ContractField field(String name) {
        return byName.get(name);
    }

    /** The field whose value is the Kafka message key (partitioning), or null for none. */
    public ContractField key() {
        return key;
    }

    /** The timestamp field checked against now (skew bounds) and used as the record's time, or null. */
    public ContractField eventTime() {
        return eventTime;
    }

    /** The field duplicates are recognized by, or null for no deduplication. */
    public ContractField dedupKey() {
        return dedupKey;
    }

    /** How long a dedup key is remembered. */
    public Duration dedupWindow() {
        return dedupWindow;
    }

    /** The field whose value selects per-value required fields and rules, or null. */
    public ContractField discriminator() {
        return discriminator;
    }

    /** Per discriminator value, the fields that must be present. */
    public Map<String, List<ContractField>> requiredWhen() {
        return requiredWhen;
    }

    public List<ContractRule> rules() {
        return rules;
    }

    /** Named values the rules and enum-parameter fields use (numbers as BigDecimal). */
    public Map<String, Object> parameters() {
        return parameters;
    }

    /** The ClickHouse table layout: engine, order-by, partition-by (may be empty). */
    public Map<String, Object> clickhouse() {
        return clickhouse;
    }

    /**
     * A copy with some parameters replaced or merged: a map parameter merges key by key (raise one game type's
     * multiplier, add a type), any other replaces. Enum fields that take their values from a parameter follow.
     */
    public Contract withParameters(Map<String, ?> overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, Object> merged = new LinkedHashMap<>(parameters);
        overrides.forEach((name, value) -> {
            Object normalized = ContractParser.parameterValue(value);
            if (normalized instanceof Map<?, ?> m && merged.get(name) instanceof Map<?, ?> old) {
                Map<Object, Object> both = new LinkedHashMap<>(old);
                both.putAll(m);
                merged.put(name, Collections.unmodifiableMap(both));
            } else {
                merged.put(name, normalized);
            }
        });
        Contract c = copy();
        c.parameters = Collections.unmodifiableMap(merged);
        return c;
    }

    /** A copy whose event-time field has other skew bounds (a null keeps the contract's). */
    public Contract withEventTimeBounds(java.time.Duration maxPastAge, java.time.Duration maxFutureSkew) {
        if (eventTime == null || (maxPastAge == null && maxFutureSkew == null)) {
            return this;
        }
        ContractField bounded = eventTime.copy();
        ContractParser.setTimeBounds(bounded, maxPastAge, maxFutureSkew);
        List<ContractField> replaced = new java.util.ArrayList<>(fields);
        replaced.set(bounded.index, bounded);
        Contract c = copy(replaced);
        c.eventTime = bounded;
        return c;
    }

    /**
     * A copy whose event-time field has no skew bounds: for loading history (the batch ETL), where age says nothing
     * about validity.
     */
    public Contract withoutEventTimeBounds() {
        if (eventTime == null) {
            return this;
        }
        ContractField unbounded = eventTime.copy();
        unbounded.maxPastAge = null;
        unbounded.maxFutureSkew = null;
        List<ContractField> replaced = new java.util.ArrayList<>(fields);
        replaced.set(unbounded.index, unbounded);
        Contract c = copy(replaced);
        c.eventTime = unbounded;
        return c;
    }

    /** A copy with another dedup window (null keeps the contract's). */
    public Contract withDedupWindow(Duration window) {
        if (window == null) {
            return this;
        }
        Contract c = copy();
        c.dedupWindow = window;
        return c;
    }

    @Override
    public String toString() {
        return subject + (version > 0 ? " v" + version : "") + " " + fields;
    }
}
