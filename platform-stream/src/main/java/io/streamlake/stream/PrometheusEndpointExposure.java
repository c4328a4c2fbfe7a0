package io.streamlake.stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Arrays;
import java.util.Map;

/**
 * Keeps {@code /actuator/prometheus} exposed when a deployer narrows the web exposure. SCDF 2.11 deploys every stream
 * app with {@code management.endpoints.web.exposure.include=health,info,bindings}, which outranks the app's own
 * {@code application.properties}, so the app's counters would vanish from Prometheus exactly where they are needed.
 * This adds {@code prometheus} to whatever list is in force (a list with {@code *} is left alone);
 * {@code streamlake.metrics.expose-prometheus=false} turns that off. Runs after every property source is known
 * (command line, {@code SPRING_APPLICATION_JSON}, config files).
 */
public class PrometheusEndpointExposure implements EnvironmentPostProcessor, Ordered {

    static final String INCLUDE = "management.endpoints.web.exposure.include";
    static final String SWITCH = "streamlake.metrics.expose-prometheus";
    static final String SOURCE_NAME = "streamlakePrometheusExposure";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(SWITCH, Boolean.class, true)) {
            return;
        }
        String include = environment.getProperty(INCLUDE);
        if (include == null || include.isBlank()) {
            return; // Boot's default (health) or the app's own file decides; every app's file names prometheus
        }
        boolean exposed = Arrays.stream(include.split(",")).map(String::strip)
                .anyMatch(e -> e.equals("*") || e.equals("prometheus"));
        if (!exposed) {
            environment.getPropertySources().addFirst(new MapPropertySource(SOURCE_NAME,
                    Map.of(INCLUDE, include.strip() + ",prometheus")));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
