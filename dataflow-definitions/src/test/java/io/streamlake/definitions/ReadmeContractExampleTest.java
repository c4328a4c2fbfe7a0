package io.streamlake.definitions;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractParser;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The root README's "Add your own event type" example is a contract that parses and judges payments as it says. */
class ReadmeContractExampleTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void thePaymentsExampleIsAWorkingContract() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("{\"type\": \"record\", \"name\": \"Payment\"");
        assertThat(start).as("the example is in the README").isPositive();
        Contract payments = ContractParser.parse("payments", readme.substring(start, readme.indexOf("```", start)));
        ContractChecks checks = new ContractChecks(payments, Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC));
        String card = "{\"payment_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\",\"account\":\"DE89370400440532013000\","
                + "\"paid_at\":\"2026-12-02T11:59:00Z\",\"method\":\"CARD\",\"amount\":25.00,\"fee\":0.50,\"currency\":\"eur\"%s}";
        Object[] valid = read(payments, card.formatted(",\"card_last4\":\"4242\""));
        checks.check(valid);
        assertThat(new String(new ContractJson(payments).write(valid), StandardCharsets.UTF_8))
                .contains("\"method\":\"card\"", "\"currency\":\"EUR\"");
        assertThat(payments.key().name()).isEqualTo("account");
        assertThatThrownBy(() -> checks.check(read(payments, card.formatted(""))))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.MISSING_FIELD);
                    assertThat(e.field()).isEqualTo("card_last4");
                });
        assertThatThrownBy(() -> checks.check(read(payments, card.formatted(",\"card_last4\":\"4242\"").replace("0.50", "30.00"))))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.RULE_VIOLATED);
                    assertThat(e.field()).isEqualTo("fee");
                });
    }

    private static Object[] read(Contract contract, String json) {
        return new ContractJson(contract).read(json.getBytes(StandardCharsets.UTF_8));
    }
}
