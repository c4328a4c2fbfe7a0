package io.streamlake.serving;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/** Settings of the feature server. */
@ConfigurationProperties("feature-server")
public class FeatureServerProperties {

    /** Redis holding the online features (Feast's layout), e.g. redis://127.0.0.1:6379. */
    private String redisUri = "redis://127.0.0.1:6379";

    /**
     * Feature definitions (YAML): a file path, or classpath:io/streamlake/features/orders-features.yaml for a project
     * shipped with the platform; unset uses the shipped casino project.
     */
    private String definitions;

    /** When set, every request must carry it as "X-API-Key: <key>" or "Authorization: Bearer <key>". */
    private String apiKey;

    /** Most entity rows in one request (rows of a /push or /write-to-online-store df too); larger requests are refused with 413. */
    private int maxEntities = 1000;

    /** Most features in one request; larger requests are refused with 413. */
    private int maxFeatures = 500;

    /** Expiry set on every key written by /push and /write-to-online-store; zero for none. */
    private Duration keyTtl = Duration.ZERO;

    /** Time limit for the Redis round trip of one request. */
    private Duration redisTimeout = Duration.ofSeconds(2);

    public String getRedisUri() {
        return redisUri;
    }

    public void setRedisUri(String redisUri) {
        this.redisUri = redisUri;
    }

    public String getDefinitions() {
        return definitions;
    }

    public void setDefinitions(String definitions) {
        this.definitions = definitions;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public int getMaxEntities() {
        return maxEntities;
    }

    public void setMaxEntities(int maxEntities) {
        this.maxEntities = maxEntities;
    }

    public int getMaxFeatures() {
        return maxFeatures;
    }

    public void setMaxFeatures(int maxFeatures) {
        this.maxFeatures = maxFeatures;
    }

    public Duration getKeyTtl() {
        return keyTtl;
    }

    public void setKeyTtl(Duration keyTtl) {
        this.keyTtl = keyTtl;
    }

    public Duration getRedisTimeout() {
        return redisTimeout;
    }

    public void setRedisTimeout(Duration redisTimeout) {
        this.redisTimeout = redisTimeout;
    }
}
