package io.streamlake.core.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.common.json.Json;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Something a person should be told about, as it travels on an alerts topic to the {@code alert} sink: a fraud
 * decision, a failed task, a data-quality failure, a dead-letter rate. One JSON shape for every producer:
 * <pre>{"alert_id": "...", "kind": "fraud", "severity": "critical", "key": "C42", "title": "...", "message": "...",
 *  "source": "fraud-scorer", "created_at": "2026-12-03T10:15:00Z", "score": 0.97, "reasons": ["BET_SPIKE"],
 *  "details": {...}}</pre>
 * {@code alert_id} identifies the alert (a receiver de-duplicates redeliveries by it); {@code kind} and {@code key}
 * together say what it is about (one customer, one task), which the sink de-duplicates within a window.
 * {@code details} is any JSON object, passed through as is.
 */
public record Alert(String alertId, String kind, Severity severity, String key, String title, String message,
                    String source, Instant createdAt, Double score, List<String> reasons, ObjectNode details) {

    /** How urgent: the e-mail channel sends from a configured severity up. */
    public enum Severity { INFO, WARNING, CRITICAL }

    public Alert {
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        severity = severity == null ? Severity.WARNING : severity;
    }

    /** What the alert is about, for de-duplication: {@code kind:key}. */
    public String subject() {
        return kind + ":" + key;
    }

    /** Reads an alert; what is not one is an {@link InvalidEventException} naming the field and the reason. */
    public static Alert parse(byte[] json) throws InvalidEventException {
        JsonNode node;
        try {
            node = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new InvalidEventException(RejectionReason.MALFORMED_JSON, null, "not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidEventException(RejectionReason.NOT_AN_OBJECT, null, "an alert is a JSON object");
        }
        Severity severity;
        String level = text(node, "severity", false);
        try {
            severity = level == null ? null : Severity.valueOf(level.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(RejectionReason.NOT_ALLOWED_VALUE, "severity",
                    "severity " + level + " is not one of info, warning, critical");
        }
        Instant createdAt;
        String created = text(node, "created_at", true);
        try {
            createdAt = Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, "created_at", "created_at " + created
                    + " is not an ISO-8601 instant (2026-12-03T10:15:00Z)");
        }
        JsonNode score = node.get("score");
        if (score != null && !score.isNull() && !score.isNumber()) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, "score", "score is not a number");
        }
        List<String> reasons = new ArrayList<>();
        JsonNode r = node.get("reasons");
        if (r != null && !r.isNull()) {
            if (!r.isArray()) {
                throw new InvalidEventException(RejectionReason.WRONG_TYPE, "reasons", "reasons is not an array of strings");
            }
            for (JsonNode each : r) {
                if (!each.isTextual()) {
                    throw new InvalidEventException(RejectionReason.WRONG_TYPE, "reasons", "reasons is not an array of strings");
                }
                reasons.add(each.asText());
            }
        }
        JsonNode details = node.get("details");
        if (details != null && !details.isNull() && !details.isObject()) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, "details", "details is not a JSON object");
        }
        return new Alert(text(node, "alert_id", true), text(node, "kind", true), severity, text(node, "key", true),
                text(node, "title", true), text(node, "message", false), text(node, "source", false), createdAt,
                score == null || score.isNull() ? null : score.doubleValue(), reasons,
                details == null || details.isNull() ? null : (ObjectNode) details);
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
            if (required) {
                throw new InvalidEventException(RejectionReason.MISSING_FIELD, field, "an alert needs " + field);
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidEventException(RejectionReason.WRONG_TYPE, field, field + " is not a string");
        }
        return v.asText();
    }

    /** The alert as JSON, in the shape {@link #parse} reads. */
    public byte[] toJson() {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("alert_id", alertId).put("kind", kind).put("severity", severity.name().toLowerCase(Locale.ROOT)).put("key", key)
                .put("title", title);
        if (message != null) {
            o.put("message", message);
        }
        if (source != null) {
            o.put("source", source);
        }
        o.put("created_at", createdAt.toString());
        if (score != null) {
            o.put("score", score);
        }
        ArrayNode rs = o.putArray("reasons");
        reasons.forEach(rs::add);
        if (details != null) {
            o.set("details", details);
        }
        try {
            return Json.mapper().writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
