package io.streamlake.sinks.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamlake.core.alert.Alert;
import io.streamlake.stream.StreamPolls;
import io.streamlake.stream.WriteHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The alert consumer: a poll of alerts through the gate (de-duplication, rate limit; Redis) to the webhook and e-mail
 * channels that are configured; the binder commits the poll's offsets once every alert went out, was suppressed or
 * was refused (DLQ). While a channel or Redis is unavailable the poll is tried again (health {@code alertDelivery}
 * DOWN). Every delivered alert is logged, every suppressed one too, with its subject.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertProperties.class)
public class AlertConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AlertConfiguration.class);

    @Bean(destroyMethod = "close")
    AlertGate alertGate(AlertProperties p) {
        return new AlertGate(p.getRedisUri(), p.getRedisPrefix(), p.getDedupWindow(), p.getRateLimitPerMinute(),
                java.time.Duration.ofSeconds(10));
    }

    @Bean
    WriteHealth alertDelivery(AlertGate gate) {
        return new WriteHealth("alert channels", gate::ping);
    }

    @Bean
    AlertDelivery.Listener alertListener(MeterRegistry meters) {
        return new AlertDelivery.Listener() {
            @Override
            public void delivered(String channel, Alert alert) {
                Counter.builder("streamlake.alerts.delivered").description("alerts a channel took")
                        .tag("channel", channel).tag("kind", alert.kind()).register(meters).increment();
                log.info("alert {} [{}] {} (score {}, reasons {}) sent by {}", alert.subject(), alert.severity(), alert.title(),
                        alert.score(), alert.reasons(), channel);
            }

            @Override
            public void suppressed(String channel, Alert alert, AlertGate.Verdict why) {
                Counter.builder("streamlake.alerts.suppressed").description("alerts held back: duplicate or rate-limited")
                        .tag("channel", channel).tag("reason", why.name().toLowerCase()).register(meters).increment();
                log.info("alert {} [{}] {} not sent by {}: {}", alert.subject(), alert.severity(), alert.title(), channel,
                        why == AlertGate.Verdict.DUPLICATE ? "a duplicate within the de-duplication window" : "over the rate limit");
            }
        };
    }

    @Bean
    public Consumer<Message<List<Object>>> alertSink(AlertProperties p, AlertGate gate, AlertDelivery.Listener alertListener,
                                                     WriteHealth alertDelivery, StreamPolls polls) {
        return polls.sink(new AlertSink(new AlertDelivery<>(gate, channels(p), alertListener, Clock.systemUTC())), alertDelivery);
    }

    /** The channels configured: a webhook with a URL, e-mail with a host. */
    private static List<AlertChannel> channels(AlertProperties p) {
        List<AlertChannel> channels = new ArrayList<>();
        if (!p.getWebhook().getUrl().isBlank()) {
            channels.add(new WebhookChannel(URI.create(p.getWebhook().getUrl()), p.getWebhook().getSecret(), p.getWebhook().getTimeout()));
        }
        AlertProperties.Mail m = p.getMail();
        if (!m.getHost().isBlank()) {
            channels.add(new MailChannel(new MailChannel.Settings(m.getHost(), m.getPort(), m.getSecurity(), m.getUsername(),
                    m.getPassword(), m.getFrom(), m.getTo(), m.getMinSeverity(), m.getTimeout(), m.getTrustHosts())));
        }
        if (channels.isEmpty()) {
            log.warn("alert: neither alert.webhook.url nor alert.mail.host is set; alerts are only logged");
        }
        return channels;
    }

}
