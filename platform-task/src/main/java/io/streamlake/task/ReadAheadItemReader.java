package io.streamlake.task;

import org.springframework.batch.item.ExecutionContext;
import org.springframework.batch.item.ItemProcessor;
import org.springframework.batch.item.ItemStreamReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs any restartable reader, and the step's item processor, on a thread of its own, a few batches ahead of the step:
 * while the step's thread writes a chunk (a COPY into PostgreSQL, say), the next records are being read, parsed and
 * processed. The step gets the processed items, in order; a processor that returns null filters the item out, as in
 * a chunk step.
 * <p>
 * Restarts: the position saved with a committed chunk is what the <em>step</em> consumed, not what the thread read
 * ahead. Before each batch the reading thread takes a snapshot of the delegate's position ({@code update}); the saved
 * position is the snapshot of the batch being consumed plus how many of its records the step took
 * ({@code <name>.read-ahead.skip}). A restart opens the delegate at the snapshot and skips that many records without
 * processing them again (their rows were committed).
 * <p>
 * A failure of the delegate or the processor reaches the step at the record it happened on: the records before it
 * are handed over first, and every later {@code read()} throws the same failure.
 *
 * @param <I> what the delegate reads
 * @param <O> what the processor makes of it, what the step gets
 */
public final class ReadAheadItemReader<I, O> implements ItemStreamReader<O> {

    private static final int BATCH = 1_000;
    private static final Object END = new Object();

    private final String name;
    private final ItemStreamReader<? extends I> delegate;
    private final ItemProcessor<? super I, ? extends O> processor;

    /** The reading thread of the current open(), with its own queue and stop flag (a stale one can feed nothing). */
    private Reading reading;
    private Batch<O> current;
    private int taken;

    /**
     * {@code name} names the reading thread and the saved skip count; {@code delegate} is opened, updated and closed
     * by this reader (register it as nothing else); {@code processor} runs on the reading thread.
     */
    public ReadAheadItemReader(String name, ItemStreamReader<? extends I> delegate, ItemProcessor<? super I, ? extends O> processor) {
        this.name = name;
        this.delegate = delegate;
        this.processor = processor;
    }

    @Override
    public void open(ExecutionContext context) {
        delegate.open(context);
        current = null;
        taken = 0;
        reading = new Reading(context.getLong(skipKey(), 0L));
    }

    @Override
    public O read() throws Exception {
        while (current == null || taken == current.items.size()) {
            Object next = reading.queue.take();
            if (!(next instanceof Batch)) {
                reading.queue.put(next); // the end, or the reading thread's failure: later calls see it again
            }
            if (next == END) {
                return null;
            }
            if (next instanceof Exception e) {
                throw e;
            }
            if (next instanceof Error e) {
                throw e;
            }
            @SuppressWarnings("unchecked")
            Batch<O> batch = (Batch<O>) next;
            current = batch;
            taken = 0;
        }
        return current.items.get(taken++);
    }

    @Override
    public void update(ExecutionContext context) {
        if (current != null) {
            current.start.forEach(context::put);
            context.putLong(skipKey(), current.skip + current.consumedBefore(taken));
        }
    }

    @Override
    public void close() {
        if (reading != null) {
            reading.stop();
            reading = null;
        }
        current = null;
        delegate.close();
    }

    private String skipKey() {
        return name + ".read-ahead.skip";
    }

    /** One open()'s reading thread: its queue and stop flag. */
    private final class Reading {
        final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8);
        private final Thread thread;
        private volatile boolean stopped;

        Reading(long skip) {
            this.thread = new Thread(() -> readAll(skip), name);
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The reading thread: skips what the step had consumed, then reads, processes and hands over batches. */
        private void readAll(long skip) {
            try {
                Batch<O> batch = new Batch<>(position(), skip);
                for (long s = 0; s < skip; s++) {
                    if (delegate.read() == null) {
                        break;
                    }
                }
                for (I item; !stopped && (item = delegate.read()) != null; ) {
                    O processed;
                    try {
                        processed = processor.process(item);
                    } catch (Exception | Error e) {
                        if (!batch.items.isEmpty()) {
                            queue.put(batch); // the records before the failing one reach the step first, in order
                        }
                        throw e;
                    }
                    batch.add(processed);
                    if (batch.read == BATCH) {
                        queue.put(batch);
                        batch = new Batch<>(position(), 0);
                    }
                }
                if (!batch.items.isEmpty()) {
                    queue.put(batch);
                }
                queue.put(END);
            } catch (InterruptedException stop) {
                // closed by the step
            } catch (Exception | Error e) {
                try {
                    queue.put(e);
                } catch (InterruptedException stop) {
                    // closed by the step
                }
            }
        }

        /** The delegate's position now, as its own update() states it. */
        private Map<String, Object> position() {
            ExecutionContext snapshot = new ExecutionContext();
            delegate.update(snapshot);
            return Map.copyOf(snapshot.toMap());
        }
    }

    /**
     * Processed items of {@code read} records, the first read right after the delegate was at {@code start} and had
     * skipped {@code skip} records from it. {@code readBefore[i]} is how many records precede item i (filtered ones
     * count: they were read).
     */
    private static final class Batch<O> {
        final Map<String, Object> start;
        final long skip;
        final List<O> items = new ArrayList<>(BATCH);
        private int[] readBefore = new int[BATCH];
        int read;

        Batch(Map<String, Object> start, long skip) {
            this.start = start;
            this.skip = skip;
        }

        void add(O processed) {
            if (processed != null) {
                if (items.size() == readBefore.length) {
                    readBefore = Arrays.copyOf(readBefore, readBefore.length * 2);
                }
                readBefore[items.size()] = read;
                items.add(processed);
            }
            read++;
        }

        /** Records read up to and including the {@code taken}-th item handed to the step. */
        long consumedBefore(int taken) {
            return taken == 0 ? 0 : readBefore[taken - 1] + 1L;
        }
    }

}
