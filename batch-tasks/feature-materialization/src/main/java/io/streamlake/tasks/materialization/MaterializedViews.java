package io.streamlake.tasks.materialization;

import io.streamlake.features.offline.OfflineViewQuery;
import io.streamlake.features.registry.FeatureRegistry;

import java.util.ArrayList;
import java.util.List;

/** Which views a launch materializes: those named, or every batch view of the project; an unknown or stream view fails the launch. */
final class MaterializedViews {

    private MaterializedViews() {
    }

    static List<OfflineViewQuery> select(FeatureRegistry registry, List<String> names) {
        List<OfflineViewQuery> views = new ArrayList<>();
        if (names.isEmpty()) {
            registry.featureViews().values().stream().filter(v -> v.source().kind() == FeatureRegistry.Source.Kind.BATCH)
                    .forEach(v -> views.add(new OfflineViewQuery(registry, v)));
        } else {
            for (String name : names) {
                FeatureRegistry.FeatureView view = registry.featureView(name).orElseThrow(() -> new IllegalArgumentException(
                        "feature-materialization.views names '" + name + "', which is not a feature view of project '"
                                + registry.project() + "' (views: " + registry.featureViews().keySet() + ")"));
                if (view.source().kind() != FeatureRegistry.Source.Kind.BATCH) {
                    // a stream view's offline query is for training sets; its online values are the stream's
                    throw new IllegalArgumentException("feature-materialization.views names '" + name
                            + "', which is filled from a stream, not materialized");
                }
                views.add(new OfflineViewQuery(registry, view));
            }
        }
        if (views.isEmpty()) {
            throw new IllegalArgumentException("project '" + registry.project() + "' has no batch feature views to materialize");
        }
        return views;
    }
}
