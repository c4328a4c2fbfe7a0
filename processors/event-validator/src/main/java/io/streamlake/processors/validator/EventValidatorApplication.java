package io.streamlake.processors.validator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** event-validator: validates and normalizes casino events, rejects the rest to the DLQ. */
@SpringBootApplication
public class EventValidatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(EventValidatorApplication.class, args);
    }
}
