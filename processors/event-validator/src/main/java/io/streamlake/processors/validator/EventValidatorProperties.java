package io.streamlake.processors.validator;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Settings of the event-validator processor. */
@ConfigurationProperties("event-validator")
public class EventValidatorProperties {

    /** The event contract records are validated against: its subject (casino-activity, orders, user-interaction ...). */
    private String contract = "casino-activity";

    /** The contract's version in the schema registry; 0 takes the latest. */
    private int contractVersion = ContractRepository.LATEST;

    /**
     * Where contracts are read: a schema registry's URL (http://host:8990), a directory of subject.avsc files, or
     * empty for the contracts shipped in the app (casino-activity, orders, user-interaction, user-profile).
     */
    private String contractsLocation = "";

    /**
     * The format valid records are written in: JSON (the default), AVRO (Avro binary with contentType
     * application/vnd.subject.vN+avro, as Spring Cloud Stream's schema-registry converter writes it) or CONFLUENT_AVRO
     * (Confluent's magic byte and schema id; needs contracts-location to be the registry). Input may be any of them.
     */
    private ContractWire.Format outputFormat = ContractWire.Format.JSON;

    /**
     * Oldest accepted event time (the contract's event-time field), as an age relative to now (replays of older data
     * need more). Empty takes the contract's (casino-activity: 7 days).
     */
    private Duration maxPastAge;

    /** How far in the future the event time may be (producer clock skew). Empty takes the contract's (5 minutes). */
    private Duration maxFutureSkew;

    /**
     * casino-activity: game types and, for each, the largest win as a multiple of the bet (bonus wins are exempt),
     * merged over the contract's max-win-multiplier parameter (slots 5000, roulette 36, blackjack 8, poker 500,
     * sports 1000, baccarat 9, live 500, bingo 10000, lottery 1000000; the same as warehouse-etl's). A game_type not
     * listed is rejected as UNKNOWN_GAME_TYPE.
     */
    private Map<String, BigDecimal> maxWinMultiplier = new java.util.LinkedHashMap<>();

    /** casino-activity: accepted currency codes (the contract's accepted-currencies); empty accepts every ISO 4217 code. */
    private List<String> acceptedCurrencies = new ArrayList<>();

    /** Largest record accepted; larger ones go to the DLQ as PAYLOAD_TOO_LARGE without being parsed. */
    private int maxPayloadBytes = 1048576; // 1 MiB, written out so the metadata shows the default

    /**
     * The secret the contract's personal fields marked "pii": "hash" are hashed with (HMAC-SHA256); required for
     * such contracts (user-profile). Set it from the environment (EVENT_VALIDATOR_PIISALT), never in a file.
     */
    private String piiSalt;

    /** How long a dedup key (the contract's, e.g. event_id) is remembered. Empty takes the contract's (10 minutes). */
    private Duration dedupWindow;

    /**
     * Events per second this instance is expected to take at most; sizes the dedup memory: dedup-capacity defaults
     * to dedup-window x this rate x 1.25, and an explicit dedup-capacity below dedup-window x this rate is refused at
     * start.
     */
    private double expectedEventsPerSecond = 1000;

    /**
     * Most event ids remembered at once (about 50 bytes each); bounds memory whatever the rate. 0 (the default)
     * derives it from dedup-window and expected-events-per-second. When more ids arrive than it holds, ids leave
     * before their window ends: counted as streamlake.dedup.evicted.early and logged as a warning.
     */
    private int dedupCapacity = 0;

    /** Headroom of the derived capacity over window x rate: bursts above the expected rate stay within the window. */
    static final double DERIVED_CAPACITY_HEADROOM = 1.25;

