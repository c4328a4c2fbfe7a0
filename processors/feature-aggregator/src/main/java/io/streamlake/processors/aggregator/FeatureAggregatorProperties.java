package io.streamlake.processors.aggregator;

import io.streamlake.core.contract.ContractRepository;
import io.streamlake.features.registry.FeatureRegistry;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Settings of the feature-aggregator processor. */
@ConfigurationProperties("feature-aggregator")
public class FeatureAggregatorProperties {

    /**
     * Feature definitions (YAML) declaring the stream feature views to compute: a file path, or
     * classpath:io/streamlake/features/orders-features.yaml for a project shipped with the platform; empty uses the
     * shipped casino project (customer_activity, game_stats).
     */
    private String definitions = "";

    /**
     * The stream feature views to compute (names); empty computes every view of the definitions aggregated from
     * events (source: contract), which must then all read one contract.
     */
    private List<String> views = new ArrayList<>();

    /** The contract's version in the schema registry; 0 takes the latest. */
    private int contractVersion = ContractRepository.LATEST;

    /**
     * Where contracts are read: a schema registry's URL (http://host:8990), a directory of subject.avsc files, or
     * empty for the contracts shipped in the app (casino-activity, orders, user-interaction, user-profile).
     */
    private String contractsLocation = "";

    /**
     * How much older than its entity's latest event an event may be and still be counted, for views that declare no
     * grace of their own; an event late for every view it is for goes to the DLQ as LATE_EVENT.
     */
    private Duration grace = Duration.ofMinutes(2);

    /**
     * Rebuild the windows after a restart or rebalance by re-reading the input before the committed offset, as far
     * back as the longest window (or TTL) of the views plus the grace (the input topic must keep at least that long).
     */
    private boolean replayOnAssignment = true;

    /** The views to compute from the registry, as the properties select them. */
    List<FeatureRegistry.FeatureView> selectViews(FeatureRegistry registry) {
        List<FeatureRegistry.FeatureView> aggregated = registry.aggregatedViews();
        if (views.isEmpty()) {
            if (aggregated.isEmpty()) {
                throw new IllegalArgumentException("feature-aggregator: the definitions declare no view aggregated from"
                        + " events (source: {contract: ...})");
            }
            return aggregated;
        }
        List<FeatureRegistry.FeatureView> selected = new ArrayList<>();
        for (String name : views) {
            FeatureRegistry.FeatureView view = registry.featureView(name.strip()).orElseThrow(() ->
                    new IllegalArgumentException("feature-aggregator.views names '" + name + "', which the definitions"
                            + " do not declare (aggregated views: " + aggregated.stream().map(FeatureRegistry.FeatureView::name).toList() + ")"));
            if (!view.source().aggregated()) {
                throw new IllegalArgumentException("feature-aggregator.views names '" + name + "', which is not"
                        + " aggregated from events (source: {contract: ...})");
            }
            selected.add(view);
        }
        return selected;
    }

    /** The one contract the selected views read. */
    static String contractOf(List<FeatureRegistry.FeatureView> views) {
        List<String> contracts = views.stream().map(v -> v.source().contract()).distinct().toList();
        if (contracts.size() != 1) {
            throw new IllegalArgumentException("feature-aggregator reads one contract's events, but the views read "
                    + contracts + ": select the views of one with feature-aggregator.views and run one aggregator per contract");
        }
        return contracts.get(0);
    }

    public String getDefinitions() {
        return definitions;
    }

    public void setDefinitions(String definitions) {
        this.definitions = definitions;
    }

    public List<String> getViews() {
        return views;
    }

    public void setViews(List<String> views) {
        this.views = views;
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

    public Duration getGrace() {
        return grace;
    }

    public void setGrace(Duration grace) {
        this.grace = grace;
    }

    public boolean isReplayOnAssignment() {
        return replayOnAssignment;
    }

    public void setReplayOnAssignment(boolean replayOnAssignment) {
        this.replayOnAssignment = replayOnAssignment;
    }
}
