package io.streamlake.tasks.historical;

import io.streamlake.task.ClickHouseJdbc;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.nio.file.Path;
import java.util.List;

/** Configuration of the historical-features task. */
@ConfigurationProperties("historical-features")
public class HistoricalFeaturesProperties {

    /** The entity file: CSV with a header naming the join key(s), the timestamp column and any label columns. */
    private Path entityFile;

    /** Column of the entity file holding each row's time (ISO-8601, or yyyy-MM-dd HH:mm:ss[.SSS] in UTC). */
    private String timestampColumn = "event_timestamp";

    /** Features to fetch, as view:feature; or leave empty and name a feature service. */
    private List<String> features = List.of();

    /** A feature service of the registry whose features to fetch (used when features is empty). */
    private String featureService;

    /** Folder the training set is written to. */
    private Path outputDir = Path.of("training-sets");

    /** File name of the training set, without extension. */
    private String outputName = "training-set";

    /** Output formats: csv, parquet or both. */
    private List<String> formats = List.of("csv", "parquet");

    /** Feature definitions file; unset = the shipped casino project. */
    private Path registryFile;

    /** The offline store. */
    @NestedConfigurationProperty
    private final ClickHouseJdbc clickhouse = new ClickHouseJdbc();

    public Path getEntityFile() { return entityFile; }
    public void setEntityFile(Path entityFile) { this.entityFile = entityFile; }
    public String getTimestampColumn() { return timestampColumn; }
    public void setTimestampColumn(String timestampColumn) { this.timestampColumn = timestampColumn; }
    public List<String> getFeatures() { return features; }
    public void setFeatures(List<String> features) { this.features = features; }
    public String getFeatureService() { return featureService; }
    public void setFeatureService(String featureService) { this.featureService = featureService; }
    public Path getOutputDir() { return outputDir; }
    public void setOutputDir(Path outputDir) { this.outputDir = outputDir; }
    public String getOutputName() { return outputName; }
    public void setOutputName(String outputName) { this.outputName = outputName; }
    public List<String> getFormats() { return formats; }
    public void setFormats(List<String> formats) { this.formats = formats; }
    public Path getRegistryFile() { return registryFile; }
    public void setRegistryFile(Path registryFile) { this.registryFile = registryFile; }
    public ClickHouseJdbc getClickhouse() { return clickhouse; }
}
