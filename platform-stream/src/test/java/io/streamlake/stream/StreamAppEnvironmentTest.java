package io.streamlake.stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every stream app's environment gets: Prometheus kept exposed under SCDF, a spurious warning quiet, the sinks'
 * old retry settings applied under their shared names.
 */
class StreamAppEnvironmentTest {

    /** The property as the app would read it, after the post-processor ran on these command-line arguments. */
    private static String after(EnvironmentPostProcessor processor, String property, String... args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        processor.postProcessEnvironment(env, new SpringApplication());
        return env.getProperty(property);
    }

    private static String exposureAfter(String... args) {
        return after(new PrometheusEndpointExposure(), PrometheusEndpointExposure.INCLUDE, args);
    }

    @Test
    void scdfsNarrowedExposureKeepsPrometheus() {
        // what SCDF 2.11's deployers pass every stream app
        assertThat(exposureAfter("--management.endpoints.web.exposure.include=health,info,bindings"))
                .isEqualTo("health,info,bindings,prometheus");
    }

    @Test
    void listsThatAlreadyExposeItAndTheSwitchAreRespected() {
        assertThat(exposureAfter("--management.endpoints.web.exposure.include=*")).isEqualTo("*");
        assertThat(exposureAfter("--management.endpoints.web.exposure.include=health, prometheus"))
                .isEqualTo("health, prometheus");
        assertThat(exposureAfter("--management.endpoints.web.exposure.include=health",
                "--streamlake.metrics.expose-prometheus=false")).isEqualTo("health");
        assertThat(exposureAfter()).isNull();
    }

    @Test
    void theSpuriousFunctionLookupWarningIsQuietUnlessAskedFor() {
        String logger = StreamAppDefaults.FUNCTION_REGISTRY_LOGGER;
        assertThat(after(new StreamAppDefaults(), logger)).isEqualTo("ERROR");
        assertThat(after(new StreamAppDefaults(), logger, "--" + logger + "=WARN")).isEqualTo("WARN");
    }

    @Test
    void aSinksRetrySettingUnderItsOldNameStillAppliesUnlessTheSharedOneIsSet() {
        LegacySinkRetryProperties legacy = new LegacySinkRetryProperties(new org.springframework.boot.logging.DeferredLogs());
        assertThat(after(legacy, "streamlake.sink.retry.max-backoff", "--clickhouse.retry-max-backoff=1s")).isEqualTo("1s");
        assertThat(after(legacy, "streamlake.sink.retry.initial-backoff", "--redis-features.retry-initial-backoff=50ms"))
                .isEqualTo("50ms");
        assertThat(after(legacy, "streamlake.sink.retry.max-backoff", "--clickhouse.retry-max-backoff=1s",
                "--streamlake.sink.retry.max-backoff=2s")).isEqualTo("2s");
        assertThat(after(legacy, "streamlake.sink.retry.max-backoff")).isNull();
    }
}
