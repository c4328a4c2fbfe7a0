package io.streamlake.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

import java.time.Duration;

/**
 * Retries a write until it succeeds, backing off from {@code initial} to {@code max}, and reports each outcome
 * to a {@link WriteHealth}. A sink calls it from its consumer, so the batch's offsets are committed only after
 * the write succeeded. When the app is shutting down (or the thread is interrupted) it gives up by throwing,
 * which leaves the batch uncommitted for the next start.
 */
public class RetryLoop implements ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(RetryLoop.class);

    /** One try; throws {@code retryable} exceptions to be retried, anything else to fail the batch. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    private final Duration initial;
    private final Duration max;
    private volatile boolean closing;

    public RetryLoop(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closing = true;
    }

    /** Runs {@code attempt} until it succeeds; {@code what} says what it does ("writing 500 records to ClickHouse"). */
    public <T> T untilSuccess(String what, Attempt<T> attempt, Class<? extends Exception> retryable, WriteHealth health) {
        Duration backoff = initial;
        while (true) {
            try {
                T result = attempt.run();
                health.succeeded();
                return result;
            } catch (Exception e) {
                if (!retryable.isInstance(e)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                health.failed(e);
                if (closing || Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("stopping before " + what + " succeeded", e);
                }
                log.warn("{} failed ({}); retrying in {}", what, e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted before " + what + " succeeded", interrupted);
                }
                backoff = backoff.multipliedBy(2).compareTo(max) > 0 ? max : backoff.multipliedBy(2);
            }
        }
    }
}
