package io.streamlake.sinks.alert;

import io.streamlake.core.alert.Alert;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.UniqueNames;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AlertDelivery with the real webhook channel, a real HTTP receiver and the gate on the real Redis, at a fixed clock. */
class AlertDeliveryTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");
    private final List<String> log = new ArrayList<>();
    private final AlertDelivery.Listener listener = new AlertDelivery.Listener() {
        @Override
        public void delivered(String channel, Alert alert) {
            log.add("sent " + alert.alertId() + " by " + channel);
        }

        @Override
        public void suppressed(String channel, Alert alert, AlertGate.Verdict why) {
            log.add(why + " " + alert.alertId() + " on " + channel);
        }
    };

    private static AlertGate gate(Duration window, int perMinute) {
        return new AlertGate("redis://" + TestRedis.host() + ":" + TestRedis.port(), UniqueNames.next("alert_test") + ":", window,
                perMinute, Duration.ofSeconds(5));
    }

    private static AlertDelivery.Pending<String> alert(String id, String key) {
        return new AlertDelivery.Pending<>(new Alert(id, "fraud", Alert.Severity.CRITICAL, key, "bet spike", null, "test", NOW, 0.9,
                List.of("BET_SPIKE"), null), id);
    }

    @Test
    void aSubjectIsAlertedOnceAWindowAndARedeliveryIsNotADuplicate() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0); AlertGate gate = gate(Duration.ofMinutes(10), 0)) {
            AlertDelivery<String> delivery = new AlertDelivery<>(gate, List.of(new WebhookChannel(receiver.url(), "", Duration.ofSeconds(5))),
                    listener, Clock.fixed(NOW, ZoneOffset.UTC));
            AlertDelivery.Outcome<String> outcome = delivery.deliver(List.of(alert("a1", "C1"), alert("a2", "C1"), alert("a3", "C2")));
            assertThat(outcome.handled()).isEqualTo(3);
            assertThat(log).containsExactly("sent a1 by webhook", "DUPLICATE a2 on all", "sent a3 by webhook");
            // a1 again (as after a crash before the offsets were committed): sent again, the receiver has its id
            log.clear();
            delivery.deliver(List.of(alert("a1", "C1"), alert("a4", "C1")));
            assertThat(log).containsExactly("sent a1 by webhook", "DUPLICATE a4 on all");
            assertThat(receiver.accepted).extracting(r -> r.header(WebhookChannel.ALERT_ID)).containsExactly("a1", "a3", "a1");
        }
    }

    @Test
    void theRateLimitHoldsBackTheRestOfTheMinute() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0); AlertGate gate = gate(Duration.ZERO, 2)) {
            AlertDelivery<String> delivery = new AlertDelivery<>(gate, List.of(new WebhookChannel(receiver.url(), "", Duration.ofSeconds(5))),
                    listener, Clock.fixed(NOW, ZoneOffset.UTC));
            delivery.deliver(List.of(alert("a1", "C1"), alert("a2", "C2"), alert("a3", "C3"), alert("a4", "C4")));
            assertThat(log).containsExactly("sent a1 by webhook", "sent a2 by webhook", "RATE_LIMITED a3 on webhook",
                    "RATE_LIMITED a4 on webhook");
            log.clear();
            AlertDelivery<String> nextMinute = new AlertDelivery<>(gate, List.of(new WebhookChannel(receiver.url(), "", Duration.ofSeconds(5))),
                    listener, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
            nextMinute.deliver(List.of(alert("a5", "C5")));
            assertThat(log).containsExactly("sent a5 by webhook");
        }
    }

    @Test
    void aRetryAfterAnOutageSendsOnlyWhatIsLeftAndARefusalComesBack() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(0); AlertGate gate = gate(Duration.ofMinutes(10), 100)) {
            AlertDelivery<String> delivery = new AlertDelivery<>(gate, List.of(new WebhookChannel(receiver.url(), "", Duration.ofSeconds(5))),
                    listener, Clock.fixed(NOW, ZoneOffset.UTC));
            receiver.refuseMarker = "\"C9\"";
            List<AlertDelivery.Pending<String>> poll = List.of(alert("a1", "C1"), alert("a9", "C9"), alert("a2", "C2"), alert("a3", "C3"));
            // the receiver is down at the third request: a1 sent, a9 refused, a2 unavailable; then it is back
            receiver.failOnAttempts.add(3);
            assertThatThrownBy(() -> delivery.deliver(poll)).isInstanceOf(AlertChannel.Unavailable.class).hasMessageContaining("503");
            AlertDelivery.Outcome<String> outcome = delivery.deliver(poll);
            assertThat(receiver.accepted).extracting(r -> r.header(WebhookChannel.ALERT_ID)).containsExactly("a1", "a2", "a3");
            assertThat(outcome.handled()).isEqualTo(3);
            assertThat(outcome.refused()).singleElement().satisfies(r -> {
                assertThat(r.alert().origin()).isEqualTo("a9");
                assertThat(r.channel()).isEqualTo("webhook");
                assertThat(r.cause().getMessage()).contains("HTTP 400", "unknown customer");
            });
            assertThat(log).containsExactly("sent a1 by webhook", "sent a2 by webhook", "sent a3 by webhook");
        }
    }
}
