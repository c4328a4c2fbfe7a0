package io.streamlake.serving.registry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.stream.schema.registry.EnableSchemaRegistryServer;

/**
 * The schema registry the event contracts live in: Spring Cloud Stream's own registry server (its REST API:
 * {@code POST /} with subject, format and definition; {@code GET /{subject}/{format}/{version}}; {@code GET /schemas/{id}}),
 * run as a jar of this project so the local run and docker-compose start it, with its schemas in PostgreSQL.
 */
@SpringBootApplication
@EnableSchemaRegistryServer
public class SchemaRegistryApplication {

    public static void main(String[] args) {
        SpringApplication.run(SchemaRegistryApplication.class, args);
    }
}
