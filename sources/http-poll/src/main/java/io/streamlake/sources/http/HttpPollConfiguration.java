package io.streamlake.sources.http;

import io.lettuce.core.RedisURI;
import io.streamlake.common.http.PagedApiClient;
import io.streamlake.core.event.RejectionReason;
import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.RecordMetrics;
import io.streamlake.stream.SourceShutdown;
import io.streamlake.stream.WriteHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.integration.redis.metadata.RedisMetadataStore;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The http-poll supplier: every {@code fixed-delay}, the API's new records, one message each (keyed by the key field,
 * with the page's URL in {@code x-source-url}); the high-water mark moves once Kafka acknowledged a page's records
 * (the binder's producer listener, {@link PageAcks}). A body that is not JSON goes to the DLQ with the URL and reason; an API that
 * refuses (4xx) or stays unreachable after the retries turns the {@code api} health DOWN until a poll succeeds.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HttpPollProperties.class)
public class HttpPollConfiguration {

    private static final Logger log = LoggerFactory.getLogger(HttpPollConfiguration.class);
    /** The page's URL on each record; the acknowledgements find their page by it too ({@link PageAcks}). */
    static final String URL_HEADER = "x-source-url";

    @Bean
    LettuceConnectionFactory httpPollRedis(HttpPollProperties p) {
        RedisURI uri = RedisURI.create(p.getRedisUri());
        RedisStandaloneConfiguration c = new RedisStandaloneConfiguration(uri.getHost(), uri.getPort());
        c.setDatabase(uri.getDatabase());
        if (uri.getPassword() != null) {
            c.setPassword(uri.getPassword());
        }
        if (uri.getUsername() != null) {
            c.setUsername(uri.getUsername());
        }
        return new LettuceConnectionFactory(c);
    }

    @Bean
    RedisMetadataStore httpPollMarks(LettuceConnectionFactory redis) {
        return new RedisMetadataStore(redis, "streamlake-http-poll-marks");
    }

    @Bean
    HttpPoller httpPoller(HttpPollProperties p, RedisMetadataStore marks) {
        p.settings(null); // the URL, the credentials and the pagination checked at start
        log.info("Polling {} every {} ({} pagination, resume by {}), marks in {}", p.settings(null).url(), p.getFixedDelay(),
                p.getPagination(), p.getResume(), RedisURI.create(p.getRedisUri()).toString());
        return new HttpPoller(mark -> new PagedApiClient(p.settings(mark)), marks, p.getName(), p.getResume(),
                p.getMarkField(), p.getKeyField(), p.getMaxPagesPerPoll(), p.getFields());
    }

    /** Up while the API answers; DOWN, with the reason, after a poll it refused or did not answer. */
    @Bean
    WriteHealth api() {
        return new WriteHealth("API", () -> true);
    }

    @Bean
    SourceShutdown httpPollShutdown() {
        return new SourceShutdown();
    }

    /** The binder's producer listener (it takes the context's): Kafka's acknowledgements move the marks. */
    @Bean
    PageAcks httpPollAcks(Environment env) {
        List<String> patterns = Binder.get(env).bind("spring.cloud.stream.kafka.bindings.output.producer.header-patterns",
                Bindable.listOf(String.class)).orElse(List.of());
        if (!patterns.isEmpty() && !patterns.contains(URL_HEADER) && !patterns.contains("*")) {
            throw new IllegalStateException("the output's header-patterns must keep " + URL_HEADER
                    + ": Kafka's acknowledgements find their page by it (the high-water mark would never move)");
        }
        return new PageAcks(URL_HEADER);
    }

    @Bean
    public Supplier<Flux<Message<byte[]>>> httpPoll(HttpPoller poller, HttpPollProperties p, PageAcks acks, WriteHealth api,
                                                    RecordMetrics metrics, DeadLetterPublisher dlq,
                                                    SourceShutdown shutdown) {
        return () -> Flux.<Message<byte[]>>create(sink -> {
            while (!sink.isCancelled() && !shutdown.stopping()) {
                try {
                    try (HttpPoller.Poll poll = poller.poll()) {
                        for (HttpPoller.Page next : poll) {
                            // a page is sent whole (its mark moves only then); a stop waits for the page, not the poll
                            send(sink, next, acks, metrics);
                            if (shutdown.stopping()) {
                                break;
                            }
                        }
                        api.succeeded();
                    } catch (PagedApiClient.UnreadableResponseException e) {
                        // the API answered, with something that is not the records: to the DLQ, and again next poll
                        dlq.reject(new DeadLetterPublisher.Provenance(e.uri().toString(), null, null, null),
                                e.body() == null ? new byte[0] : e.body().getBytes(StandardCharsets.UTF_8),
                                RejectionReason.MALFORMED_JSON, e.getMessage() + " (HTTP " + e.status() + ")", e);
                        api.succeeded();
                    } catch (PagedApiClient.ApiFailedException e) {
                        log.warn("poll stopped: {}", e.getMessage());
                        api.failed(e);
                    }
                    if (!acks.awaitAll(shutdown.stopping() ? java.time.Duration.ofSeconds(3) : p.getAckTimeout())) {
                        log.warn("Kafka did not acknowledge the poll's records within {}: the mark stays where it was",
                                p.getAckTimeout());
                        acks.abandon();
                    }
                    for (long waited = 0; waited < p.getFixedDelay().toMillis() && !shutdown.stopping(); waited += 50) {
                        Thread.sleep(Math.min(50, p.getFixedDelay().toMillis() - waited)); // checks for a stop meanwhile
                    }
                } catch (InterruptedException stopping) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException unexpected) {
                    log.error("poll failed", unexpected);
                    api.failed(unexpected);
                }
            }
            sink.complete();
            shutdown.generatorDone();
        }).subscribeOn(Schedulers.newSingle("http-poll"));
    }

    private static void send(FluxSink<Message<byte[]>> sink, HttpPoller.Page page, PageAcks acks, RecordMetrics metrics) {
        byte[] url = page.url().getBytes(StandardCharsets.UTF_8); // one array per page: its records' acks find it
        acks.sending(url, page.records().size(), page::commit);
        for (HttpPoller.Record r : page.records()) {
            MessageBuilder<byte[]> m = MessageBuilder.withPayload(r.json()).setHeader(URL_HEADER, url);
            if (r.key() != null) {
                m.setHeader(KafkaHeaders.KEY, r.key());
            }
            sink.next(m.build());
        }
        metrics.out(page.records().size());
    }
}
