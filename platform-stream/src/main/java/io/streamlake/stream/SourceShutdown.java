package io.streamlake.stream;

import org.springframework.context.SmartLifecycle;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ends a source's generated stream before the output binding stops (casino-events, http-poll). A reactive supplier's stream is not the binder's to
 * stop: on undeploy it kept sending into a channel that had lost its subscriber, and every such record was an ERROR
 * (MessageDeliveryException). This lifecycle stops first (highest phase): it asks the generator to complete, and waits
 * until the generator has (it checks between two events, so at most one pacing interval).
 */
public final class SourceShutdown implements SmartLifecycle {

    private volatile boolean stopping;
    private volatile boolean running;
    private final CountDownLatch generatorDone = new CountDownLatch(1);

    /** True once the app is stopping: the generator completes instead of emitting. */
    public boolean stopping() {
        return stopping;
    }

    /** Called by the generator when its stream has ended, whatever ended it. */
    public void generatorDone() {
        generatorDone.countDown();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        stopping = true;
        try {
            generatorDone.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE; // stops before every binding lifecycle
    }
}
