package io.streamlake.processors.fraud;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The fraud-scorer processor. */
@SpringBootApplication
public class FraudScorerApplication {

    public static void main(String[] args) {
        SpringApplication.run(FraudScorerApplication.class, args);
    }
}
