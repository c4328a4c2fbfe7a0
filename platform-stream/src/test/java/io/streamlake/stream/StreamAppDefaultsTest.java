package io.streamlake.stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class StreamAppDefaultsTest {

    private static String levelAfter(String... args) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
        new StreamAppDefaults().postProcessEnvironment(env, new SpringApplication());
        return env.getProperty(StreamAppDefaults.FUNCTION_REGISTRY_LOGGER);
    }

    @Test
    void theSpuriousFunctionLookupWarningIsQuietUnlessAskedFor() {
        assertThat(levelAfter()).isEqualTo("ERROR");
        assertThat(levelAfter("--" + StreamAppDefaults.FUNCTION_REGISTRY_LOGGER + "=WARN")).isEqualTo("WARN");
    }
}
