package io.streamlake.processors.aggregator;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why the windows survive restarts and rebalances: when partitions are assigned, the consumer is moved back to
 * the first record produced within the replay window (24 h plus grace) before the committed offset, and records
 * before the committed offset are replayed into the windows without emitting anything. Kafka itself is the state
 * store; there is no changelog topic to keep in step. The price is the replay time at start, and the input topic
 * must retain at least the replay window.
 */
public final class WindowReplay implements KafkaBindingRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(WindowReplay.class);

    private final Duration window;
    private final Clock clock;
    private final Map<TopicPartition, Long> restoreUntil = new ConcurrentHashMap<>();

    public WindowReplay(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    @Override
    public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
                                     boolean initial) {
        Set<TopicPartition> assigned = new HashSet<>(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
        Map<TopicPartition, Long> since = new HashMap<>();
        for (TopicPartition tp : assigned) {
            OffsetAndMetadata c = committed.get(tp);
            if (c != null && c.offset() > 0) {
                since.put(tp, clock.millis() - window.toMillis());
            }
        }
        if (since.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(since);
        for (TopicPartition tp : since.keySet()) {
            long until = committed.get(tp).offset();
            OffsetAndTimestamp start = starts.get(tp);
            if (start != null && start.offset() < until) {
                restoreUntil.put(tp, until);
                consumer.seek(tp, start.offset());
                log.info("replaying {} from offset {} to {} to rebuild its windows", tp, start.offset(), until);
            }
        }
    }

    /** True for a record that is being replayed into the windows only (before the committed offset). */
    public boolean isReplay(String topic, int partition, long offset) {
        Long until = restoreUntil.get(new TopicPartition(topic, partition));
        if (until == null) {
            return false;
        }
        if (offset >= until) {
            restoreUntil.remove(new TopicPartition(topic, partition));
            return false;
        }
        return true;
    }
}
