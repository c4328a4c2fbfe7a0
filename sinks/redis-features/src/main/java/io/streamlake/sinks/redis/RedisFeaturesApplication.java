package io.streamlake.sinks.redis;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** redis-features: feature rows into Redis, in Feast's online-store layout. */
@SpringBootApplication
public class RedisFeaturesApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedisFeaturesApplication.class, args);
    }
}
