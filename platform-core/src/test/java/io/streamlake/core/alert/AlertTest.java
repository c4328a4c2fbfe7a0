package io.streamlake.core.alert;

import io.streamlake.common.json.Json;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertTest {

    @Test
    void anAlertReadsBackAsWritten() throws Exception {
        Alert alert = new Alert("a-1", "fraud", Alert.Severity.CRITICAL, "C42", "Bet spike", "bet 40x the hour's average",
                "fraud-scorer", Instant.parse("2026-12-03T10:15:00Z"), 0.97, List.of("BET_SPIKE", "MODEL"),
                (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree("{\"bet\": 400.00}"));
        Alert back = Alert.parse(alert.toJson());
        assertThat(back).isEqualTo(alert);
        assertThat(back.subject()).isEqualTo("fraud:C42");
        assertThat(new String(alert.toJson(), StandardCharsets.UTF_8)).contains("\"severity\":\"critical\"", "\"bet\":400.00");
    }

    @Test
    void theLeastAnAlertNeedsAndItsDefaults() {
        Alert a = Alert.parse(("{\"alert_id\": \"x\", \"kind\": \"task_failed\", \"key\": \"warehouse-etl\","
                + " \"title\": \"warehouse-etl failed\", \"created_at\": \"2026-12-03T10:15:00Z\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(a.severity()).isEqualTo(Alert.Severity.WARNING);
        assertThat(a.reasons()).isEmpty();
        assertThat(a.score()).isNull();
    }

    @Test
    void whatIsNotAnAlertSaysWhy() {
        assertReject("not json", RejectionReason.MALFORMED_JSON, null);
        assertReject("[1]", RejectionReason.NOT_AN_OBJECT, null);
        assertReject("{\"kind\": \"fraud\", \"key\": \"C1\", \"title\": \"t\", \"created_at\": \"2026-12-03T10:15:00Z\"}",
                RejectionReason.MISSING_FIELD, "alert_id");
        assertReject("{\"alert_id\": 7, \"kind\": \"fraud\", \"key\": \"C1\", \"title\": \"t\", \"created_at\": \"2026-12-03T10:15:00Z\"}",
                RejectionReason.WRONG_TYPE, "alert_id");
        assertReject("{\"alert_id\": \"a\", \"kind\": \"fraud\", \"key\": \"C1\", \"title\": \"t\", \"created_at\": \"yesterday\"}",
                RejectionReason.WRONG_TYPE, "created_at");
        assertReject("{\"alert_id\": \"a\", \"kind\": \"fraud\", \"key\": \"C1\", \"title\": \"t\", \"created_at\": \"2026-12-03T10:15:00Z\","
                + " \"severity\": \"panic\"}", RejectionReason.NOT_ALLOWED_VALUE, "severity");
        assertReject("{\"alert_id\": \"a\", \"kind\": \"fraud\", \"key\": \"C1\", \"title\": \"t\", \"created_at\": \"2026-12-03T10:15:00Z\","
                + " \"reasons\": \"BET_SPIKE\"}", RejectionReason.WRONG_TYPE, "reasons");
        assertReject("{\"alert_id\": \"a\", \"kind\": \"fraud\", \"key\": \"C1\", \"title\": \"t\", \"created_at\": \"2026-12-03T10:15:00Z\","
                + " \"score\": \"high\"}", RejectionReason.WRONG_TYPE, "score");
    }

    private static void assertReject(String json, RejectionReason reason, String field) {
        assertThatThrownBy(() -> Alert.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.field()).isEqualTo(field);
                });
    }
}
