package io.streamlake.core.event;

import io.streamlake.common.json.Json;
import io.streamlake.common.time.UtcTimestamps;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * The JSON form of {@link CasinoEvent}, shared by every app so they all read and write the same bytes.
 * <ul>
 *   <li>Field names are snake_case: {@code event_id, customer_id, activity_datetime, game_activity, game_id,
 *       game_type, bet_amount, win_amount, bonus_amount, transaction_amount, currency, schema_version}.</li>
 *   <li>Writing: null fields are left out; amounts are plain JSON numbers with their exact scale
 *       ({@code 12.50}); {@code activity_datetime} is ISO-8601 UTC with milliseconds
 *       ({@code 2026-11-23T20:08:00.123Z}).</li>
 *   <li>Reading: unknown fields are ignored, so producers may add fields before consumers know them;
 *       a missing or null field reads as null (whether it is required is the validator's call), except
 *       {@code schema_version}, which defaults to 1. Types are checked, not coerced: an amount must be a
 *       JSON number (a string "12.5" is {@link RejectionReason#WRONG_TYPE}); {@code customer_id} may be a
 *       string or an integer; {@code activity_datetime} may be ISO-8601 with an offset or epoch
 *       milliseconds. Duplicate keys and trailing content are malformed JSON.</li>
 * </ul>
 * Reading has two paths with one outcome: a byte scanner for the common record ({@link CommonEventScanner}: an
 * object with only known fields of the expected types, ASCII text, a timestamp in the written form), and the tree
 * path above for everything else, which alone decides what is wrong with a record and says so.
 */
public final class CasinoEventJson {

    private static final JsonFactory FACTORY = Json.factory();
    private static final ObjectMapper MAPPER = Json.mapper();

    private CasinoEventJson() {
    }

    public static byte[] write(CasinoEvent e) {
        byte[] ascii = AsciiEventWriter.write(e);
        return ascii != null ? ascii : writeWithGenerator(e);
    }

    /** The general writer: any text, any character. {@link AsciiEventWriter} writes the same bytes faster for ASCII text. */
    static byte[] writeWithGenerator(CasinoEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(320);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
            g.writeStartObject();
            field(g, "event_id", e.eventId() == null ? null : e.eventId().toString());
            field(g, "customer_id", e.customerId());
            field(g, "activity_datetime", e.activityDatetime() == null ? null : UtcTimestamps.millis(e.activityDatetime()));
            field(g, "game_activity", e.gameActivity());
            field(g, "game_id", e.gameId());
            field(g, "game_type", e.gameType());
            amount(g, "bet_amount", e.betAmount());
            amount(g, "win_amount", e.winAmount());
            amount(g, "bonus_amount", e.bonusAmount());
            amount(g, "transaction_amount", e.transactionAmount());
            field(g, "currency", e.currency());
            g.writeNumberField("schema_version", e.schemaVersion());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** Parses and type-checks; semantic checks (required fields, ranges) are the validator's. */
    public static CasinoEvent read(byte[] json) {
        CasinoEvent fast = readCommon(json);
        return fast != null ? fast : readTree(json);
    }

    /**
     * The fast path: the event, or null when the record is anything but the common case (then the tree path
     * reads it and names what is wrong). It accepts exactly what the tree path accepts, to the same values.
     */
    static CasinoEvent readCommon(byte[] json) {
        return CommonEventScanner.scan(json);
    }

    static CasinoEvent readTree(byte[] json) { // package-private: the equivalence test compares both paths
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
        return new CasinoEvent(
                uuid(root, "event_id"),
                customerId(root),
                instant(root, "activity_datetime"),
                text(root, "game_activity"),
                text(root, "game_id"),
                text(root, "game_type"),
                decimal(root, "bet_amount"),
                decimal(root, "win_amount"),
                decimal(root, "bonus_amount"),
                decimal(root, "transaction_amount"),
                text(root, "currency"),
                schemaVersion(root));
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void amount(JsonGenerator g, String name, BigDecimal value) throws IOException {
        if (value != null) {
            g.writeFieldName(name);
            g.writeNumber(value);
        }
    }

    private static JsonNode present(JsonNode root, String name) {
        JsonNode node = root.get(name);
        return node == null || node.isNull() ? null : node;
    }

    private static String text(JsonNode root, String name) {
        JsonNode node = present(root, name);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(name, "a string", node);
        }
        return node.textValue();
    }

    private static String customerId(JsonNode root) {
        JsonNode node = present(root, "customer_id");
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Long.toString(node.longValue());
        }
        throw wrongType("customer_id", "a string or an integer", node);
    }

    private static UUID uuid(JsonNode root, String name) {
        String value = text(root, name);
        return value == null ? null : uuid(value, name);
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

    private static Instant instant(JsonNode root, String name) {
        JsonNode node = present(root, name);
        if (node == null) {
            return null;
        }
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
    }

    private static BigDecimal decimal(JsonNode root, String name) {
        JsonNode node = present(root, name);
        if (node == null) {
            return null;
        }
        if (!node.isNumber()) {
            throw wrongType(name, "a JSON number", node);
        }
        return node.decimalValue();
    }

    private static int schemaVersion(JsonNode root) {
        JsonNode node = present(root, "schema_version");
        if (node == null) {
            return CasinoEvent.CURRENT_SCHEMA_VERSION;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw wrongType("schema_version", "an integer", node);
        }
        return node.intValue();
    }

    private static InvalidEventException wrongType(String name, String expected, JsonNode node) {
        return new InvalidEventException(RejectionReason.WRONG_TYPE, name, name + " must be " + expected + ", got "
                + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + abbreviate(node.toString()));
    }

    private static String abbreviate(String s) {
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
