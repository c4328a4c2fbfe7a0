package io.streamlake.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo APIs over real HTTP: shapes, paging, the key, the rate limit and injected faults. */
class DemoApisTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private DemoApis apis;

    @AfterEach
    void stop() {
        apis.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(apis.url(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void post(String path, String body) throws Exception {
        http.send(HttpRequest.newBuilder(apis.url(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void usersArePagedDeterministicAndNested() throws Exception {
        apis = DemoApis.start(DemoApis.Settings.defaults());
        JsonNode first = JSON.readTree(get("/api/users?page=1&results=3&seed=abc").body());
        assertThat(first.get("results")).hasSize(3);
        assertThat(first.at("/results/0/name/first").isTextual()).isTrue();
        assertThat(first.at("/results/0/location/street/number").isInt()).isTrue();
        assertThat(first.at("/info/page").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(get("/api/users?page=1&results=3&seed=abc").body())).isEqualTo(first);
        assertThat(JSON.readTree(get("/api/users?page=1&results=3&seed=xyz").body())).isNotEqualTo(first);
        assertThat(JSON.readTree(get("/api/users?page=3334&results=3").body()).get("results")).hasSize(1); // 10,000 in all
        assertThat(JSON.readTree(get("/api/users?page=3335&results=3").body()).get("results")).isEmpty();
        assertThat(get("/api/users?page=x").statusCode()).isEqualTo(400);
    }

    @Test
    void weatherLinksToItsNextPageAndTransactionsGoByCursorWithAKeyAndARateLimit() throws Exception {
        apis = DemoApis.start(DemoApis.Settings.defaults().withApiKey("k3y").withTransactionsPerSecond(2));
        HttpResponse<String> weather = get("/api/weather?city=Oslo&limit=10");
        assertThat(JSON.readTree(weather.body()).get("readings")).hasSize(10);
        assertThat(weather.headers().firstValue("Link")).hasValue("</api/weather?city=Oslo&offset=10&limit=10>; rel=\"next\"");
        assertThat(get("/api/weather?city=Atlantis").statusCode()).isEqualTo(400);

        assertThat(get("/api/transactions?limit=2").statusCode()).isEqualTo(401);
        JsonNode page = JSON.readTree(get("/api/transactions?limit=2", "X-API-Key", "k3y").body());
        assertThat(page.at("/data/0/transaction_id").asText()).isEqualTo("TX-1000000");
        JsonNode next = JSON.readTree(get("/api/transactions?limit=2&cursor=" + page.get("next_cursor").asText(),
                "X-API-Key", "k3y").body());
        assertThat(next.at("/data/0/transaction_id").asText()).isEqualTo("TX-1000002");
        HttpResponse<String> limited = get("/api/transactions?limit=2", "X-API-Key", "k3y");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void faultsAreServedBeforeTheAnswers() throws Exception {
        apis = DemoApis.start(DemoApis.Settings.defaults());
        post("/faults", "{\"path\": \"/api/users\", \"kind\": \"status\", \"status\": 503, \"retry_after\": \"2\", \"times\": 2}");
        post("/faults", "{\"path\": \"/api/users\", \"kind\": \"malformed\"}");
        post("/faults", "{\"path\": \"/api/users\", \"kind\": \"no_records\"}");
        HttpResponse<String> r = get("/api/users");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(get("/api/users").statusCode()).isEqualTo(503);
        assertThat(get("/api/users").body()).startsWith("<html>");
        assertThat(JSON.readTree(get("/api/users").body()).has("results")).isFalse();
        assertThat(JSON.readTree(get("/api/users").body()).get("results")).isNotEmpty();
        assertThat(JSON.readTree(get("/stats").body()).get("/api/users").asInt()).isEqualTo(5);
    }
}