    /** The capacity in force for a dedup window: the configured one, checked against window x rate, or one derived from them. */
    int effectiveDedupCapacity(Duration dedupWindow) {
        if (expectedEventsPerSecond <= 0 || dedupWindow.isNegative() || dedupWindow.isZero()) {
            throw new IllegalArgumentException("event-validator.expected-events-per-second and event-validator.dedup-window"
                    + " must be positive (got " + expectedEventsPerSecond + " and " + dedupWindow + ")");
        }
        double needed = dedupWindow.toMillis() / 1000.0 * expectedEventsPerSecond;
        if (dedupCapacity == 0) {
            double derived = Math.ceil(needed * DERIVED_CAPACITY_HEADROOM);
            if (derived > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("event-validator.dedup-window " + dedupWindow + " x expected-events-per-second "
                        + expectedEventsPerSecond + " needs " + (long) derived + " ids, more than one instance can hold:"
                        + " shorten the window or add instances");
            }
            return (int) derived;
        }
        if (dedupCapacity < needed) {
            throw new IllegalArgumentException("event-validator.dedup-capacity " + dedupCapacity + " holds "
                    + String.format(java.util.Locale.ROOT, "%.0f", dedupCapacity / expectedEventsPerSecond)
                    + " s of ids at expected-events-per-second " + expectedEventsPerSecond + ", less than event-validator.dedup-window "
                    + dedupWindow + " (needs " + (long) Math.ceil(needed) + "): raise dedup-capacity, or leave it 0 to derive it");
        }
        return dedupCapacity;
    }

    /** The contract with this app's overrides: parameters, event-time bounds, dedup window. */
    Contract resolveContract(ContractRepository repository) {
        Map<String, Object> parameters = new java.util.LinkedHashMap<>();
        if (!maxWinMultiplier.isEmpty()) {
            Map<String, BigDecimal> types = new java.util.LinkedHashMap<>();
            maxWinMultiplier.forEach((type, m) -> {
                if (m == null || m.signum() <= 0) {
                    throw new IllegalArgumentException("event-validator.max-win-multiplier." + type + " must be positive, not " + m);
                }
                types.put(type.strip().toLowerCase(java.util.Locale.ROOT), m);
            });
            parameters.put("max-win-multiplier", types);
        }
        if (!acceptedCurrencies.isEmpty()) {
            parameters.put("accepted-currencies", acceptedCurrencies);
        }
        Contract resolved = repository.get(contract, contractVersion);
        for (String name : parameters.keySet()) {
            if (!resolved.parameters().containsKey(name)) {
                throw new IllegalArgumentException("event-validator: the contract " + contract + " has no parameter " + name
                        + " (its parameters: " + resolved.parameters().keySet() + ")");
            }
        }
        return resolved.withParameters(parameters).withEventTimeBounds(maxPastAge, maxFutureSkew).withDedupWindow(dedupWindow);
    }

    public ContractWire.Format getOutputFormat() {
        return outputFormat;
    }

    public void setOutputFormat(ContractWire.Format outputFormat) {
        this.outputFormat = outputFormat;
    }

    public String getContract() {
        return contract;
    }

    public void setContract(String contract) {
        this.contract = contract;
    }

    public int getContractVersion() {
        return contractVersion;
    }

    public void setContractVersion(int contractVersion) {
        this.contractVersion = contractVersion;
    }

    public String getContractsLocation() {
        return contractsLocation;
    }

    public void setContractsLocation(String contractsLocation) {
        this.contractsLocation = contractsLocation;
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

    public double getExpectedEventsPerSecond() {
        return expectedEventsPerSecond;
    }

    public void setExpectedEventsPerSecond(double expectedEventsPerSecond) {
        this.expectedEventsPerSecond = expectedEventsPerSecond;
    }

    public int getDedupCapacity() {
        return dedupCapacity;
    }

    public void setDedupCapacity(int dedupCapacity) {
        this.dedupCapacity = dedupCapacity;
    }

    public String getPiiSalt() {
        return piiSalt;
    }

    public void setPiiSalt(String piiSalt) {
        this.piiSalt = piiSalt;
    }
}
