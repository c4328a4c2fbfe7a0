package io.streamlake.serving;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamlake.features.redis.FeastRedisWriter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Feast's feature-server endpoints: {@code POST /get-online-features}, {@code POST /push},
 * {@code POST /write-to-online-store}; and {@code GET /features/views}. All take the API key when one is set.
 */
@RestController
public class FeatureServerController {

    private final OnlineFeaturesHandler handler;
    private final OnlineStoreWrites writes;
    private final FeatureViewsListing views;
    private final FeatureServerProperties properties;
    private final Timer latency;

    public FeatureServerController(OnlineFeaturesHandler handler, OnlineStoreWrites writes, FeatureViewsListing views,
                                   FeatureServerProperties properties, MeterRegistry meters) {
        this.handler = handler;
        this.writes = writes;
        this.views = views;
        this.properties = properties;
        this.latency = Timer.builder("feature_server.get_online_features").description("lookup latency")
                .publishPercentileHistogram().register(meters);
    }

    @PostMapping(value = "/get-online-features", consumes = "application/json", produces = "application/json")
    public ResponseEntity<JsonNode> getOnlineFeatures(@RequestBody(required = false) JsonNode request,
                                                      @RequestHeader(value = "X-API-Key", required = false) String apiKey,
                                                      @RequestHeader(value = "Authorization", required = false) String authorization) {
        requireApiKey(apiKey, authorization);
        return ResponseEntity.ok(latency.record(() -> handler.handle(request)));
    }

    @PostMapping(value = "/push", consumes = "application/json", produces = "application/json")
    public ResponseEntity<JsonNode> push(@RequestBody(required = false) JsonNode request,
                                         @RequestHeader(value = "X-API-Key", required = false) String apiKey,
                                         @RequestHeader(value = "Authorization", required = false) String authorization) {
        requireApiKey(apiKey, authorization);
        return ResponseEntity.ok(writes.push(request));
    }

    @PostMapping(value = "/write-to-online-store", consumes = "application/json", produces = "application/json")
    public ResponseEntity<JsonNode> writeToOnlineStore(@RequestBody(required = false) JsonNode request,
                                                       @RequestHeader(value = "X-API-Key", required = false) String apiKey,
                                                       @RequestHeader(value = "Authorization", required = false) String authorization) {
        requireApiKey(apiKey, authorization);
        return ResponseEntity.ok(writes.writeToOnlineStore(request));
    }

    @GetMapping(value = "/features/views", produces = "application/json")
    public ResponseEntity<JsonNode> featureViews(@RequestHeader(value = "X-API-Key", required = false) String apiKey,
                                                 @RequestHeader(value = "Authorization", required = false) String authorization) {
        requireApiKey(apiKey, authorization);
        return ResponseEntity.ok(views.list());
    }

    private void requireApiKey(String apiKey, String authorization) {
        String expected = properties.getApiKey();
        if (expected == null || expected.isBlank()) {
            return;
        }
        String given = apiKey != null ? apiKey
                : authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw new OnlineFeaturesHandler.RequestException(401, "a valid API key is required (X-API-Key or Authorization: Bearer)");
        }
    }

    @ExceptionHandler(OnlineFeaturesHandler.RequestException.class)
    ResponseEntity<Map<String, Object>> refused(OnlineFeaturesHandler.RequestException e) {
        return ResponseEntity.status(e.status()).body(Map.of("status", e.status(), "error", e.getMessage()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return ResponseEntity.badRequest().body(Map.of("status", 400, "error", "the body is not valid JSON"));
    }

    @ExceptionHandler(FeastRedisWriter.RedisUnavailableException.class)
    ResponseEntity<Map<String, Object>> unavailable(FeastRedisWriter.RedisUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", 503, "error", "the online store is unavailable: " + e.getMessage()));
    }
}
