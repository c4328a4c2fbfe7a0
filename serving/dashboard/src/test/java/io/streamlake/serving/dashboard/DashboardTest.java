package io.streamlake.serving.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import io.streamlake.testsupport.TestClickHouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The dashboard over HTTP against the per-minute view in the embedded ClickHouse: the login (a wrong password refused,
 * CSRF required), the live API's numbers against the rows written here, its 400s, and the page with its vendored chart
 * library.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardTest {

    static final String DATABASE = views();
    static final String PASSWORD = "correct horse battery staple";

    @LocalServerPort
    int port;

    /** The clickhouse sink's per-minute table (its DDL), with rows in two parts per key, as its view writes them. */
    static String views() {
        String db = TestClickHouse.createDatabase("dashboard");
        TestClickHouse.shared().query(db, "CREATE TABLE casino_events_game_minute (minute DateTime('UTC'),"
                + " game_type LowCardinality(String), game_id LowCardinality(String), currency LowCardinality(String), bets UInt64,"
                + " wins UInt64, bet_amount Decimal(38, 2), win_amount Decimal(38, 2), bonus_amount Decimal(38, 2),"
                + " ggr Decimal(38, 2)) ENGINE = SummingMergeTree PARTITION BY toYYYYMM(minute)"
                + " ORDER BY (minute, game_type, game_id, currency)");
        String m5 = "toStartOfMinute(now()) - INTERVAL 5 MINUTE";
        String m2 = "toStartOfMinute(now()) - INTERVAL 2 MINUTE";
        String old = "toStartOfMinute(now()) - INTERVAL 3 HOUR";
        for (String values : new String[] {
                "(" + m5 + ", 'slots', 'slots-1', 'EUR', 10, 3, 100, 60, 0, 40), (" + m5 + ", 'roulette', 'roulette-1', 'EUR', 4, 1, 40, 30, 2, 8)",
                "(" + m5 + ", 'slots', 'slots-2', 'GBP', 5, 1, 50, 70, 0, -20), (" + m2 + ", 'slots', 'slots-1', 'EUR', 7, 2, 70, 10, 1, 59)",
                "(" + m5 + ", 'slots', 'slots-1', 'EUR', 1, 0, 9.5, 0, 0, 9.5)", // the same key again: summed
                "(" + old + ", 'slots', 'slots-1', 'EUR', 1000, 0, 1000, 0, 0, 1000)"}) { // outside an hour
            TestClickHouse.shared().query(db, "INSERT INTO casino_events_game_minute VALUES " + values);
        }
        return db;
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("dashboard.clickhouse-url", () -> TestClickHouse.jdbcUrl(DATABASE));
        registry.add("dashboard.users[0].name", () -> "viewer");
        registry.add("dashboard.users[0].password-hash", () -> "{bcrypt}" + new BCryptPasswordEncoder().encode(PASSWORD));
    }

    @AfterAll
    static void drop() {
        TestClickHouse.shared().query("DROP DATABASE IF EXISTS " + DATABASE);
    }

    private final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** As a browser asks: pages for HTML, the API (paths under /api) for JSON. */
    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", path.startsWith("/api/") ? "application/json" : "text/html,*/*;q=0.8").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return browser.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html,*/*;q=0.8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The login form's CSRF token. */
    private String csrf() throws Exception {
        HttpResponse<String> page = get("/login");
        assertThat(page.statusCode()).isEqualTo(200);
        Matcher m = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as("a CSRF token in the login form").isTrue();
        return m.group(1);
    }

    private HttpResponse<String> login(String password) throws Exception {
        Map<String, String> form = new HashMap<>(Map.of("username", "viewer", "password", password, "_csrf", csrf()));
        return post("/login", form);
    }

    @Test
    void aWrongPasswordOrAMissingCsrfTokenIsRefusedAndNothingIsShownWithoutALogin() throws Exception {
        assertThat(get("/api/live/ggr").statusCode()).isEqualTo(401);
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");

        HttpResponse<String> wrong = login("not the password");
        assertThat(wrong.statusCode()).isEqualTo(302);
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        assertThat(get("/api/live/ggr").statusCode()).isEqualTo(401);

        // the right password without the form's CSRF token: refused (back to the login), still not logged in
        HttpResponse<String> noToken = post("/login", Map.of("username", "viewer", "password", PASSWORD));
        assertThat(noToken.statusCode()).isEqualTo(302);
        assertThat(noToken.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        assertThat(get("/api/live/ggr").statusCode()).isEqualTo(401);
    }

    @Test
    void theLiveNumbersAreTheViewsSumsPerGameTypeAndMinute() throws Exception {
        HttpResponse<String> ok = login(PASSWORD);
        assertThat(ok.statusCode()).isEqualTo(302);
        assertThat(ok.headers().firstValue("Location").orElseThrow()).doesNotContain("error");

        JsonNode live = Json.mapper().readTree(get("/api/live/ggr?minutes=60").body());
        assertThat(live.get("times")).hasSize(2); // the two minutes with rows within the hour
        assertThat(live.get("times").get(1).asLong() - live.get("times").get(0).asLong()).isEqualTo(180);
        JsonNode slots = live.get("game_types").get("slots");
        // minute -5: 10 + 5 + 1 bets, 40 - 20 + 9.5 GGR over two games and currencies; minute -2: 7 bets, 59
        assertThat(slots.get("bets")).extracting(JsonNode::asLong).containsExactly(16L, 7L);
        assertThat(slots.get("ggr").get(0).asDouble()).isCloseTo(29.5, within(1e-9));
        assertThat(slots.get("ggr").get(1).asDouble()).isCloseTo(59, within(1e-9));
        JsonNode roulette = live.get("game_types").get("roulette");
        assertThat(roulette.get("bets")).extracting(JsonNode::asLong).containsExactly(4L, 0L); // no row in minute -2
        assertThat(roulette.get("ggr").get(0).asDouble()).isCloseTo(8, within(1e-9));
        // a day's range takes in the row from three hours ago
        JsonNode day = Json.mapper().readTree(get("/api/live/ggr?minutes=1440").body());
        assertThat(day.get("times")).hasSize(3);
        assertThat(day.at("/game_types/slots/bets/0").asLong()).isEqualTo(1000);

        HttpResponse<String> zero = get("/api/live/ggr?minutes=0");
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(zero.body()).contains("minutes must be 1 to 1440");
        assertThat(get("/api/live/ggr?minutes=abc").statusCode()).isEqualTo(400);
        assertThat(get("/api/live/ggr?minutes=100000").statusCode()).isEqualTo(400);

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/vendor/uplot/uPlot.iife.min.js").doesNotContain("https://").doesNotContain("http://");
        HttpResponse<String> library = get("/vendor/uplot/uPlot.iife.min.js");
        assertThat(library.statusCode()).isEqualTo(200);
        assertThat(library.body()).contains("uPlot");
    }
}
