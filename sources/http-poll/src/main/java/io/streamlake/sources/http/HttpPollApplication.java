package io.streamlake.sources.http;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** http-poll: records of a paginated JSON API into Kafka. */
@SpringBootApplication
public class HttpPollApplication {

    public static void main(String[] args) {
        SpringApplication.run(HttpPollApplication.class, args);
    }
}
