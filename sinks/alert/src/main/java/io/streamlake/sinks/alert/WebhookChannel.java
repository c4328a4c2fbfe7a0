package io.streamlake.sinks.alert;

import io.streamlake.core.alert.Alert;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Alerts as HTTP POSTs of their JSON. With a shared secret, each request is signed the way Stripe and GitHub
 * webhooks are: {@code X-StreamLake-Timestamp} (epoch seconds) and {@code X-StreamLake-Signature: sha256=<hex>}, the
 * HMAC-SHA256 of {@code <timestamp>.<body>} under the secret, so a receiver can check the sender and refuse replays
 * of old requests. {@code X-StreamLake-Alert-Id} lets it drop a redelivery (after a crash an alert may come twice).
 * 2xx is delivered; 408, 429, 5xx, timeouts and connection errors are tried again; any other status is a refusal.
 */
final class WebhookChannel implements AlertChannel {

    static final String SIGNATURE = "X-StreamLake-Signature";
    static final String TIMESTAMP = "X-StreamLake-Timestamp";
    static final String ALERT_ID = "X-StreamLake-Alert-Id";

    private final URI url;
    private final byte[] secret;
    private final Duration timeout;
    private final HttpClient http;

    WebhookChannel(URI url, String secret, Duration timeout) {
        this.url = url;
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public boolean wants(Alert alert) {
        return true;
    }

    /** The signature of {@code body} sent at {@code timestamp}: what a receiver recomputes. */
    static String signature(byte[] secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public void send(Alert alert) throws Unavailable, Refused {
        byte[] body = alert.toJson();
        long now = Instant.now().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header(ALERT_ID, alert.alertId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            request.header(TIMESTAMP, Long.toString(now)).header(SIGNATURE, signature(secret, now, body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unavailable("webhook " + url + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while posting to " + url, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        String answer = "webhook " + url + " answered HTTP " + status + abbreviate(response.body());
        if (status == 408 || status == 429 || status >= 500) {
            throw new Unavailable(answer, null);
        }
        throw new Refused(answer, null);
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip();
        return ": " + (b.length() > 200 ? b.substring(0, 200) + "..." : b);
    }
}
