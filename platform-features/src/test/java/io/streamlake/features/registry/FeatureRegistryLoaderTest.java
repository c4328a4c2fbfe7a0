package io.streamlake.features.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.StringReader;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureRegistryLoaderTest {

    @Test
    void theShippedCasinoProjectLoads() {
        FeatureRegistry registry = FeatureRegistryLoader.casino();
        assertThat(registry.project()).isEqualTo("casino");
        assertThat(registry.entities()).containsOnlyKeys("customer", "game");
        assertThat(registry.entities().get("customer").joinKey()).isEqualTo("customer_id");
        FeatureRegistry.FeatureView activity = registry.featureView("customer_activity").orElseThrow();
        assertThat(activity.ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(activity.features()).extracting(FeatureRegistry.Feature::name)
                .contains("bet_count_5m", "ggr_1h", "bet_sum_24h", "avg_bet_1h", "distinct_games_1h",
                        "session_length_seconds", "bonus_share_24h");
        assertThat(activity.feature("bet_count_5m").orElseThrow().type()).isEqualTo(FeatureType.INT64);
        assertThat(activity.source().kind()).isEqualTo(FeatureRegistry.Source.Kind.STREAM);
        assertThat(registry.featureView("customer_lifetime").orElseThrow().source().store()).isEqualTo("clickhouse");
        assertThat(registry.featureService("fraud_detection").orElseThrow())
                .contains("customer_activity:bet_count_5m", "customer_lifetime:lifetime_staked");
        assertThat(registry.entitiesOf(registry.featureView("game_stats").orElseThrow()))
                .extracting(FeatureRegistry.Entity::joinKey).containsExactly("game_id");
    }

    private static final String ENTITIES = """
            project: p
            entities:
              - {name: customer, join_key: customer_id, value_type: String}
            feature_views:
            """;

    private static FeatureRegistry load(String yaml) {
        return FeatureRegistryLoader.parse("features.yaml", new StringReader(yaml));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "  - {name: v, entities: [customer], ttl: 1h, source: {stream: s}, features: [{name: f, dtype: Decimal}]}|features.yaml:5: unknown type 'Decimal'",
            "  - {name: v, entities: [player], ttl: 1h, source: {stream: s}, features: [{name: f, dtype: Int64}]}|features.yaml:5: feature view 'v' names entity 'player', which is not declared",
            "  - {name: v, entities: [customer], ttl: soon, source: {stream: s}, features: [{name: f, dtype: Int64}]}|features.yaml:5: ttl 'soon' is not a duration",
            "  - {name: v, entities: [customer], ttl: 1h, source: {stream: s}, features: [{name: f, dtype: Int64}, {name: f, dtype: Int64}]}|features.yaml:5: duplicate feature 'f'",
            "  - {name: v, entities: [customer], ttl: 1h, source: {stream: s}, features: [{name: f, dtype: Int64}], colour: red}|features.yaml:5: unknown key 'colour'",
            "  - {name: v, entities: [customer], ttl: 1h, features: [{name: f, dtype: Int64}]}|features.yaml:5: missing 'source'",
            "  - {name: v, entities: [customer], ttl: 1h, source: {store: mongo, query: q}, features: [{name: f, dtype: Int64}]}|features.yaml:5: unknown store 'mongo'",
            "  - {name: 'bad name', entities: [customer], ttl: 1h, source: {stream: s}, features: [{name: f, dtype: Int64}]}|must be an identifier"})
    void problemsNameTheFileTheLineAndTheProblem(String view, String message) {
        assertThatThrownBy(() -> load(ENTITIES + view))
                .isInstanceOf(FeatureRegistryLoader.FeatureDefinitionException.class)
                .hasMessageContaining(message);
    }

    @Test
    void duplicateViewsAndMalformedYamlAreReported() {
        String view = "  - {name: v, entities: [customer], ttl: 1h, source: {stream: s}, features: [{name: f, dtype: Int64}]}\n";
        assertThatThrownBy(() -> load(ENTITIES + view + view)).hasMessage("features.yaml:6: duplicate feature view 'v'");
        assertThatThrownBy(() -> load("project: p\nentities: [\n")).hasMessageStartingWith("features.yaml:3: malformed YAML");
        assertThatThrownBy(() -> load("")).hasMessage("features.yaml: the file is empty");
        assertThatThrownBy(() -> load(ENTITIES + view + "feature_services:\n  - {name: s, features: [v:nope]}\n"))
                .hasMessage("features.yaml:7: feature service 's' names 'v:nope', which is not a declared feature_view:feature");
        assertThatThrownBy(() -> load("project: p\nentities:\n  - {name: c, join_key: c, value_type: Float64}\nfeature_views: []"))
                .hasMessageContaining("features.yaml:3: entity 'c' has value_type Float64");
    }
}
