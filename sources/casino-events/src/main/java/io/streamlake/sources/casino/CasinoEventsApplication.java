package io.streamlake.sources.casino;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** casino-events: realistic synthetic casino activity for the showcase stream. */
@SpringBootApplication
public class CasinoEventsApplication {

    public static void main(String[] args) {
        SpringApplication.run(CasinoEventsApplication.class, args);
    }
}
