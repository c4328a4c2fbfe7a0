package io.streamlake.processors.validator;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Settings of the event-validator processor. */
@ConfigurationProperties("event-validator")
public class EventValidatorProperties {

    /** Oldest accepted activity_datetime, as an age relative to now (replays of older data need more). */
    private Duration maxPastAge = Duration.ofDays(7);

    /** How far in the future activity_datetime may be (producer clock skew). */
    private Duration maxFutureSkew = Duration.ofMinutes(5);

    /**
     * Known game types and, for each, the largest win as a multiple of the bet (bonus wins are exempt).
     * A game_type not listed here is rejected as UNKNOWN_GAME_TYPE.
     */
    private Map<String, BigDecimal> maxWinMultiplier = new LinkedHashMap<>(Map.of(
            "slots", new BigDecimal("5000"),
            "roulette", new BigDecimal("36"),
            "blackjack", new BigDecimal("8"),
            "poker", new BigDecimal("500"),
            "sports", new BigDecimal("1000"),
            "baccarat", new BigDecimal("9")));

    /** Accepted currency codes; empty accepts every ISO 4217 code. */
    private List<String> acceptedCurrencies = new ArrayList<>();

    /** Largest record accepted; larger ones go to the DLQ as PAYLOAD_TOO_LARGE without being parsed. */
    private int maxPayloadBytes = 1024 * 1024;

    /** How long an event_id is remembered for duplicate detection. */
    private Duration dedupWindow = Duration.ofMinutes(10);

    /** Most event ids remembered at once (about 50 bytes each); bounds memory whatever the rate. */
    private int dedupCapacity = 200_000;

    EventValidator.Rules toRules() {
        return new EventValidator.Rules(maxPastAge, maxFutureSkew, maxWinMultiplier, java.util.Set.copyOf(acceptedCurrencies),
                maxPayloadBytes, dedupWindow, dedupCapacity);
    }

    public Duration getMaxPastAge() {
        return maxPastAge;
    }

    public void setMaxPastAge(Duration maxPastAge) {
        this.maxPastAge = maxPastAge;
    }

    public Duration getMaxFutureSkew() {
        return maxFutureSkew;
    }

    public void setMaxFutureSkew(Duration maxFutureSkew) {
        this.maxFutureSkew = maxFutureSkew;
    }

    public Map<String, BigDecimal> getMaxWinMultiplier() {
        return maxWinMultiplier;
    }

    public void setMaxWinMultiplier(Map<String, BigDecimal> maxWinMultiplier) {
        this.maxWinMultiplier = maxWinMultiplier;
    }

    public List<String> getAcceptedCurrencies() {
        return acceptedCurrencies;
    }

    public void setAcceptedCurrencies(List<String> acceptedCurrencies) {
        this.acceptedCurrencies = acceptedCurrencies;
    }

    public int getMaxPayloadBytes() {
        return maxPayloadBytes;
    }

    public void setMaxPayloadBytes(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public Duration getDedupWindow() {
        return dedupWindow;
    }

    public void setDedupWindow(Duration dedupWindow) {
        this.dedupWindow = dedupWindow;
    }

    public int getDedupCapacity() {
        return dedupCapacity;
    }

    public void setDedupCapacity(int dedupCapacity) {
        this.dedupCapacity = dedupCapacity;
    }
}
