package io.streamlake.processors.aggregator;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** Settings of the feature-aggregator processor. */
@ConfigurationProperties("feature-aggregator")
public class FeatureAggregatorProperties {

    /**
     * How much older than a customer's latest event an event may be and still be counted; older events go to the
     * DLQ as LATE_EVENT.
     */
    private Duration grace = Duration.ofMinutes(2);

    /**
     * Rebuild the windows after a restart or rebalance by re-reading the last 24 hours plus the grace period of the
     * input before the committed offset (the input topic must keep at least that long).
     */
    private boolean replayOnAssignment = true;

    public Duration getGrace() {
        return grace;
    }

    public void setGrace(Duration grace) {
        this.grace = grace;
    }

    public boolean isReplayOnAssignment() {
        return replayOnAssignment;
    }

    public void setReplayOnAssignment(boolean replayOnAssignment) {
        this.replayOnAssignment = replayOnAssignment;
    }
}
