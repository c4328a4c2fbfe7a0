package io.streamlake.stream;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;

/** Gives every StreamLake stream app its {@link RecordMetrics} and {@link DeadLetterPublisher}. */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.cloud.stream.config.BindingServiceConfiguration"})
@EnableConfigurationProperties(DeadLetterProperties.class)
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
}
