package io.streamlake.serving.registry;

import io.streamlake.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry as the platform runs it, against the real PostgreSQL: schemas registered over its REST API get
 * versions per subject, are found by subject, format and version or by id, survive a restart of the server (they are
 * rows in PostgreSQL), and what is not valid Avro is refused with a 4xx.
 */
class SchemaRegistryTest {

    private static final String SCHEMA = TestPostgres.createSchema("registry");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ORDERS_V1 = """
            {"type": "record", "name": "Order", "namespace": "io.streamlake.contracts", "fields": [
              {"name": "order_id", "type": "string"},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}}]}""";
    private static final String ORDERS_V2 = """
            {"type": "record", "name": "Order", "namespace": "io.streamlake.contracts", "fields": [
              {"name": "order_id", "type": "string"},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 18, "scale": 2}},
              {"name": "coupon", "type": ["null", "string"], "default": null}]}""";

    @AfterAll
    static void drop() {
        TestPostgres.dropSchema(SCHEMA);
    }

    @Test
    void schemasAreVersionedPerSubjectFoundAgainAndKeptInPostgresAcrossARestart() throws Exception {
        String v1Location;
        try (ConfigurableApplicationContext registry = start()) {
            String base = base(registry);
            HttpResponse<String> v1 = register(base, "orders", ORDERS_V1);
            assertThat(v1.statusCode()).isEqualTo(201);
            assertThat(v1.body()).contains("\"subject\":\"orders\"", "\"version\":1");
            v1Location = v1.headers().firstValue("Location").orElseThrow();
            HttpResponse<String> v2 = register(base, "orders", ORDERS_V2);
            assertThat(v2.body()).contains("\"version\":2");
            assertThat(register(base, "orders", ORDERS_V1).body()).as("the same definition again is the same version")
                    .contains("\"version\":1");

            HttpResponse<String> invalid = register(base, "orders", "{\"type\": \"record\", \"name\": \"Broken\"}");
            assertThat(invalid.statusCode()).isBetween(400, 499);
            assertThat(get(base + "/orders/avro/v9").statusCode()).isEqualTo(404);
        }
        assertThat(TestPostgres.rows("SELECT subject || ':' || version FROM " + SCHEMA + ".schema_repository ORDER BY version"))
                .containsExactly("orders:1", "orders:2");

        try (ConfigurableApplicationContext registry = start()) { // a restart: the schemas come back from PostgreSQL
            String base = base(registry);
            HttpResponse<String> v2 = get(base + "/orders/avro/v2");
            assertThat(v2.statusCode()).isEqualTo(200);
            assertThat(v2.body()).contains("coupon");
            assertThat(get(base + "/orders/avro").body()).contains("\"version\":1", "\"version\":2");
            assertThat(get(v1Location.replaceFirst("^https?://[^/]+", base)).statusCode()).isEqualTo(200);
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SchemaRegistryApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + TestPostgres.jdbcUrl(SCHEMA), "--spring.datasource.username=" + TestPostgres.user(),
                "--spring.datasource.password=" + TestPostgres.password());
    }

    private static String base(ConfigurableApplicationContext registry) {
        return "http://127.0.0.1:" + registry.getEnvironment().getProperty("local.server.port");
    }

    private static HttpResponse<String> register(String base, String subject, String definition) throws Exception {
        String body = "{\"subject\": \"" + subject + "\", \"format\": \"avro\", \"definition\": "
                + com.fasterxml.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(definition) + "}";
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

}
