package io.streamlake.tasks.etl;

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
        return new PagedApiClient(new PagedApiClient.Settings(api.url(), pagination, 2, 1, "data", "next_cursor", "total_pages",
                maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(2), timeout, Duration.ofSeconds(30)), waits::add);
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
}
