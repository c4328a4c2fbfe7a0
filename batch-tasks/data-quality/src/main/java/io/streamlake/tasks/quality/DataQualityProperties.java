package io.streamlake.tasks.quality;

import io.streamlake.task.ClickHouseJdbc;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.nio.file.Path;
import java.util.List;

/** Configuration of the data-quality task. */
@ConfigurationProperties("data-quality")
public class DataQualityProperties {

    /** Suite files to run: Spring resource locations, patterns allowed (e.g. file:/etc/quality/*.yaml). */
    private List<String> suites = List.of("classpath:quality/*.yaml");

    /** PostgreSQL schema of the quality_results table. */
    private String resultsSchema = "quality";

    /** Folder the Markdown report is written to (quality-report-run-N.md). */
    private Path reportDir = Path.of("quality-reports");

    /** Failing rows kept per failed expectation, in the results table and the report. */
    private int sampleRows = 5;

    /** ClickHouse, for suites with source: clickhouse. */
    @NestedConfigurationProperty
    private final ClickHouseJdbc clickhouse = new ClickHouseJdbc();

    public List<String> getSuites() { return suites; }
    public void setSuites(List<String> suites) { this.suites = suites; }
    public String getResultsSchema() { return resultsSchema; }
    public void setResultsSchema(String resultsSchema) { this.resultsSchema = resultsSchema; }
    public Path getReportDir() { return reportDir; }
    public void setReportDir(Path reportDir) { this.reportDir = reportDir; }
    public int getSampleRows() { return sampleRows; }
    public void setSampleRows(int sampleRows) { this.sampleRows = sampleRows; }
    public ClickHouseJdbc getClickhouse() { return clickhouse; }
}
