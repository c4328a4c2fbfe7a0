package io.streamlake.tasks.materialization;

import io.streamlake.task.ClickHouseJdbc;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Configuration of the feature-materialization task. */
@ConfigurationProperties("feature-materialization")
public class FeatureMaterializationProperties {

    /** Feature definitions file; unset = the shipped casino project. */
    private Path registryFile;

    /** Batch feature views to materialize; empty = every batch view of the registry. */
    private List<String> views = List.of();

    /** INCREMENTAL (from each view's stored watermark to now) or RANGE (from start to end). */
    private Mode mode = Mode.INCREMENTAL;

    /** Start of the range (RANGE mode), inclusive, e.g. 2026-11-01T00:00:00Z. */
    private Instant start;

    /** End of the range (RANGE mode), exclusive; unset = now. */
    private Instant end;

    /**
     * How late events may reach the offline store: a run ends this long before now (unless RANGE mode names an end), so
     * what it materializes, and what the consistency check recomputes, no longer changes when late events arrive.
     */
    private Duration allowedLateness = Duration.ofMinutes(2);

    /** Entities per page: each page is written to Redis and then committed as the run's position. */
    private int chunkSize = 10_000;

    /** Entities sampled per view by the online/offline consistency check after materializing; 0 = no check. */
    private int verifySample;

    /** Failure drill: each view's step fails after this many pages written (0 = never), to rehearse a restart. */
    private int failAfterChunks;

    /** PostgreSQL schema of the watermarks and consistency results. */
    private String stateSchema = "feature_store";

    /** The online store. */
    private final Redis redis = new Redis();

    /** The offline store. */
    @NestedConfigurationProperty
    private final ClickHouseJdbc clickhouse = new ClickHouseJdbc();

    public enum Mode { INCREMENTAL, RANGE }

    public static class Redis {
        /** Redis URI of the online store. */
        private String uri = "redis://127.0.0.1:6379";
        /** Expiry set on written keys; 0 = none (the views' TTLs still apply when features are read). */
        private Duration keyTtl = Duration.ZERO;
        /** Timeout of a Redis round trip. */
        private Duration timeout = Duration.ofSeconds(10);

        public String getUri() { return uri; }
        public void setUri(String uri) { this.uri = uri; }
        public Duration getKeyTtl() { return keyTtl; }
        public void setKeyTtl(Duration keyTtl) { this.keyTtl = keyTtl; }
        public Duration getTimeout() { return timeout; }
        public void setTimeout(Duration timeout) { this.timeout = timeout; }
    }

    public Path getRegistryFile() { return registryFile; }
    public void setRegistryFile(Path registryFile) { this.registryFile = registryFile; }
    public List<String> getViews() { return views; }
    public void setViews(List<String> views) { this.views = views; }
    public Mode getMode() { return mode; }
    public void setMode(Mode mode) { this.mode = mode; }
    public Instant getStart() { return start; }
    public void setStart(Instant start) { this.start = start; }
    public Instant getEnd() { return end; }
    public void setEnd(Instant end) { this.end = end; }
    public Duration getAllowedLateness() { return allowedLateness; }
    public void setAllowedLateness(Duration allowedLateness) { this.allowedLateness = allowedLateness; }
    public int getChunkSize() { return chunkSize; }
    public void setChunkSize(int chunkSize) { this.chunkSize = chunkSize; }
    public int getVerifySample() { return verifySample; }
    public void setVerifySample(int verifySample) { this.verifySample = verifySample; }
    public int getFailAfterChunks() { return failAfterChunks; }
    public void setFailAfterChunks(int failAfterChunks) { this.failAfterChunks = failAfterChunks; }
    public String getStateSchema() { return stateSchema; }
    public void setStateSchema(String stateSchema) { this.stateSchema = stateSchema; }
    public Redis getRedis() { return redis; }
    public ClickHouseJdbc getClickhouse() { return clickhouse; }
}
