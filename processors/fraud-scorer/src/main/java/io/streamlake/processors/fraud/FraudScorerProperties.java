package io.streamlake.processors.fraud;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Settings of the fraud-scorer processor. */
@ConfigurationProperties("fraud-scorer")
public class FraudScorerProperties {

    /** The model's name in the registry: the scorer uses its champion. */
    private String modelName = "casino-fraud";

    /** JDBC URL of the PostgreSQL holding the model registry (fraud-model-training's). */
    private String registryUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";

    /** User of the model registry's database. */
    private String registryUsername = "postgres";

    /** Password of the model registry's database (from the environment or a file; never logged). */
    private String registryPassword = "";

    /** The registry table. */
    private String registryTable = "fraud_models";

    /** How often the registry is asked whether a newer champion was promoted (taken up without a restart). */
    private Duration modelRefresh = Duration.ofSeconds(10);

    /** The decision threshold on the model's score; unset: the one the champion was registered with. */
    private Double threshold;

    /** The rules file: classpath:<resource> or a path. */
    private String rulesFile = "classpath:fraud-rules.yaml";

    /** Feature definitions: empty for the shipped casino project, classpath:<resource>, or a file path. */
    private String definitions = "";

    /** The online store (Redis) the features are read from. */
    private String redisUri = "redis://127.0.0.1:6379";

    /** Time limit of one feature lookup round trip. */
    private Duration redisTimeout = Duration.ofSeconds(2);

    /** Activities that are scored; others are passed on unscored. */
    private List<String> activities = new ArrayList<>(List.of("bet", "win", "bonus"));

    /** Where every event goes with its score, decision and reasons (a Kafka topic); empty: nowhere. */
    private String scoredDestination = "casino-scored";

    /** The events' contract. */
    private String contract = "casino-activity";

    /** The contract's version; 0 takes the latest. */
    private int contractVersion = 0;

    /** Where contracts come from: empty for the ones shipped in the jar, or the schema registry's URL. */
    private String contractsLocation = "";

    public String getModelName() {
        return modelName;
    }

    public void setModelName(String modelName) {
        this.modelName = modelName;
    }

    public String getRegistryUrl() {
        return registryUrl;
    }

    public void setRegistryUrl(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    public String getRegistryUsername() {
        return registryUsername;
    }

    public void setRegistryUsername(String registryUsername) {
        this.registryUsername = registryUsername;
    }

    public String getRegistryPassword() {
        return registryPassword;
    }

    public void setRegistryPassword(String registryPassword) {
        this.registryPassword = registryPassword;
    }

    public String getRegistryTable() {
        return registryTable;
    }

    public void setRegistryTable(String registryTable) {
        this.registryTable = registryTable;
    }

    public Duration getModelRefresh() {
        return modelRefresh;
    }

    public void setModelRefresh(Duration modelRefresh) {
        this.modelRefresh = modelRefresh;
    }

    public Double getThreshold() {
        return threshold;
    }

    public void setThreshold(Double threshold) {
        this.threshold = threshold;
    }

    public String getRulesFile() {
        return rulesFile;
    }

    public void setRulesFile(String rulesFile) {
        this.rulesFile = rulesFile;
    }

    public String getDefinitions() {
        return definitions;
    }

    public void setDefinitions(String definitions) {
        this.definitions = definitions;
    }

    public String getRedisUri() {
        return redisUri;
    }

    public void setRedisUri(String redisUri) {
        this.redisUri = redisUri;
    }

    public Duration getRedisTimeout() {
        return redisTimeout;
    }

    public void setRedisTimeout(Duration redisTimeout) {
        this.redisTimeout = redisTimeout;
    }

    public List<String> getActivities() {
        return activities;
    }

    public void setActivities(List<String> activities) {
        this.activities = activities;
    }

    public String getScoredDestination() {
        return scoredDestination;
    }

    public void setScoredDestination(String scoredDestination) {
        this.scoredDestination = scoredDestination;
    }

    public String getContract() {
        return contract;
    }

    public void setContract(String contract) {
        this.contract = contract;
    }

    public int getContractVersion() {
        return contractVersion;
    }

    public void setContractVersion(int contractVersion) {
        this.contractVersion = contractVersion;
    }

    public String getContractsLocation() {
        return contractsLocation;
    }

    public void setContractsLocation(String contractsLocation) {
        this.contractsLocation = contractsLocation;
    }
}
