package io.streamlake.sources.interactions;

import io.streamlake.core.contract.ContractWire;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Settings of the interactions source. */
@ConfigurationProperties("interactions")
public class InteractionsProperties {

    /** Average events per second; the actual rate follows the hour of the day (x0.25 to x1.75) and a per-minute wobble. */
    private double eventsPerSecond = 200;

    /** Number of distinct users. */
    private int users = 5000;

    /** Random seed (with the same seed the same users, sessions and funnel). */
    private long seed = 7;

    /** Stop after this many events; 0 runs until the app stops. */
    private long maxEvents = 0;

    /**
     * Simulated history to send first, as fast as it can be sent: the events of the last this-long (e.g. 15m), with
     * their own times, before the source goes live; incidents' start-after counts from the start of that history. For
     * demos and tests that need past minutes at once; a restarted source sends its history again (new ids). 0: none.
     */
    private Duration backfill = Duration.ZERO;

    /** Name of the header carrying each event's ground truth: normal, or incident:TYPE:error_rate|latency. */
    private String groundTruthHeader = "x-ground-truth";

    /**
     * The format events are written in: AVRO (the default: Avro binary with contentType
     * application/vnd.user-interaction.vN+avro), CONFLUENT_AVRO (needs contracts-location to be the registry) or JSON.
     */
    private ContractWire.Format outputFormat = ContractWire.Format.AVRO;

    /**
     * Where the user-interaction contract is read: a schema registry's URL (its version goes on the records), a
     * directory of subject.avsc files, or empty for the shipped one (version 1).
     */
    private String contractsLocation = "";

    /** Incidents to inject, e.g. interactions.incidents[0].type=checkout, .kind=ERROR_RATE, .start-after=2m, .duration=3m, .factor=10. */
    private List<IncidentSpec> incidents = new ArrayList<>();

    /** One incident: an interaction type's error rate or latency multiplied for a while. */
    public static class IncidentSpec {
        /** The interaction type (page_view, search, click, add_to_cart, checkout, purchase, login, error_page). */
        private String type;

        /** ERROR_RATE or LATENCY. */
        private InteractionSimulator.Kind kind = InteractionSimulator.Kind.ERROR_RATE;

        /** How long after the source starts (after the start of its backfilled history, when it has one) the incident begins. */
        private Duration startAfter = Duration.ofMinutes(1);

        /** How long it lasts. */
        private Duration duration = Duration.ofMinutes(2);

        /** The factor on the error rate (capped at 100 %) or on the latency. */
        private double factor = 10;

        public String getType() { return type; }
        public void setType(String type) { this.type = type; }
        public InteractionSimulator.Kind getKind() { return kind; }
        public void setKind(InteractionSimulator.Kind kind) { this.kind = kind; }
        public Duration getStartAfter() { return startAfter; }
        public void setStartAfter(Duration startAfter) { this.startAfter = startAfter; }
        public Duration getDuration() { return duration; }
        public void setDuration(Duration duration) { this.duration = duration; }
        public double getFactor() { return factor; }
        public void setFactor(double factor) { this.factor = factor; }
    }

    public double getEventsPerSecond() { return eventsPerSecond; }
    public void setEventsPerSecond(double eventsPerSecond) { this.eventsPerSecond = eventsPerSecond; }
    public int getUsers() { return users; }
    public void setUsers(int users) { this.users = users; }
    public long getSeed() { return seed; }
    public void setSeed(long seed) { this.seed = seed; }
    public long getMaxEvents() { return maxEvents; }
    public void setMaxEvents(long maxEvents) { this.maxEvents = maxEvents; }
    public Duration getBackfill() { return backfill; }
    public void setBackfill(Duration backfill) {
        if (backfill.isNegative()) {
            throw new IllegalArgumentException("interactions.backfill must not be negative: " + backfill);
        }
        this.backfill = backfill;
    }
    public String getGroundTruthHeader() { return groundTruthHeader; }
    public void setGroundTruthHeader(String groundTruthHeader) { this.groundTruthHeader = groundTruthHeader; }
    public ContractWire.Format getOutputFormat() { return outputFormat; }
    public void setOutputFormat(ContractWire.Format outputFormat) { this.outputFormat = outputFormat; }
    public String getContractsLocation() { return contractsLocation; }
    public void setContractsLocation(String contractsLocation) { this.contractsLocation = contractsLocation; }
    public List<IncidentSpec> getIncidents() { return incidents; }
    public void setIncidents(List<IncidentSpec> incidents) { this.incidents = incidents; }
}
