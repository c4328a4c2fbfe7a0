package io.streamlake.core.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CasinoEventRulesTest {

    private final CasinoEventRules rules = CasinoEventRules.defaults();

    @ParameterizedTest(name = "{0} is stored as it is")
    @CsvSource({"0", "0.00", "12.5", "12.50", "2.500", "99999999999999.99", "9999999999999999.99", "1E+3"})
    void moneyWithinTwoDecimalsAndEighteenDigitsPasses(String amount) {
        assertThat(CasinoEventRules.money(new BigDecimal(amount), "bet_amount")).isEqualByComparingTo(amount);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource({"1.23456789, more than 2 decimal places", "0.001, more than 2 decimal places",
            "1E+300, more than 16 digits before", "10000000000000000, more than 16 digits before",
            "1E-400, more than 2 decimal places"})
    void moneyThatWouldBeRoundedOrCutIsRefused(String amount, String why) {
        assertThatThrownBy(() -> CasinoEventRules.money(new BigDecimal(amount), "win_amount"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_AMOUNT);
                    assertThat(e.field()).isEqualTo("win_amount");
                }).hasMessageContaining(why);
        assertThatThrownBy(() -> CasinoEventRules.money(new BigDecimal("-1"), "bet_amount"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(RejectionReason.NEGATIVE_AMOUNT));
    }

    @Test
    void everyGameTypeACasinoExportsIsKnownWithItsMultiplier() {
        assertThat(rules.gameTypes()).containsExactly("slots", "roulette", "blackjack", "poker", "sports", "baccarat", "live",
                "bingo", "lottery");
        rules.checkActivity(GameActivity.WIN, "l1", "lottery", "EUR", new BigDecimal("1"), new BigDecimal("1000000"), null, null);
        assertThatThrownBy(() -> rules.checkActivity(GameActivity.WIN, "l1", "lottery", "EUR", new BigDecimal("1"),
                new BigDecimal("1000000.01"), null, null)).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectionReason.WIN_EXCEEDS_MAX_MULTIPLIER));
        assertThatThrownBy(() -> rules.checkGameType("keno")).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectionReason.UNKNOWN_GAME_TYPE));
        assertThatThrownBy(() -> new CasinoEventRules(java.util.Map.of("slots", BigDecimal.ZERO))).hasMessageContaining("positive");
    }

    @Test
    void eachActivityNeedsItsFieldsAndBonusWinsAreExempt() {
        assertThatThrownBy(() -> rules.checkActivity(GameActivity.BET, null, "slots", "EUR", BigDecimal.ONE, null, null, null))
                .hasMessageContaining("game_id is required");
        assertThatThrownBy(() -> rules.checkActivity(GameActivity.DEPOSIT, null, null, null, null, null, null, BigDecimal.TEN))
                .hasMessageContaining("currency is required");
        assertThatThrownBy(() -> rules.checkActivity(GameActivity.WIN, "g", "roulette", "EUR", null, BigDecimal.TEN, null, null))
                .hasMessageContaining("bet_amount is required");
        rules.checkActivity(GameActivity.WIN, "g", "roulette", "EUR", null, new BigDecimal("5000"), BigDecimal.ONE, null);
        rules.checkActivity(GameActivity.LOGIN, null, null, null, null, null, null, null);
    }
}
