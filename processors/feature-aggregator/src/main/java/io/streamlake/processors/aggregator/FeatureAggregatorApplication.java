package io.streamlake.processors.aggregator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** feature-aggregator: windowed customer features from validated casino events. */
@SpringBootApplication
public class FeatureAggregatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(FeatureAggregatorApplication.class, args);
    }
}
