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
 * <p>A partition assigned again to the same process (a rebalance that gives it back, as when another consumer joins
 * and leaves) is not replayed when this process processed it exactly up to the committed offset: its windows are
 * already in memory, and replaying would count those records twice.
 */
public final class WindowReplay implements KafkaBindingRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(WindowReplay.class);

    private final Duration window;
    private final Clock clock;
    /** Per partition: replay below {@code restoreUntil}; {@code next} is the offset after the last record processed here. */
    private final Map<TopicPartition, Progress> progress = new ConcurrentHashMap<>();

    private static final class Progress {
        volatile long restoreUntil = -1;
        volatile long next = -1;
    }

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
            Progress held = progress.get(tp);
            if (held != null && c != null && held.next == c.offset()) {
                log.info("{} assigned again at offset {}: its windows are in memory up to there, nothing to replay", tp, c.offset());
            } else if (c != null && c.offset() > 0) {
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
                progress.computeIfAbsent(tp, k -> new Progress()).restoreUntil = until;
                consumer.seek(tp, start.offset());
                log.info("replaying {} from offset {} to {} to rebuild its windows", tp, start.offset(), until);
            }
        }
    }

    /**
     * True for a record that is being replayed into the windows only (before the committed offset); any other record is
     * noted as processed here.
     */
    public boolean isReplay(String topic, int partition, long offset) {
        Progress p = progress.computeIfAbsent(new TopicPartition(topic, partition), k -> new Progress());
        if (offset < p.restoreUntil) {
            return true;
        }
        p.next = offset + 1;
        return false;
    }
}
