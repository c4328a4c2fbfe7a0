package io.streamlake.sources.interactions;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** interactions: simulated user interactions, as Avro through the schema registry. */
@SpringBootApplication
public class InteractionsApplication {

    public static void main(String[] args) {
        SpringApplication.run(InteractionsApplication.class, args);
    }
}
