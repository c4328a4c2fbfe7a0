package io.streamlake.task;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.ChunkListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of every step while it runs: items read, written and skipped, in the log (at most every
 * {@code interval} milliseconds, and at the step's end) and as gauges {@code streamlake.task.items{step,kind}}.
 */
public final class TaskProgressListener implements StepExecutionListener, ChunkListener {

    private static final Logger log = LoggerFactory.getLogger(TaskProgressListener.class);

    private final MeterRegistry registry;
    private final long intervalMillis;
    private final Map<String, AtomicLong[]> gauges = new ConcurrentHashMap<>();
    private volatile long lastLogged;

    public TaskProgressListener(MeterRegistry registry, long intervalMillis) {
        this.registry = registry;
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void beforeStep(StepExecution step) {
        lastLogged = System.currentTimeMillis();
        log.info("Step '{}' started (job execution {})", step.getStepName(), step.getJobExecutionId());
    }

    @Override
    public void afterChunk(ChunkContext context) {
        StepExecution step = context.getStepContext().getStepExecution();
        publish(step);
        long now = System.currentTimeMillis();
        if (now - lastLogged >= intervalMillis) {
            lastLogged = now;
            log.info("Step '{}': {} read, {} written, {} skipped, {} chunks committed", step.getStepName(), step.getReadCount(),
                    step.getWriteCount(), step.getSkipCount(), step.getCommitCount());
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution step) {
        publish(step);
        log.info("Step '{}' {}: {} read, {} written, {} skipped, {} filtered", step.getStepName(), step.getStatus(),
                step.getReadCount(), step.getWriteCount(), step.getSkipCount(), step.getFilterCount());
        return step.getExitStatus();
    }

    private void publish(StepExecution step) {
        AtomicLong[] values = gauges.computeIfAbsent(step.getStepName(), name -> {
            AtomicLong[] v = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
            String[] kinds = {"read", "written", "skipped"};
            for (int i = 0; i < 3; i++) {
                registry.gauge("streamlake.task.items", Tags.of("step", name, "kind", kinds[i]), v[i]);
            }
            return v;
        });
        values[0].set(step.getReadCount());
        values[1].set(step.getWriteCount());
        values[2].set(step.getSkipCount());
    }
}
