package io.streamlake.tasks.fraud;

import io.streamlake.models.ModelRegistry;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code register} step: the run's model into the registry ({@link ModelRegistry}), as the champion when the
 * {@code train} step found it better than the current one on the same window, else as a challenger.
 */
final class RegisterTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(RegisterTasklet.class);

    private final TrainingRun run;
    private final ModelRegistry models;

    RegisterTasklet(TrainingRun run, ModelRegistry models) {
        this.run = run;
        this.models = models;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        long instance = chunk.getStepContext().getStepExecution().getJobExecution().getJobInstance().getInstanceId();
        Path folder = run.folder(instance);
        String reportJson = Files.readString(TrainingRun.report(folder));
        JsonNode report = Json.mapper().readTree(reportJson);
        List<String> features = new ArrayList<>();
        report.get("features").forEach(f -> features.add(f.asText()));
        boolean promote = report.get("promote").asBoolean();
        long version = models.register(new ModelRegistry.Entry(report.get("model").asText(), features,
                report.get("threshold").asDouble(), reportJson, Instant.parse(report.get("train_from").asText()),
                Instant.parse(report.get("train_to").asText()), Instant.parse(report.get("eval_from").asText()),
                Instant.parse(report.get("eval_to").asText()), Files.readAllBytes(TrainingRun.model(folder)), instance), promote);
        contribution.incrementWriteCount(1);
        log.info("Registered {} version {} as {}", report.get("model").asText(), version, promote ? "the champion" : "a challenger");
        return RepeatStatus.FINISHED;
    }
}
