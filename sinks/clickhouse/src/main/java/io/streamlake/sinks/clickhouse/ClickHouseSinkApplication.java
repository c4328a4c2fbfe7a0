package io.streamlake.sinks.clickhouse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** clickhouse: batched, idempotent inserts of JSON events into ClickHouse. */
@SpringBootApplication
public class ClickHouseSinkApplication {

    public static void main(String[] args) {
        SpringApplication.run(ClickHouseSinkApplication.class, args);
    }
}
