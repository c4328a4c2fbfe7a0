package io.streamlake.core.contract;

import io.streamlake.common.json.Json;
import io.streamlake.common.time.UtcTimestamps;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The JSON form of a contract's records, values in field order ({@link FieldType} says which Java types).
 * <ul>
 *   <li>Writing: fields in the contract's order, nulls left out; decimals as plain JSON numbers with their exact
 *       scale ({@code 12.50}); timestamps ISO-8601 UTC with milliseconds ({@code 2026-11-23T20:08:00.123Z}).</li>
 *   <li>Reading: unknown fields are ignored (producers may add fields before consumers know them); an absent field
 *       takes its Avro default, else null (whether it is required is {@link ContractChecks}' call). Types are checked,
 *       not coerced: a decimal must be a JSON number (a string "12.5" is {@link RejectionReason#WRONG_TYPE}); a string
 *       field with {@code json-integer-as-string} also takes an integer; a timestamp may be ISO-8601 with an offset or
 *       epoch milliseconds. Duplicate keys and trailing content are malformed JSON.</li>
 * </ul>
 * Reading has two paths with one outcome: {@link JsonRecordScanner} for the common record, and a tree path for
 * everything else, which alone decides what is wrong with a record and says so.
 */
public final class ContractJson {

    private static final JsonFactory FACTORY = Json.factory();
    private static final ObjectMapper MAPPER = Json.mapper();

    private final ContractField[] fields;
    private final JsonRecordScanner scanner;
    private final AsciiRecordWriter asciiWriter;

    public ContractJson(Contract contract) {
        List<ContractField> list = contract.fields();
        this.fields = list.toArray(new ContractField[0]);
        JsonRecordScanner s = new JsonRecordScanner(list);
        this.scanner = s.usable() ? s : null;
        this.asciiWriter = new AsciiRecordWriter(fields);
    }

    /** Parses and type-checks; semantic checks (required fields, ranges, rules) are {@link ContractChecks}'. */
    public Object[] read(byte[] json) {
        Object[] fast = readCommon(json);
        return fast != null ? fast : readTree(json);
    }

    /** The fast path's values, or null when it gives the record to the tree path. */
    Object[] readCommon(byte[] json) {
        return scanner == null ? null : scanner.scan(json);
    }

    Object[] readTree(byte[] json) { // package-private: the equivalence test compares both paths
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException ex) {
            throw new InvalidEventException(RejectionReason.MALFORMED_JSON, null, "not valid JSON: "
                    + firstLine(ex.getMessage()), ex);
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidEventException(RejectionReason.EMPTY_PAYLOAD, null, "no JSON value in the payload");
        }
        if (!root.isObject()) {
            throw new InvalidEventException(RejectionReason.NOT_AN_OBJECT, null, "expected a JSON object, got "
                    + root.getNodeType());
        }
        Object[] values = new Object[fields.length];
        for (ContractField f : fields) {
            JsonNode node = root.get(f.name);
            if (node == null) {
                values[f.index] = f.defaultValue;
            } else if (!node.isNull()) {
                values[f.index] = value(f, node);
            }
        }
        return values;
    }

    private static Object value(ContractField f, JsonNode node) {
        String name = f.name;
        switch (f.type) {
            case STRING:
                if (node.isTextual()) {
                    return node.textValue();
                }
                if (f.jsonIntegerAsString && node.isIntegralNumber() && node.canConvertToLong()) {
                    return Long.toString(node.longValue());
                }
                throw wrongType(name, f.jsonIntegerAsString ? "a string or an integer" : "a string", node);
            case UUID:
                if (!node.isTextual()) {
                    throw wrongType(name, "a string", node);
                }
                return uuid(node.textValue(), name);
            case TIMESTAMP_MILLIS:
                if (node.isIntegralNumber() && node.canConvertToLong()) {
                    return Instant.ofEpochMilli(node.longValue());
                }
                if (!node.isTextual()) {
                    throw wrongType(name, "an ISO-8601 timestamp or epoch milliseconds", node);
                }
                try {
                    return OffsetDateTime.parse(node.textValue().strip()).toInstant();
                } catch (DateTimeParseException ex) {
                    throw new InvalidEventException(RejectionReason.WRONG_TYPE, name, name
                            + " is not an ISO-8601 timestamp with an offset: '" + abbreviate(node.textValue()) + "'", ex);
                }
            case DECIMAL:
                if (!node.isNumber()) {
                    throw wrongType(name, "a JSON number", node);
                }
                return node.decimalValue();
            case INT:
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw wrongType(name, "an integer", node);
                }
                return node.intValue();
            case LONG:
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw wrongType(name, "an integer", node);
                }
                return node.longValue();
            case DOUBLE:
                if (!node.isNumber()) {
                    throw wrongType(name, "a JSON number", node);
                }
                return node.doubleValue();
            default:
                if (!node.isBoolean()) {
                    throw wrongType(name, "true or false", node);
                }
                return node.booleanValue();
        }
    }

    /** The record as JSON: the same bytes whichever writer writes them. */
    public byte[] write(Object[] values) {
        byte[] ascii = asciiWriter.write(values);
        return ascii != null ? ascii : writeWithGenerator(values);
    }

    /** The general writer: any text, any character. {@link AsciiRecordWriter} writes the same bytes faster for ASCII text. */
    byte[] writeWithGenerator(Object[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            g.writeStartObject();
            for (ContractField f : fields) {
                Object v = values[f.index];
                if (v == null) {
                    continue;
                }
                g.writeFieldName(f.name);
                switch (f.type) {
                    case DECIMAL -> g.writeNumber((BigDecimal) v);
                    case INT -> g.writeNumber((Integer) v);
                    case LONG -> g.writeNumber((Long) v);
                    case DOUBLE -> g.writeNumber((Double) v);
                    case BOOLEAN -> g.writeBoolean((Boolean) v);
                    case TIMESTAMP_MILLIS -> g.writeString(UtcTimestamps.millis((Instant) v));
                    default -> g.writeString(v.toString());
                }
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static UUID uuid(String value, String name) {
        String trimmed = value.strip();
        if (trimmed.length() != 36) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, name, name + " is not a UUID: '" + abbreviate(value) + "'");
        }
        try {
            return UUID.fromString(trimmed);
        } catch (IllegalArgumentException ex) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, name, name + " is not a UUID: '" + abbreviate(value) + "'", ex);
        }
    }

    private static InvalidEventException wrongType(String name, String expected, JsonNode node) {
        return new InvalidEventException(RejectionReason.WRONG_TYPE, name, name + " must be " + expected + ", got "
                + node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + abbreviate(node.toString()));
    }

    static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
