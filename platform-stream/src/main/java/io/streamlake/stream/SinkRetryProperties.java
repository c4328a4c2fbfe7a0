package io.streamlake.stream;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How every StreamLake sink retries a batch its store could not take: the same batch again, backing off from the
 * first wait to the longest, until the store takes it (health DOWN meanwhile; the poll's offsets stay uncommitted).
 */
@ConfigurationProperties("streamlake.sink.retry")
public class SinkRetryProperties {

    /** First wait before retrying a batch the store (ClickHouse, Redis) could not take. */
    private Duration initialBackoff = Duration.ofMillis(200);

    /** Longest wait between retries; retries go on until the store takes the batch. */
    private Duration maxBackoff = Duration.ofSeconds(15);

    public Duration getInitialBackoff() {
        return initialBackoff;
    }

    public void setInitialBackoff(Duration initialBackoff) {
        this.initialBackoff = initialBackoff;
    }

    public Duration getMaxBackoff() {
        return maxBackoff;
    }

    public void setMaxBackoff(Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
    }
}
