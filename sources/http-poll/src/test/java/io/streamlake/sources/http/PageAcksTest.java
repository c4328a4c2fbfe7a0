package io.streamlake.sources.http;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PageAcksTest {

    private static final RecordMetadata META = new RecordMetadata(new TopicPartition("t", 0), 0, 0, 0, 0, 0);
    private final PageAcks acks = new PageAcks("x-source-url");
    private final List<String> committed = new ArrayList<>();

    private byte[] page(String url, int records) {
        byte[] bytes = url.getBytes(StandardCharsets.UTF_8);
        acks.sending(bytes, records, () -> committed.add(url));
        return bytes;
    }

    private static ProducerRecord<Object, Object> record(byte[] url) {
        ProducerRecord<Object, Object> r = new ProducerRecord<>("t", null, "v".getBytes(StandardCharsets.UTF_8));
        if (url != null) {
            r.headers().add(new RecordHeader("x-source-url", url));
        }
        return r;
    }

    @Test
    void aPageIsCommittedOnlyWhenItAndEveryPageBeforeItWereAcknowledged() throws Exception {
        byte[] first = page("/users?page=1", 2);
        byte[] second = page("/users?page=2", 1);
        acks.onSuccess(record(second), META); // the second page's record first (another partition)
        acks.onSuccess(record(first), META);
        assertThat(committed).isEmpty();
        // a copy of the array (a header mapper that copies) still finds its page
        acks.onSuccess(record("/users?page=1".getBytes(StandardCharsets.UTF_8)), META);
        assertThat(committed).containsExactly("/users?page=1", "/users?page=2");
        assertThat(acks.awaitAll(Duration.ofMillis(10))).isTrue();
    }

    @Test
    void aFailedSendStopsTheCommitsAndEndsTheWaitAtOnceButADeadLettersDoesNot() throws Exception {
        byte[] first = page("/users?page=1", 1);
        byte[] second = page("/users?page=2", 1);
        acks.onError(record(null), META, new RuntimeException("a dead letter without the header"));
        acks.onError(record("/somewhere/else".getBytes(StandardCharsets.UTF_8)), META, new RuntimeException("not a page"));
        acks.onSuccess(record(first), META);
        assertThat(committed).containsExactly("/users?page=1");
        acks.onError(record(second), META, new RuntimeException("broker gone"));
        long start = System.nanoTime();
        assertThat(acks.awaitAll(Duration.ofSeconds(30))).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(committed).containsExactly("/users?page=1");
        acks.abandon(); // the next poll starts clean
        byte[] again = page("/users?page=2", 1);
        acks.onSuccess(record(again), META);
        assertThat(committed).containsExactly("/users?page=1", "/users?page=2");
    }
}
