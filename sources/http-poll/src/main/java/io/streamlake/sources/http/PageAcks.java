package io.streamlake.sources.http;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Which pages Kafka has acknowledged: a page's mark is committed once every record of it, and of every page before
 * it, was acknowledged, so the mark never passes a record that might be lost. Acks come on the producer's thread.
 */
final class PageAcks {

    private static final class Pending {
        final long page;
        int remaining;
        final Runnable commit;

        Pending(long page, int remaining, Runnable commit) {
            this.page = page;
            this.remaining = remaining;
            this.commit = commit;
        }
    }

    private final Deque<Pending> pending = new ArrayDeque<>();

    /** A page of {@code records} records is about to be sent; {@code commit} moves the mark past it. */
    synchronized void sending(long page, int records, Runnable commit) {
        pending.addLast(new Pending(page, records, commit));
    }

    /** Kafka acknowledged a record of {@code page}. */
    synchronized void acknowledged(long page) {
        for (Pending p : pending) {
            if (p.page == page) {
                p.remaining--;
                break;
            }
        }
        while (!pending.isEmpty() && pending.peekFirst().remaining <= 0) {
            pending.pollFirst().commit.run();
        }
        notifyAll();
    }

    /** Waits until every page sent was acknowledged (and committed); false after the timeout. */
    synchronized boolean awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Forgets pages that will not be acknowledged (their marks stay where they were). */
    synchronized void abandon() {
        pending.clear();
    }
}
