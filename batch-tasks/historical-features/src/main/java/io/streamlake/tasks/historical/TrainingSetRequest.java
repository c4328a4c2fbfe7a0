package io.streamlake.tasks.historical;

import io.streamlake.features.offline.TrainingSetQuery;

import io.streamlake.features.registry.FeatureRegistry;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;

/** What a launch asks for, checked before anything runs: the features (or a feature service), the entity file, the formats. */
final class TrainingSetRequest {

    private TrainingSetRequest() {
    }

    /** The query for the requested features; an unknown service, a missing entity file or an unknown format fails the launch. */
    static TrainingSetQuery query(FeatureRegistry registry, HistoricalFeaturesProperties properties) {
        List<String> refs = properties.getFeatures();
        if (refs.isEmpty()) {
            if (properties.getFeatureService() == null) {
                throw new IllegalArgumentException("set historical-features.features (view:feature, ...) or historical-features.feature-service");
            }
            refs = registry.featureService(properties.getFeatureService()).orElseThrow(() -> new IllegalArgumentException(
                    "unknown feature service '" + properties.getFeatureService() + "'"));
        }
        if (properties.getEntityFile() == null || !Files.isRegularFile(properties.getEntityFile())) {
            throw new IllegalArgumentException("historical-features.entity-file " + properties.getEntityFile() + " is not a file");
        }
        for (String format : properties.getFormats()) {
            if (!List.of("csv", "parquet").contains(format.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("historical-features.formats: '" + format + "' is not csv or parquet");
            }
        }
        return new TrainingSetQuery(registry, refs);
    }
}
