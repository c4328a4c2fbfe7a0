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

    private static final String AGGREGATED = """
            project: p
            entities:
              - {name: customer, join_key: customer_id, value_type: String}
            feature_views:
              - name: v
                entities: [customer]
                ttl: 1h
                source: {contract: orders}
                windows: [10m, 1h]
                aggregations:
                  - %s
                features:
                  - %s
            """;

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "{name: a, function: median, column: total_amount}|{name: a_1h, dtype: Float64}|features.yaml:11: unknown function 'median'",
            "{name: a, function: sum}|{name: a_1h, dtype: Float64}|features.yaml:11: aggregation 'a' (sum) needs a column",
            "{name: a, function: count, windows: [90s]}|{name: a_90s, dtype: Int64}|features.yaml:11: window '90s' is not a whole number of minutes",
            "{name: a, function: count, windows: [1h, 60m]}|{name: a_1h, dtype: Int64}|features.yaml:11: window '60m' is listed twice",
            "{name: a, function: count}|{name: a_2h, dtype: Int64}|features.yaml:13: feature 'a_2h' of feature view 'v' is neither an aggregate [a_10m, a_1h]",
            "{name: a, function: count}|{name: a_1h, dtype: Float64}|features.yaml:13: feature 'a_1h' is a count, so its dtype is Int64",
            "{name: a, function: avg, column: total_amount}|{name: a_1h, dtype: Int64}|features.yaml:13: feature 'a_1h' is an avg, so its dtype is Float64",
            "{name: a, function: count}|{name: b, dtype: Float64, expression: 'a_1h / c_1h'}|features.yaml:13: 'a_1h / c_1h': unknown name 'c_1h' (it may use the view's aggregates [a_10m, a_1h] and event_timestamp)",
            "{name: a, function: count, exact_up_to: 5}|{name: a_1h, dtype: Int64}|features.yaml:11: exact_up_to is a positive whole number, for count_distinct only"})
    void aggregationProblemsNameTheFileTheLineAndTheProblem(String aggregation, String feature, String message) {
        assertThatThrownBy(() -> load(AGGREGATED.formatted(aggregation, feature)))
                .isInstanceOf(FeatureRegistryLoader.FeatureDefinitionException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theShippedViewsDeclareTheirAggregationsOnDemandViewsAndAPushSource() {
        FeatureRegistry casino = FeatureRegistryLoader.casino();
        assertThat(casino.aggregatedViews()).extracting(FeatureRegistry.FeatureView::name)
                .containsExactly("customer_activity", "game_stats");
        FeatureRegistry.Aggregations activity = casino.featureView("customer_activity").orElseThrow().aggregations();
        assertThat(activity.aggregates()).containsKeys("bet_sum_5m", "bet_sum_24h", "avg_bet_1h", "session_event");
        assertThat(casino.featureView("customer_risk").orElseThrow().source().push()).isEqualTo("customer_risk_push");
        assertThat(casino.onDemandView("bet_vs_average").orElseThrow().request())
                .extracting(FeatureRegistry.RequestField::name).containsExactly("bet_amount");
        String onDemand = ENTITIES + """
                  - {name: v, entities: [customer], ttl: 1h, source: {stream: s}, features: [{name: f, dtype: Int64}]}
                on_demand_feature_views:
                  - name: o
                    sources: [v]
                    request: [{name: amount, dtype: Float64}]
                    features:
                      - {name: g, dtype: String, expression: "amount / v.f"}
                """;
        assertThatThrownBy(() -> load(onDemand)).hasMessageContaining("features.yaml:11: feature 'g' is declared String but its"
                + " expression gives a number");
        assertThatThrownBy(() -> load(onDemand.replace("sources: [v]", "sources: [w]")))
                .hasMessageContaining("features.yaml:8: on-demand feature view 'o' reads feature view 'w', which is not declared");
    }
}
