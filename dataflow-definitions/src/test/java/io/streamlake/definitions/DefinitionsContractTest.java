package io.streamlake.definitions;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.dataflow.core.dsl.AppNode;
import org.springframework.cloud.dataflow.core.dsl.ArgumentNode;
import org.springframework.cloud.dataflow.core.dsl.StreamNode;
import org.springframework.cloud.dataflow.core.dsl.TaskApp;
import org.springframework.cloud.dataflow.core.dsl.TaskNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract between dataflow-definitions/ and the apps: every definition parses with SCDF's own parser, names apps
 * registered with the right type, and sets only properties those apps have; the registrations, metadata jars and shell
 * scripts agree with the files.
 */
class DefinitionsContractTest {

    private static final Path DEFINITIONS = Path.of(System.getProperty("user.dir"));
    private static final Map<String, AppMetadata> METADATA = new HashMap<>();
    private static Properties registered;
    private static Properties local;

    @BeforeAll
    static void registrations() throws IOException {
        registered = properties(DEFINITIONS.resolve("apps.properties"));
        local = properties(DEFINITIONS.resolve("target/apps-local.properties"));
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    private static List<Path> files(String folder, String glob) throws IOException {
        List<Path> files = new ArrayList<>();
        try (var stream = Files.newDirectoryStream(DEFINITIONS.resolve(folder), glob)) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }

    private static AppMetadata metadata(String type, String app) throws IOException {
        String key = type + "." + app;
        if (!METADATA.containsKey(key)) {
            METADATA.put(key, AppMetadata.of(Path.of(URI.create(local.getProperty(key)))));
        }
        return METADATA.get(key);
    }

    /** The type each app of a stream has: a tap or named destination in front means no source. */
    private static Map<AppNode, String> types(StreamNode stream) {
        Map<AppNode, String> types = new HashMap<>();
        List<AppNode> apps = stream.getAppNodes();
        for (int i = 0; i < apps.size(); i++) {
            boolean first = i == 0 && stream.getSourceDestinationNode() == null;
            boolean last = i == apps.size() - 1 && stream.getSinkDestinationNode() == null;
            types.put(apps.get(i), first ? "source" : last ? "sink" : "processor");
        }
        return types;
    }

    @Test
    void everyStreamParsesAndNamesRegisteredAppsOfTheRightType() throws IOException {
        List<Path> streams = files("streams", "*.stream");
        assertThat(streams).extracting(DefinitionFiles::name).containsExactly("casino-analytics", "casino-features");
        for (Path file : streams) {
            StreamNode stream = DefinitionFiles.stream(file);
            for (Map.Entry<AppNode, String> app : types(stream).entrySet()) {
                assertThat(registered).as("%s: %s registered as %s", file.getFileName(), app.getKey().getName(), app.getValue())
                        .containsKey(app.getValue() + "." + app.getKey().getName());
            }
        }
        StreamNode features = DefinitionFiles.stream(DEFINITIONS.resolve("streams/casino-features.stream"));
        assertThat(features.getSourceDestinationNode().getDestinationName())
                .as("the features stream taps the validated events instead of validating again").isEqualTo("casino-analytics.event-validator");
    }

    @Test
    void everyPropertyInTheStreamsAndTheirDeploymentPropertiesExistsInItsApp() throws IOException {
        for (Path file : files("streams", "*.stream")) {
            StreamNode stream = DefinitionFiles.stream(file);
            Map<String, String> appTypes = new HashMap<>();
            for (Map.Entry<AppNode, String> app : types(stream).entrySet()) {
                appTypes.put(app.getKey().getLabelName(), app.getValue() + ":" + app.getKey().getName());
                for (ArgumentNode argument : app.getKey().getArguments()) {
                    assertThat(metadata(app.getValue(), app.getKey().getName()).accepts(argument.getName()))
                            .as("%s: %s has no property %s", file.getFileName(), app.getKey().getName(), argument.getName()).isTrue();
                }
            }
            Path deploy = file.resolveSibling(DefinitionFiles.name(file) + ".deploy.properties");
            for (String key : properties(deploy).stringPropertyNames()) {
                String[] parts = key.split("\\.", 3);
                assertThat(parts[0]).as("%s: %s", deploy.getFileName(), key).isIn("app", "deployer");
                assertThat(parts[1].equals("*") || appTypes.containsKey(parts[1]))
                        .as("%s: %s names an app that is not in the stream", deploy.getFileName(), key).isTrue();
                if (parts[0].equals("app")) {
                    String[] typeAndName = appTypes.get(parts[1]).split(":");
                    assertThat(metadata(typeAndName[0], typeAndName[1]).accepts(parts[2]))
                            .as("%s: %s has no property %s", deploy.getFileName(), parts[1], parts[2]).isTrue();
                }
            }
        }
    }

    @Test
    void tasksAndTheComposedTaskParseNameRegisteredTasksAndExistingProperties() throws IOException {
        List<Path> tasks = new ArrayList<>(files("tasks", "*.task"));
        tasks.addAll(files("tasks", "*.ctr"));
        for (Path file : tasks) {
            TaskNode task = DefinitionFiles.task(file);
            assertThat(task.isComposed()).as(file.getFileName().toString()).isEqualTo(file.toString().endsWith(".ctr"));
            for (TaskApp app : task.getTaskApps()) {
                assertThat(registered).as("%s: task %s registered", file.getFileName(), app.getName()).containsKey("task." + app.getName());
                for (String property : app.getArguments().keySet()) {
                    assertThat(metadata("task", app.getName()).accepts(property))
                            .as("%s: %s has no property %s", file.getFileName(), app.getName(), property).isTrue();
                }
            }
        }
        TaskNode nightly = DefinitionFiles.task(DEFINITIONS.resolve("tasks/casino-nightly.ctr"));
        assertThat(nightly.getTaskApps()).extracting(TaskApp::getName)
                .containsExactly("warehouse-etl", "data-quality", "data-quality", "feature-materialization");
        Map<String, String> labels = new HashMap<>();
        nightly.getTaskApps().forEach(app -> labels.put(app.getLabel() == null ? app.getName() : app.getLabel(), app.getName()));
        Properties launch = properties(DEFINITIONS.resolve("tasks/casino-nightly.launch.properties"));
        for (String key : launch.stringPropertyNames()) {
            String[] parts = key.split("\\.", 3);
            assertThat(parts[0]).isEqualTo("app");
            assertThat(labels).as("casino-nightly.launch.properties: %s names a task of the composed task", key).containsKey(parts[1]);
            assertThat(metadata("task", labels.get(parts[1])).accepts(parts[2]))
                    .as("casino-nightly.launch.properties: %s has no property %s", labels.get(parts[1]), parts[2]).isTrue();
        }
        Properties schedules = properties(DEFINITIONS.resolve("tasks/schedules.properties"));
        for (String key : schedules.stringPropertyNames()) {
            String definition = key.replace(".cron", "");
            assertThat(Stream.of(".task", ".ctr").anyMatch(ext -> Files.exists(DEFINITIONS.resolve("tasks/" + definition + ext))))
                    .as("schedule %s names a task definition", key).isTrue();
            assertThat(schedules.getProperty(key).split(" ")).as("%s is a 5-field cron expression", key).hasSize(5);
        }
    }

    @Test
    void everyRegisteredAppHasItsLocalJarAndAMetadataJarTheDashboardCanRead() throws IOException {
        for (String key : registered.stringPropertyNames()) {
            assertThat(local).as("apps-local.properties has %s", key).containsKey(key);
            Path jar = Path.of(URI.create(local.getProperty(key)));
            assertThat(jar).as(key).isRegularFile();
            if (key.endsWith(".metadata")) {
                try (JarFile metadataJar = new JarFile(jar.toFile())) {
                    assertThat(metadataJar.getEntry("META-INF/spring-configuration-metadata.json")).as(key).isNotNull();
                    assertThat(metadataJar.getEntry("META-INF/dataflow-configuration-metadata.properties")).as(key).isNotNull();
                    assertThat(metadataJar.stream().filter(e -> e.getName().endsWith(".class")).count())
                            .as("%s carries metadata only", key).isZero();
                }
            } else {
                assertThat(metadata(key.substring(0, key.indexOf('.')), key.substring(key.indexOf('.') + 1)).size())
                        .as("%s: configuration metadata found in the jar", key).isGreaterThan(100);
            }
        }
    }

    @Test
    void theShellScriptsCreateExactlyTheDefinitionsInTheFiles() throws IOException {
        String streams = Files.readString(DEFINITIONS.resolve("shell/create-streams.shell"));
        for (Path file : files("streams", "*.stream")) {
            assertThat(streams).contains("stream create --name " + DefinitionFiles.name(file) + " --definition \""
                    + DefinitionFiles.text(file) + "\"");
        }
        String tasks = Files.readString(DEFINITIONS.resolve("shell/create-tasks.shell"));
        for (Path file : Stream.concat(files("tasks", "*.task").stream(), files("tasks", "*.ctr").stream()).toList()) {
            assertThat(tasks).contains("task create --name " + DefinitionFiles.name(file) + " --definition \""
                    + DefinitionFiles.text(file) + "\"");
        }
    }

    @Test
    void theLocalDeploymentPlanGivesEachAppWhatScdfsLocalDeployerWould() throws IOException {
        List<String> analytics = LocalDataflow.plan(DEFINITIONS.resolve("streams/casino-analytics.stream"), local,
                List.of("app.casino-events.casino-events.events-per-second=50"));
        assertThat(analytics).extracting(l -> l.split("\t")[0]).containsExactly("clickhouse", "event-validator-0",
                "event-validator-1", "casino-events"); // sinks first; two validators as the deployment properties ask
        assertThat(analytics.get(0).split("\t")).contains("--spring.cloud.stream.bindings.input.destination=casino-analytics.event-validator",
                "--spring.cloud.stream.bindings.input.group=casino-analytics", "--clickhouse.database=streamlake",
                "--spring.cloud.dataflow.stream.app.type=sink");
        assertThat(analytics.get(2).split("\t")).contains("--spring.cloud.stream.bindings.input.destination=casino-analytics.casino-events",
                "--spring.cloud.stream.bindings.output.destination=casino-analytics.event-validator",
                "--spring.cloud.stream.instanceCount=2", "--spring.cloud.stream.instanceIndex=1", "--event-validator.dedup-window=PT10M");
        assertThat(analytics.get(3).split("\t")).contains("--casino-events.events-per-second=50")
                .doesNotContain("--casino-events.events-per-second=2000");
        List<String> features = LocalDataflow.plan(DEFINITIONS.resolve("streams/casino-features.stream"), local, List.of());
        assertThat(features.get(1).split("\t")).contains("--spring.cloud.stream.bindings.input.destination=casino-analytics.event-validator",
                "--spring.cloud.stream.bindings.input.group=casino-features",
                "--spring.cloud.stream.bindings.output.destination=casino-features.feature-aggregator");
    }

    @Test
    void aBadDefinitionFailsWithTheFileAndThePosition(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("broken.stream");
        Files.writeString(bad, "casino-events | | clickhouse");
        assertThatThrownBy(() -> DefinitionFiles.stream(bad)).isInstanceOf(DefinitionFiles.DefinitionException.class)
                .hasMessageStartingWith("broken.stream:17: ");
        Path badTask = dir.resolve("broken.ctr");
        Files.writeString(badTask, "warehouse-etl && && data-quality");
        assertThatThrownBy(() -> DefinitionFiles.task(badTask)).isInstanceOf(DefinitionFiles.DefinitionException.class)
                .hasMessageStartingWith("broken.ctr:");
    }

    @Test
    void everyPropertyAnAppDeclaresItselfHasADescriptionForTheDashboard() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String key : registered.stringPropertyNames()) {
            if (!key.endsWith(".metadata")) {
                continue;
            }
            try (JarFile metadataJar = new JarFile(Path.of(URI.create(local.getProperty(key))).toFile())) {
                var root = json.readTree(metadataJar.getInputStream(metadataJar.getEntry("META-INF/spring-configuration-metadata.json")));
                assertThat(root.path("properties")).as(key).isNotEmpty();
                for (var property : root.path("properties")) {
                    assertThat(property.path("description").asText()).as("%s: %s has a description", key, property.path("name").asText())
                            .isNotBlank();
                }
            }
        }
    }

    @Test
    void aMistypedPropertyIsCaught() throws IOException {
        assertThat(metadata("processor", "event-validator").accepts("event-validator.dedup-window")).isTrue();
        assertThat(metadata("processor", "event-validator").accepts("event-validator.dedup-windw")).isFalse();
        assertThat(metadata("sink", "clickhouse").accepts("spring.cloud.stream.bindings.input.group")).isTrue();
    }
}
