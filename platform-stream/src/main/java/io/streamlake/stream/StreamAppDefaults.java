package io.streamlake.stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * Defaults every stream app starts with, below everything a user or SCDF sets (the last property source).
 * <p>
 * Spring Cloud Function 4.3.0 logs {@code WARN Failed to locate function '<name>' ... Returning null} at every start
 * of an app whose function bean has dependencies: its first lookup, among the functions registered so far, misses,
 * and the second one, in the bean factory, finds the function (spring-cloud-function issue 1291; later releases log
 * it at DEBUG). The app then runs normally, so the warning only teaches operators to ignore warnings: its logger is
 * set to ERROR here, and {@code logging.level...BeanFactoryAwareFunctionRegistry=WARN} brings it back.
 */
public class StreamAppDefaults implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "streamlakeStreamAppDefaults";
    static final String FUNCTION_REGISTRY_LOGGER =
            "logging.level.org.springframework.cloud.function.context.catalog.BeanFactoryAwareFunctionRegistry";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, Map.of(FUNCTION_REGISTRY_LOGGER, "ERROR")));
    }
}
