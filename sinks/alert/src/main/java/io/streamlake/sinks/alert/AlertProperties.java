package io.streamlake.sinks.alert;

import io.streamlake.core.alert.Alert;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Settings of the alert sink. Secrets (the webhook secret, the SMTP password) belong in the environment. */
@ConfigurationProperties("alert")
public class AlertProperties {

    /** Alerts about the same subject (kind and key, e.g. one customer) within this window after the first are suppressed; 0 sends every one. */
    private Duration dedupWindow = Duration.ofMinutes(10);

    /** At most this many alerts a minute per channel; the rest of that minute's are suppressed (counted, logged); 0: no limit. */
    private int rateLimitPerMinute = 30;

    /** Redis keeping the de-duplication and rate-limit state (shared by instances, kept through restarts). */
    private String redisUri = "redis://127.0.0.1:6379";

    /** Prefix of the sink's Redis keys (one per deployment when several share a Redis). */
    private String redisPrefix = "streamlake:alert:";

    /** Most alerts per Kafka poll (max.poll.records). */
    private int batchSize = 100;

    /** The webhook channel. */
    private final Webhook webhook = new Webhook();

    /** The e-mail channel. */
    private final Mail mail = new Mail();

    /** Alerts as HTTP POSTs of their JSON. */
    public static class Webhook {
        /** URL alerts are POSTed to; empty: no webhook. */
        private String url = "";

        /** Shared secret the requests are signed with (HMAC-SHA256 in X-StreamLake-Signature); from the environment (ALERT_WEBHOOK_SECRET); empty: unsigned. */
        private String secret = "";

        /** Time limit of one request (and of connecting). */
        private Duration timeout = Duration.ofSeconds(10);

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getSecret() { return secret; }
        public void setSecret(String secret) { this.secret = secret; }
        public Duration getTimeout() { return timeout; }
        public void setTimeout(Duration timeout) { this.timeout = timeout; }
    }

    /** Alerts as e-mails over SMTP. */
    public static class Mail {
        /** SMTP server; empty: no e-mail. */
        private String host = "";

        /** SMTP port (587 for STARTTLS, 465 for TLS, 25 for NONE, usually). */
        private int port = 587;

        /** NONE, STARTTLS (required, not merely tried) or TLS (from the first byte). */
        private MailChannel.Security security = MailChannel.Security.STARTTLS;

        /** SMTP user; empty: no authentication. */
        private String username = "";

        /** SMTP password; from the environment (ALERT_MAIL_PASSWORD). */
        private String password = "";

        /** Hosts whose certificate is trusted without a CA chain (e.g. a self-signed test server), space separated; empty: the JDK's trust store. */
        private String trustHosts = "";

        /** Sender address. */
        private String from = "streamlake-alerts@localhost";

        /** Recipients. */
        private List<String> to = new ArrayList<>();

        /** Alerts from this severity up are mailed (INFO, WARNING, CRITICAL). */
        private Alert.Severity minSeverity = Alert.Severity.WARNING;

        /** Time limit of connecting, reading and writing. */
        private Duration timeout = Duration.ofSeconds(10);

        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public MailChannel.Security getSecurity() { return security; }
        public void setSecurity(MailChannel.Security security) { this.security = security; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public String getTrustHosts() { return trustHosts; }
        public void setTrustHosts(String trustHosts) { this.trustHosts = trustHosts; }
        public String getFrom() { return from; }
        public void setFrom(String from) { this.from = from; }
        public List<String> getTo() { return to; }
        public void setTo(List<String> to) { this.to = to; }
        public Alert.Severity getMinSeverity() { return minSeverity; }
        public void setMinSeverity(Alert.Severity minSeverity) { this.minSeverity = minSeverity; }
        public Duration getTimeout() { return timeout; }
        public void setTimeout(Duration timeout) { this.timeout = timeout; }
    }

    public Duration getDedupWindow() { return dedupWindow; }
    public void setDedupWindow(Duration dedupWindow) { this.dedupWindow = dedupWindow; }
    public int getRateLimitPerMinute() { return rateLimitPerMinute; }
    public void setRateLimitPerMinute(int rateLimitPerMinute) { this.rateLimitPerMinute = rateLimitPerMinute; }
    public String getRedisUri() { return redisUri; }
    public void setRedisUri(String redisUri) { this.redisUri = redisUri; }
    public String getRedisPrefix() { return redisPrefix; }
    public void setRedisPrefix(String redisPrefix) { this.redisPrefix = redisPrefix; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
    public Webhook getWebhook() { return webhook; }
    public Mail getMail() { return mail; }
}
