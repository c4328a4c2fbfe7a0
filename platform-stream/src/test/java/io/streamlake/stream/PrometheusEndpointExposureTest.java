package io.streamlake.stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusEndpointExposureTest {

    private static String exposureAfter(String... args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        new PrometheusEndpointExposure().postProcessEnvironment(env, new SpringApplication());
        return env.getProperty(PrometheusEndpointExposure.INCLUDE);
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
}
