package io.streamlake.tasks.quality;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run's results as a Markdown report: a summary, a table per dataset, and the failing sample rows. */
final class QualityReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QualityReport() {
    }

    static String markdown(long runId, Instant at, List<QualityResults.Row> rows) {
        long failedErrors = rows.stream().filter(r -> !r.passed() && r.severity().equals("error")).count();
        long failedWarnings = rows.stream().filter(r -> !r.passed() && r.severity().equals("warn")).count();
        StringBuilder md = new StringBuilder();
        md.append("# Data quality report, run ").append(runId).append("\n\n");
        md.append("Checked at ").append(at).append(": ").append(rows.size()).append(" expectations, ")
                .append(rows.stream().filter(QualityResults.Row::passed).count()).append(" passed, ")
                .append(failedErrors).append(" failed (error), ").append(failedWarnings).append(" failed (warn). ")
                .append(failedErrors > 0 ? "**FAILED**" : "**PASSED**").append("\n");
        Map<String, List<QualityResults.Row>> byDataset = new LinkedHashMap<>();
        rows.forEach(r -> byDataset.computeIfAbsent(r.dataset(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<QualityResults.Row>> d : byDataset.entrySet()) {
            QualityResults.Row first = d.getValue().get(0);
            md.append("\n## ").append(d.getKey()).append(" (").append(first.source()).append(": `").append(first.table()).append("`)\n\n");
            md.append("| result | expectation | severity | observed | expected | declared at |\n|---|---|---|---|---|---|\n");
            for (QualityResults.Row r : d.getValue()) {
                md.append("| ").append(r.passed() ? "pass" : "**FAIL**").append(" | ").append(cell(r.expectation())).append(" | ")
                        .append(r.severity()).append(" | ").append(cell(r.observed())).append(" | ").append(cell(r.expected()))
                        .append(" | ").append(cell(r.declaredAt())).append(" |\n");
            }
            for (QualityResults.Row r : d.getValue()) {
                if (!r.passed() && r.sample() != null) {
                    md.append("\nFailing rows of `").append(r.expectation()).append("` (sample):\n\n");
                    sampleTable(md, r.sample());
                }
            }
        }
        return md.toString();
    }

    static Path write(Path dir, long runId, String markdown) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("quality-report-run-" + runId + ".md");
            Files.writeString(file, markdown, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir, e);
        }
    }

    private static void sampleTable(StringBuilder md, String json) {
        List<Map<String, String>> rows;
        try {
            rows = JSON.readValue(json, new TypeReference<>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        md.append("| ").append(String.join(" | ", columns.stream().map(QualityReport::cell).toList())).append(" |\n|");
        columns.forEach(c -> md.append("---|"));
        md.append('\n');
        for (Map<String, String> row : rows) {
            md.append("| ");
            for (String c : columns) {
                md.append(cell(row.get(c))).append(" | ");
            }
            md.setLength(md.length() - 1);
            md.append('\n');
        }
    }

    private static String cell(String s) {
        return s == null ? "∅" : s.replace("|", "\\|").replace("\n", " ");
    }
}
