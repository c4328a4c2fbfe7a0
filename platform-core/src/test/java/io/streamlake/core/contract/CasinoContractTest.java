package io.streamlake.core.contract;

import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The casino event's rules, as its shipped contract declares them: money, game types, per-activity fields, wins. */
class CasinoContractTest {

    private static final Contract CASINO = CasinoEventJson.CONTRACT;
    private final ContractChecks checks = new ContractChecks(CASINO, Clock.fixed(Instant.parse("2026-11-23T20:00:00Z"), ZoneOffset.UTC));

    private Object[] check(String fields) {
        Object[] values = new ContractJson(CASINO).read(("{\"event_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\","
                + "\"customer_id\":\"C1\",\"activity_datetime\":\"2026-11-23T19:59:00Z\"," + fields + "}").getBytes(StandardCharsets.UTF_8));
        checks.check(values);
        return values;
    }

    private void refused(String fields, RejectionReason reason, String field, String words) {
        assertThatThrownBy(() -> check(fields)).isInstanceOfSatisfying(InvalidEventException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.field()).isEqualTo(field);
        }).hasMessageContaining(words);
    }

    @ParameterizedTest(name = "{0} is stored as it is")
    @CsvSource({"0", "0.00", "12.5", "12.50", "2.500", "99999999999999.99", "9999999999999999.99", "1E+3"})
    void moneyWithinTwoDecimalsAndEighteenDigitsPasses(String amount) {
        Object[] v = check("\"game_activity\":\"deposit\",\"transaction_amount\":" + amount + ",\"currency\":\"EUR\"");
        assertThat((BigDecimal) v[CASINO.field("transaction_amount").index()]).isEqualByComparingTo(amount);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource({"1.23456789, more than 2 decimal places", "0.001, more than 2 decimal places",
            "1E+300, more than 16 digits before", "10000000000000000, more than 16 digits before",
            "1E-400, more than 2 decimal places"})
    void moneyThatWouldBeRoundedOrCutIsRefused(String amount, String why) {
        refused("\"game_activity\":\"win\",\"game_id\":\"g\",\"game_type\":\"slots\",\"bet_amount\":1,\"win_amount\":" + amount
                + ",\"currency\":\"EUR\"", RejectionReason.INVALID_AMOUNT, "win_amount", why);
        refused("\"game_activity\":\"bet\",\"game_id\":\"g\",\"game_type\":\"slots\",\"bet_amount\":-1,\"currency\":\"EUR\"",
                RejectionReason.NEGATIVE_AMOUNT, "bet_amount", "negative");
    }

    @Test
    void everyGameTypeACasinoExportsIsKnownWithItsMultiplier() {
        assertThat(List.<Object>copyOf(((Map<?, ?>) CASINO.parameters().get("max-win-multiplier")).keySet())).containsExactly("slots", "roulette",
                "blackjack", "poker", "sports", "baccarat", "live", "bingo", "lottery");
        check("\"game_activity\":\"win\",\"game_id\":\"l1\",\"game_type\":\"lottery\",\"bet_amount\":1,\"win_amount\":1000000,\"currency\":\"EUR\"");
        refused("\"game_activity\":\"win\",\"game_id\":\"l1\",\"game_type\":\"lottery\",\"bet_amount\":1,\"win_amount\":1000000.01,"
                + "\"currency\":\"EUR\"", RejectionReason.WIN_EXCEEDS_MAX_MULTIPLIER, "win_amount", "max-win-multiplier");
        refused("\"game_activity\":\"login\",\"game_type\":\"keno\"", RejectionReason.UNKNOWN_GAME_TYPE, "game_type", "keno");
    }

    @Test
    void eachActivityNeedsItsFieldsAndBonusWinsAreExempt() {
        refused("\"game_activity\":\"bet\",\"game_type\":\"slots\",\"bet_amount\":1,\"currency\":\"EUR\"",
                RejectionReason.MISSING_FIELD, "game_id", "game_id is required");
        refused("\"game_activity\":\"deposit\",\"transaction_amount\":10", RejectionReason.MISSING_FIELD, "currency", "currency is required");
        refused("\"game_activity\":\"win\",\"game_id\":\"g\",\"game_type\":\"roulette\",\"win_amount\":10,\"currency\":\"EUR\"",
                RejectionReason.MISSING_FIELD, "bet_amount", "bet_amount is required");
        check("\"game_activity\":\"win\",\"game_id\":\"g\",\"game_type\":\"roulette\",\"win_amount\":5000,\"bonus_amount\":1,\"currency\":\"EUR\"");
        check("\"game_activity\":\"login\"");
        assertThat(check("\"game_activity\":\" LOGIN \",\"game_type\":\"  \",\"currency\":\"\"")[3]).as("blank is absent").isEqualTo("login");
    }
}
