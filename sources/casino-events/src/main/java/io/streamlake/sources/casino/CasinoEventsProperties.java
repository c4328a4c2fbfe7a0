package io.streamlake.sources.casino;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Settings of the casino-events source. */
@ConfigurationProperties("casino-events")
public class CasinoEventsProperties {

    /** Events produced per second (the source paces itself; tested up to 100,000/s). */
    private double eventsPerSecond = 1000;

    /** Number of distinct customers. */
    private int customers = 10_000;

    /** Number of distinct games, spread over slots, roulette, blackjack, poker, sports and baccarat. */
    private int games = 200;

    /**
     * Random seed. The same seed, settings and start-time give the same stream, ids and timestamps included (a
     * replay); with start-time unset every start makes ids no earlier run made.
     */
    private long seed = 42;

    /**
     * Event time of the first event (ISO-8601, e.g. 2026-11-01T00:00:00Z); unset means the time the app starts, so
     * a restart or redeploy never re-emits an id. Set it (with the same seed and settings) only to replay a run.
     */
    private Instant startTime;

    /**
     * Simulated history before the start, sent as fast as the broker takes it, e.g. 2h: the first event's time is the
     * start minus this, and events are sent when their time comes (at once while in the past); then live at
     * events-per-second. Gives a model hours of labelled history in minutes. Ignored with start-time (a replay is paced
     * by count from its start).
     */
    private java.time.Duration backfill = java.time.Duration.ZERO;

    /** Share of customers who behave anomalously (bonus abuse, bet spikes, win streaks), 0 to 1. */
    private double anomalousCustomerShare = 0.02;

    /** Currencies customers play in (ISO 4217). */
    private List<String> currencies = new ArrayList<>(List.of("EUR", "GBP", "USD"));

    /** Stop after this many events; 0 runs until the app stops. */
    private long maxEvents = 0;

    /** Name of the header that carries each event's ground truth (normal, bonus_abuse, bet_spike, win_streak). */
    private String groundTruthHeader = "x-ground-truth";

    /**
     * The format events are written in: JSON (the default), AVRO (Avro binary with contentType
     * application/vnd.casino-activity.vN+avro) or CONFLUENT_AVRO (Confluent's magic byte and schema id; needs
     * contracts-location to be the schema registry).
     */
    private io.streamlake.core.contract.ContractWire.Format outputFormat = io.streamlake.core.contract.ContractWire.Format.JSON;

    /**
     * Where the casino-activity contract is read for Avro output: a schema registry's URL (its version and id go on
     * the records), a directory of subject.avsc files, or empty for the shipped one (version 1).
     */
    private String contractsLocation = "";

    public io.streamlake.core.contract.ContractWire.Format getOutputFormat() {
        return outputFormat;
    }

    public void setOutputFormat(io.streamlake.core.contract.ContractWire.Format outputFormat) {
        this.outputFormat = outputFormat;
    }

    public String getContractsLocation() {
        return contractsLocation;
    }

    public void setContractsLocation(String contractsLocation) {
        this.contractsLocation = contractsLocation;
    }

    public double getEventsPerSecond() {
        return eventsPerSecond;
    }

    public void setEventsPerSecond(double eventsPerSecond) {
        this.eventsPerSecond = eventsPerSecond;
    }

    public int getCustomers() {
        return customers;
    }

    public void setCustomers(int customers) {
        this.customers = customers;
    }

    public int getGames() {
        return games;
    }

    public void setGames(int games) {
        this.games = games;
    }

    public long getSeed() {
        return seed;
    }

    public void setSeed(long seed) {
        this.seed = seed;
    }

    public Instant getStartTime() {
        return startTime;
    }

    public void setStartTime(Instant startTime) {
        this.startTime = startTime;
    }

    public java.time.Duration getBackfill() {
        return backfill;
    }

    public void setBackfill(java.time.Duration backfill) {
        if (backfill.isNegative()) {
            throw new IllegalArgumentException("casino-events.backfill must not be negative: " + backfill);
        }
        this.backfill = backfill;
    }

    public double getAnomalousCustomerShare() {
        return anomalousCustomerShare;
    }

    public void setAnomalousCustomerShare(double anomalousCustomerShare) {
        this.anomalousCustomerShare = anomalousCustomerShare;
    }

    public List<String> getCurrencies() {
        return currencies;
    }

    public void setCurrencies(List<String> currencies) {
        this.currencies = currencies;
    }

    public long getMaxEvents() {
        return maxEvents;
    }

    public void setMaxEvents(long maxEvents) {
        this.maxEvents = maxEvents;
    }

    public String getGroundTruthHeader() {
        return groundTruthHeader;
    }

    public void setGroundTruthHeader(String groundTruthHeader) {
        this.groundTruthHeader = groundTruthHeader;
    }
}
