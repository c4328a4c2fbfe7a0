package io.streamlake.stream;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.HashMap;
import java.util.Map;

/**
 * The sinks' retry settings before they were shared ({@code clickhouse.retry-initial-backoff},
 * {@code redis-features.retry-max-backoff}, ...) still work: each one set is applied as its
 * {@code streamlake.sink.retry.*} setting unless that is set too, with a warning naming the new property.
 */
public class LegacySinkRetryProperties implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "streamlakeLegacySinkRetry";
    private static final Map<String, String> RENAMED = Map.of(
            "clickhouse.retry-initial-backoff", "streamlake.sink.retry.initial-backoff",
            "clickhouse.retry-max-backoff", "streamlake.sink.retry.max-backoff",
            "redis-features.retry-initial-backoff", "streamlake.sink.retry.initial-backoff",
            "redis-features.retry-max-backoff", "streamlake.sink.retry.max-backoff");

    private final Log log;

    public LegacySinkRetryProperties(DeferredLogFactory logs) {
        this.log = logs.getLog(LegacySinkRetryProperties.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> applied = new HashMap<>();
        RENAMED.forEach((old, now) -> {
            String value = environment.getProperty(old);
            if (value != null && environment.getProperty(now) == null) {
                applied.put(now, value);
                log.warn(old + " is deprecated: it is applied as " + now + "=" + value + " (set that instead)");
            }
        });
        if (!applied.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME, applied));
        }
    }
}
