package io.streamlake.stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;

/**
 * Gives every StreamLake stream app its {@link RecordMetrics}, {@link DeadLetterPublisher} and the per-poll skeleton
 * ({@link StreamPolls}) with the sinks' shared {@link RetryLoop}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.cloud.stream.config.BindingServiceConfiguration"})
@EnableConfigurationProperties({DeadLetterProperties.class, SinkRetryProperties.class})
public class StreamAppAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RecordMetrics recordMetrics(MeterRegistry registry, @Value("${spring.application.name:streamlake-app}") String app) {
        return new RecordMetrics(registry, app);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(StreamBridge.class)
    public DeadLetterPublisher deadLetterPublisher(StreamBridge bridge, DeadLetterProperties properties,
                                                   RecordMetrics metrics,
                                                   @Value("${spring.application.name:streamlake-app}") String app) {
        return new DeadLetterPublisher(bridge, properties, metrics, app);
    }

    @Bean
    @ConditionalOnMissingBean
    public RetryLoop sinkRetryLoop(SinkRetryProperties properties) {
        return new RetryLoop(properties.getInitialBackoff(), properties.getMaxBackoff());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(StreamBridge.class)
    public StreamPolls streamPolls(DeadLetterPublisher dlq, RecordMetrics metrics, RetryLoop retry) {
        return new StreamPolls(dlq, metrics, retry);
    }
}
