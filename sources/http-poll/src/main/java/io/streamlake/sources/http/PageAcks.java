package io.streamlake.sources.http;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.support.LoggingProducerListener;
import org.springframework.kafka.support.ProducerListener;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Which pages Kafka has acknowledged: a page's mark is committed once every record of it, and of every page before
 * it, was acknowledged, so the mark never passes a record that might be lost.
 * <p>It is the binder's {@link ProducerListener} (the Kafka template calls it on the producer's thread for every
 * record, with the record as sent): a record finds its page by its {@code x-source-url} header, the page's own array
 * (a page's records share it, and the binder passes byte arrays through). This replaced the binder's record-metadata
 * channel, which built a Spring message per acknowledged record: 40% of the producer thread's time under JFR.
 * Typed {@code <Object, Object>}: it is the context's only producer listener, so Boot's Kafka template takes it too.
 */
final class PageAcks implements ProducerListener<Object, Object> {

    private static final class Pending {
        final byte[] url;
        int remaining;
        final Runnable commit;

        Pending(byte[] url, int remaining, Runnable commit) {
            this.url = url;
            this.remaining = remaining;
            this.commit = commit;
        }
    }

    private final String urlHeader;
    private final ProducerListener<Object, Object> errors = new LoggingProducerListener<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private boolean failed;

    /** @param urlHeader the header every record carries its page's URL in, as the array given to {@link #sending} */
    PageAcks(String urlHeader) {
        this.urlHeader = urlHeader;
    }

    /**
     * A page of {@code records} records is about to be sent, each with {@code url} (this very array) in the URL
     * header; {@code commit} moves the mark past it.
     */
    synchronized void sending(byte[] url, int records, Runnable commit) {
        pending.addLast(new Pending(url, records, commit));
    }

    @Override
    public void onSuccess(ProducerRecord<Object, Object> record, RecordMetadata metadata) {
        Header url = record.headers().lastHeader(urlHeader);
        if (url != null) {
            acknowledged(url.value());
        }
    }

    @Override
    public void onError(ProducerRecord<Object, Object> record, RecordMetadata metadata, Exception exception) {
        errors.onError(record, metadata, exception);
        Header url = record.headers().lastHeader(urlHeader);
        synchronized (this) {
            if (url != null && find(url.value()) != null) { // not a dead letter's (the DLQ binding shares the listener)
                failed = true; // the poll's marks stay where they were; the next poll reads these pages again
                notifyAll();
            }
        }
    }

    /** Kafka acknowledged a record sent with {@code url} in its URL header. */
    synchronized void acknowledged(byte[] url) {
        Pending page = find(url);
        if (page == null) {
            return; // a page already abandoned, or a record that is not a page's (a dead letter)
        }
        page.remaining--;
        while (!failed && !pending.isEmpty() && pending.peekFirst().remaining <= 0) {
            pending.pollFirst().commit.run();
        }
        notifyAll();
    }

    private Pending find(byte[] url) {
        for (Pending p : pending) {
            if (p.url == url) {
                return p;
            }
        }
        for (Pending p : pending) { // a header mapper that copies the array: same URL, same page (a poll's URLs differ)
            if (p.remaining > 0 && Arrays.equals(p.url, url)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Waits until every page sent was acknowledged (and committed); false after the timeout, or as soon as a record
     * could not be sent.
     */
    synchronized boolean awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && !failed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return !failed;
    }

    /** Forgets pages that will not be acknowledged (their marks stay where they were); the next poll starts clean. */
    synchronized void abandon() {
        pending.clear();
        failed = false;
    }
}
