package io.streamlake.common.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API client against a real local HTTP server: both paginations, rate limits, retries and the retry budget. */
class PagedApiClientTest {

    private final List<Duration> waits = new ArrayList<>();

    private PagedApiClient client(FixtureApi api, PagedApiClient.Pagination pagination, int maxAttempts, Duration timeout) {
        return new PagedApiClient(PagedApiClient.Settings.builder(api.url()).pagination(pagination).pageSize(2).firstPage(1)
                .maxAttempts(maxAttempts).initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(2))
                .timeout(timeout).maxRetryAfter(Duration.ofSeconds(30)).build(), waits::add);
    }

    private static List<String> readAll(PagedApiClient client) {
        List<String> ids = new ArrayList<>();
        String token = client.firstToken();
        while (token != null) {
            PagedApiClient.Page page = client.fetch(token);
            page.items().forEach(i -> ids.add(i.get("id").asText()));
            token = page.nextToken();
        }
        return ids;
    }

    @Test
    void pageNumbersUntilTheLastPage() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of(
                "1", "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"total_pages\":2}",
                "2", "{\"data\":[{\"id\":\"c\"}],\"total_pages\":2}"))) {
            assertThat(readAll(client(api, PagedApiClient.Pagination.PAGE, 3, Duration.ofSeconds(5)))).containsExactly("a", "b", "c");
            assertThat(api.requests).containsExactly("page=1&size=2", "page=2&size=2");
        }
    }

    @Test
    void recordsAreKeptAsTheBytesTheApiSentOnlyWhenAsked() throws Exception {
        String first = "{ \"id\" : \"a\",\n  \"name\": \"Ann \\u00e9\" }";
        try (FixtureApi api = new FixtureApi(Map.of("1", "{\"meta\": {\"x\": [1, {\"y\": 2}]}, \"data\": [" + first
                + ", 7, {\"id\":\"b\"}], \"total_pages\": 1}"))) {
            PagedApiClient.Page kept = new PagedApiClient(PagedApiClient.Settings.builder(api.url()).pageSize(3)
                    .keepRecordBytes(true).build()).fetch("1");
            assertThat(kept.raw()).hasSize(3);
            assertThat(new String(kept.raw().get(0), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(first);
            assertThat(kept.raw().get(1)).as("not an object").isNull();
            assertThat(new String(kept.raw().get(2), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"b\"}");
            assertThat(kept.items().get(0).get("name").asText()).isEqualTo("Ann \u00e9");
            assertThat(kept.items()).hasSize(3);

            PagedApiClient.Page plain = new PagedApiClient(PagedApiClient.Settings.builder(api.url()).pageSize(3).build()).fetch("1");
            assertThat(plain.items()).isEqualTo(kept.items());
            assertThat(plain.raw()).hasSize(3).containsOnlyNulls();
        }
    }

    @Test
    void pageNumbersWithoutACountStopAtAnEmptyPage() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of(
                "1", "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}]}", "2", "{\"data\":[]}"))) {
            assertThat(readAll(client(api, PagedApiClient.Pagination.PAGE, 3, Duration.ofSeconds(5)))).containsExactly("a", "b");
        }
    }

    @Test
    void cursorsUntilNoNextCursor() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of(
                "", "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"next_cursor\":\"k/2+\"}",
                "k/2+", "{\"data\":[{\"id\":\"c\"}],\"next_cursor\":null}"))) {
            assertThat(readAll(client(api, PagedApiClient.Pagination.CURSOR, 3, Duration.ofSeconds(5)))).containsExactly("a", "b", "c");
            assertThat(api.requests).containsExactly("limit=2", "limit=2&cursor=k%2F2%2B");
        }
    }

    @Test
    void waitsAsToldOn429AndBacksOffOn5xxAndTimeouts() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of("1", "{\"data\":[{\"id\":\"a\"}],\"total_pages\":1}"))) {
            api.fail(new FixtureApi.Fault(429, "7", 0), FixtureApi.Fault.status(503), new FixtureApi.Fault(200, null, 1500),
                    FixtureApi.Fault.status(500));
            assertThat(readAll(client(api, PagedApiClient.Pagination.PAGE, 5, Duration.ofMillis(500)))).containsExactly("a");
            assertThat(api.requests).hasSize(5);
            assertThat(waits).hasSize(4);
            assertThat(waits.get(0)).isEqualTo(Duration.ofSeconds(7)); // Retry-After honoured
            assertThat(waits.subList(1, 4)).allSatisfy(w -> assertThat(w).isBetween(Duration.ofMillis(50), Duration.ofSeconds(2)));
        }
    }

    @Test
    void failsClearlyWhenTheRetryBudgetIsSpent() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of("1", "{\"data\":[]}"))) {
            api.fail(FixtureApi.Fault.status(502), FixtureApi.Fault.status(502), FixtureApi.Fault.status(502));
            assertThatThrownBy(() -> client(api, PagedApiClient.Pagination.PAGE, 3, Duration.ofSeconds(5)).fetch("1"))
                    .isInstanceOf(PagedApiClient.ApiFailedException.class)
                    .hasMessageContaining("failed 3 times").hasMessageContaining("HTTP 502").hasMessageContaining("page=1");
            assertThat(api.requests).hasSize(3);
        }
    }

    @Test
    void otherClientErrorsAreNotRetried() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of())) {
            assertThatThrownBy(() -> client(api, PagedApiClient.Pagination.PAGE, 5, Duration.ofSeconds(5)).fetch("1"))
                    .isInstanceOf(PagedApiClient.ApiFailedException.class).hasMessageContaining("HTTP 404 (not retried)");
            assertThat(api.requests).hasSize(1);
        }
    }

    private static List<String> readAll(PagedApiClient.Settings settings, List<Duration> waits) {
        return readAll(new PagedApiClient(settings, waits::add));
    }

    @Test
    void offsetAndLimitUntilAShortPage() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of("0", "{\"data\":[{\"id\":\"a\"},{\"id\":\"b\"}]}",
                "2", "{\"data\":[{\"id\":\"c\"}]}"))) {
            assertThat(readAll(PagedApiClient.Settings.builder(api.url()).pagination(PagedApiClient.Pagination.OFFSET)
                    .pageSize(2).build(), waits)).containsExactly("a", "b", "c");
            assertThat(api.requests).containsExactly("offset=0&limit=2", "offset=2&limit=2");
        }
    }

    @Test
    void theLinkHeaderLeadsToTheNextPage() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of("", "{\"data\":[{\"id\":\"a\"}]}", "2", "{\"data\":[{\"id\":\"b\"}]}"))) {
            api.link("", "/customers?page=2&limit=1");
            assertThat(readAll(PagedApiClient.Settings.builder(api.url()).pagination(PagedApiClient.Pagination.LINK)
                    .pageSize(1).build(), waits)).containsExactly("a", "b");
            assertThat(api.requests).containsExactly("limit=1", "page=2&limit=1");
        }
    }

    @Test
    void recordsAtAPointerAndBodiesThatAreNotJson() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of("", "{\"response\":{\"results\":[{\"id\":\"a\"}]}}",
                "2", "<html>maintenance</html>"))) {
            PagedApiClient client = new PagedApiClient(PagedApiClient.Settings.builder(api.url())
                    .pagination(PagedApiClient.Pagination.NONE).itemsPath("/response/results").build(), waits::add);
            assertThat(client.fetch(client.firstToken()).items()).extracting(n -> n.get("id").asText()).containsExactly("a");
            PagedApiClient paged = client(api, PagedApiClient.Pagination.PAGE, 2, Duration.ofSeconds(5));
            assertThatThrownBy(() -> paged.fetch("2")).isInstanceOfSatisfying(PagedApiClient.UnreadableResponseException.class,
                    e -> {
                        assertThat(e.body()).isEqualTo("<html>maintenance</html>");
                        assertThat(e.status()).isEqualTo(200);
                        assertThat(e.uri().toString()).endsWith("/customers?page=2&size=2");
                    }).hasMessageContaining("not JSON");
            assertThat(api.requests).hasSize(2); // not retried: the answer was there, and it was wrong
        }
    }

    @Test
    void credentialsAreSentAndNeverShown() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of("1", "{\"data\":[]}"))) {
            PagedApiClient.Builder base = PagedApiClient.Settings.builder(api.url()).maxAttempts(1);
            new PagedApiClient(base.auth(new PagedApiClient.Auth(PagedApiClient.AuthKind.BEARER, null, "t0ken")).build()).fetch("1");
            new PagedApiClient(base.auth(new PagedApiClient.Auth(PagedApiClient.AuthKind.BASIC, "ann", "pw")).build()).fetch("1");
            assertThat(api.authorizations).containsExactly("Bearer t0ken", "Basic YW5uOnB3");
            PagedApiClient keyed = new PagedApiClient(base.auth(new PagedApiClient.Auth(PagedApiClient.AuthKind.API_KEY_QUERY,
                    "api_key", "s3cret")).build());
            assertThatThrownBy(() -> keyed.fetch("9")).isInstanceOfSatisfying(PagedApiClient.ApiFailedException.class, e -> {
                assertThat(e.getMessage()).contains("api_key=***").doesNotContain("s3cret");
                assertThat(e.uri().toString()).doesNotContain("s3cret");
                assertThat(e.status()).isEqualTo(404);
            });
            assertThat(api.requests.get(api.requests.size() - 1)).isEqualTo("page=9&size=100&api_key=s3cret");
            assertThat(base.build().auth().toString()).doesNotContain("s3cret");
        }
    }

    @Test
    void aRateLimitSpacesTheRequests() throws Exception {
        try (FixtureApi api = new FixtureApi(Map.of("1", "{\"data\":[{\"id\":\"a\"}],\"total_pages\":3}",
                "2", "{\"data\":[{\"id\":\"b\"}],\"total_pages\":3}", "3", "{\"data\":[{\"id\":\"c\"}],\"total_pages\":3}"))) {
            assertThat(readAll(PagedApiClient.Settings.builder(api.url()).pageSize(1).requestsPerSecond(5).build(), waits))
                    .containsExactly("a", "b", "c");
            // at 5 requests/s, requests are due 200 ms apart; the test's sleeper only counts, so the second request is
            // told to wait for the rest of 200 ms and the third for the rest of 400 ms
            assertThat(waits).hasSize(2);
            assertThat(waits.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(waits.get(1)).isBetween(Duration.ofMillis(300), Duration.ofMillis(400));
        }
    }
}
