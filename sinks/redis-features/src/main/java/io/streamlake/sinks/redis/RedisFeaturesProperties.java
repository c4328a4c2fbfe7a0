package io.streamlake.sinks.redis;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** Settings of the redis-features sink. */
@ConfigurationProperties("redis-features")
public class RedisFeaturesProperties {

    /** Redis to write to, e.g. redis://127.0.0.1:6379 (Feast's online store). */
    private String uri = "redis://127.0.0.1:6379";

    /**
     * Feature definitions (YAML): a file path, or classpath:io/streamlake/features/orders-features.yaml for a project
     * shipped with the platform; unset uses the shipped casino project.
     */
    private String definitions;

    /** Expiry set on every written entity key; 0 keeps keys until overwritten. */
    private Duration keyTtl = Duration.ZERO;

    /** Most feature rows per Redis pipeline (Kafka max.poll.records). */
    private int batchSize = 2000;

    /** How long a batch waits for more rows before it is written, in milliseconds (Kafka fetch.max.wait.ms). */
    private int maxBatchWaitMs = 100;

    /** Time limit for one Redis round trip. */
    private Duration timeout = Duration.ofSeconds(10);

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public String getDefinitions() {
        return definitions;
    }

    public void setDefinitions(String definitions) {
        this.definitions = definitions;
    }

    public Duration getKeyTtl() {
        return keyTtl;
    }

    public void setKeyTtl(Duration keyTtl) {
        this.keyTtl = keyTtl;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getMaxBatchWaitMs() {
        return maxBatchWaitMs;
    }

    public void setMaxBatchWaitMs(int maxBatchWaitMs) {
        this.maxBatchWaitMs = maxBatchWaitMs;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }
}
