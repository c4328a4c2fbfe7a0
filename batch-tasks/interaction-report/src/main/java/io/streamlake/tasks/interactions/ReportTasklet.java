package io.streamlake.tasks.interactions;

import io.streamlake.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

/**
 * Step {@code report}: the minute's and the baseline's numbers from ClickHouse, the report ({@link InteractionReport}),
 * written to the report table; the report as JSON into the job's context for the publish step.
 */
final class ReportTasklet implements Tasklet {

    static final String REPORT_JSON = "interaction-report.json";
    private static final Logger log = LoggerFactory.getLogger(ReportTasklet.class);

    private final InteractionReportProperties properties;
    private final InteractionTables tables;
    private final InteractionReport report;

    ReportTasklet(InteractionReportProperties properties, InteractionTables tables, InteractionReport report) {
        this.properties = properties;
        this.tables = tables;
        this.report = report;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        Instant minute = properties.reportedMinute();
        List<InteractionReport.Row> rows;
        try (Connection c = properties.getClickhouse().open()) {
            tables.createReportTable(c);
            rows = report.report(minute, tables.minute(c, minute), tables.baseline(c, minute, properties.getBaselineMinutes()));
            tables.write(c, rows, Instant.now());
        }
        contribution.incrementWriteCount(rows.size());
        List<String> anomalies = rows.stream().filter(InteractionReport.Row::anomaly).map(InteractionReport.Row::type).toList();
        log.info("Interaction report of {}: {} interaction types, anomalies: {}", minute, rows.size(),
                anomalies.isEmpty() ? "none" : anomalies);
        var json = Json.mapper().createObjectNode();
        json.put("minute", minute.toString());
        json.set("anomalies", Json.mapper().valueToTree(anomalies));
        var types = json.putArray("types");
        for (InteractionReport.Row r : rows) {
            types.addObject().put("interaction_type", r.type()).put("events", r.events()).put("errors", r.errors())
                    .put("success_rate", r.successRate()).put("error_rate", r.errorRate()).put("latency_p50", r.latencyP50())
                    .put("latency_p95", r.latencyP95()).put("latency_p99", r.latencyP99()).put("error_rate_z", r.errorRateZ())
                    .put("latency_z", r.latencyZ()).put("score", r.score()).put("anomaly", r.anomaly()).put("reason", r.reason());
        }
        chunk.getStepContext().getStepExecution().getJobExecution().getExecutionContext()
                .putString(REPORT_JSON, Json.mapper().writeValueAsString(json));
        return RepeatStatus.FINISHED;
    }
}
