package io.streamlake.benchmarks;

/**
 * Entry point: {@code bin/benchmark NAME}. Each benchmark measures its subject and its anchor in the same
 * run and prints medians and the ratio, in the form BENCHMARKS.md records.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length == 0 ? "all" : args[0];
        java.util.Set<String> parts = java.util.Set.of((args.length > 1 ? args[1] : "validator,sink,source,aggregator").split(","));
        switch (name) {
            case "embedded-clickhouse" -> EmbeddedClickHouseBenchmark.run();
            case "stream-apps" -> StreamAppsBenchmark.run(parts);
            case "features" -> FeaturesBenchmark.run();
            case "tasks" -> TasksBenchmark.run();
            case "feature-tasks" -> FeatureTasksBenchmark.run();
            case "rest" -> RestBenchmark.run(parts);
            case "fraud-training" -> FraudTrainingBenchmark.run();
            case "fraud" -> FraudBenchmark.run(parts.stream().anyMatch(java.util.Set.of("quality", "throughput", "latency")::contains)
                    ? parts : java.util.Set.of("quality", "throughput", "latency"));
            case "all" -> {
                EmbeddedClickHouseBenchmark.run();
                StreamAppsBenchmark.run(parts);
                FeaturesBenchmark.run();
                TasksBenchmark.run();
                FeatureTasksBenchmark.run();
            }
            default -> {
                System.err.println("unknown benchmark " + name + "; known: embedded-clickhouse, stream-apps, features, tasks, feature-tasks, rest, fraud-training, fraud, all");
                System.exit(2);
            }
        }
    }
}
