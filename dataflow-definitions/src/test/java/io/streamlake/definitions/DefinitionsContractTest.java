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
    private static Map<String, ScdfAppImport.Registration> registered;
    private static Map<String, ScdfAppImport.Registration> local;
    private static Properties localProperties;

    @BeforeAll
    static void registrations() throws IOException {
        registered = imported(DEFINITIONS.resolve("apps.properties"));
        local = imported(DEFINITIONS.resolve("target/apps-local.properties"));
        localProperties = properties(DEFINITIONS.resolve("target/apps-local.properties"));
    }

    /** The registrations SCDF 2.11 makes of an import file (read as the server reads it, line by line). */
    private static Map<String, ScdfAppImport.Registration> imported(Path file) throws IOException {
        Map<String, ScdfAppImport.Registration> apps = new java.util.LinkedHashMap<>();
        ScdfAppImport.read(Files.readString(file)).forEach(r -> apps.put(r.key(), r));
        return apps;
    }

    /**
     * Properties a user sets on this app from the dashboard: its own prefix, the shared streamlake.* groups and the
     * task database's address and credentials. Those must be visible there, not only bindable.
     */
    private static boolean ownedBy(String type, String app, String property) {
        if (property.startsWith("streamlake.sink.")) {
            return type.equals("sink"); // bound in every stream app (platform-stream), used by sinks only
        }
        return property.startsWith(app + ".") || property.startsWith("streamlake.") || type.equals("task") && List.of("spring.datasource.url", "spring.datasource.username", "spring.datasource.password").contains(property);
    }

    private static void assertSettable(String file, String type, String app, String property) throws IOException {
        AppMetadata m = metadata(type, app);
        assertThat(m.accepts(property)).as("%s: %s has no property %s", file, app, property).isTrue();
        if (ownedBy(type, app, property)) {
            assertThat(m.visibleOrMapEntry(property)).as("%s: %s's property %s is not shown in SCDF's dashboard", file, app, property).isTrue();
        }
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
            METADATA.put(key, AppMetadata.of(Path.of(URI.create(local.get(key).metadataUri))));
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
        assertThat(streams).extracting(DefinitionFiles::name).containsExactly("casino-analytics", "casino-features", "casino-fraud", "interactions", "operational-alerts",
                "user-profiles-online", "user-profiles", "weather");
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
                    assertSettable(file.getFileName().toString(), app.getValue(), app.getKey().getName(), argument.getName());
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
                    assertSettable(deploy.getFileName().toString(), typeAndName[0], typeAndName[1], parts[2]);
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
                    assertSettable(file.getFileName().toString(), "task", app.getName(), property);
                }
                for (String value : app.getArguments().values()) {
                    assertThat(value).as("%s: %s points at a folder a fresh machine lacks", file.getFileName(), value)
                            .doesNotStartWith("/data");
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
            assertThat(parts[0]).as("casino-nightly.launch.properties: %s", key).isIn("app", "deployer");
            assertThat(parts[1].equals("*") || labels.containsKey(parts[1]))
                    .as("casino-nightly.launch.properties: %s names a task of the composed task", key).isTrue();
            if (parts[0].equals("app")) {
                assertSettable("casino-nightly.launch.properties", "task", labels.get(parts[1]), parts[2]);
            }
        }
        Properties schedules = properties(DEFINITIONS.resolve("tasks/schedules.properties"));
        String scheduleScript = Files.readString(DEFINITIONS.resolve("shell/schedule-tasks.shell"));
        for (String key : schedules.stringPropertyNames()) {
            String definition = key.replace(".cron", "");
            assertThat(Stream.of(".task", ".ctr").anyMatch(ext -> Files.exists(DEFINITIONS.resolve("tasks/" + definition + ext))))
                    .as("schedule %s names a task definition", key).isTrue();
            assertThat(schedules.getProperty(key).split(" ")).as("%s is a 5-field cron expression", key).hasSize(5);
            assertThat(scheduleScript).contains("--definitionName " + definition + " ").contains("\"" + schedules.getProperty(key) + "\"");
        }
        assertThat(Files.readString(DEFINITIONS.resolve("shell/create-tasks.shell")))
                .as("the local platform has no scheduler: schedules are a script of their own").doesNotContain("schedule create");
    }

    @Test
    void everyChildOfTheComposedTaskLaunchesUnderScdfsNamingRules() throws IOException {
        Map<String, String> definitions = new java.util.TreeMap<>();
        for (Path file : Stream.concat(files("tasks", "*.task").stream(), files("tasks", "*.ctr").stream()).toList()) {
            definitions.put(DefinitionFiles.name(file), DefinitionFiles.text(file));
        }
        ScdfComposedTasks scdf = new ScdfComposedTasks(definitions);
        Map<String, String> children = scdf.children("casino-nightly");
        assertThat(children).containsOnlyKeys("casino-nightly-warehouse-etl", "casino-nightly-data-quality",
                "casino-nightly-quality-alert", "casino-nightly-feature-materialization");
        for (String child : children.keySet()) {
            assertThat(scdf.taskNames(child)).as("SCDF launches %s as one app", child).hasSize(1);
        }
        // the child does what the standalone definition of its app does: same arguments (retention, URLs, folders)
        for (String standalone : List.of("casino-etl", "casino-quality", "casino-materialization")) {
            TaskApp app = DefinitionFiles.task(DEFINITIONS.resolve("tasks/" + standalone + ".task")).getTaskApps().get(0);
            TaskApp child = new org.springframework.cloud.dataflow.core.dsl.TaskParser("c",
                    children.get("casino-nightly-" + app.getName()), true, true).parse().getTaskApps().get(0);
            assertThat(child.getArguments()).as("casino-nightly's %s has %s's arguments", app.getName(), standalone)
                    .containsAllEntriesOf(app.getArguments());
        }
    }

    @Test
    void scdfsComposedTaskRuleIsModelled() {
        // what broke casino-nightly's alert branch: a definition named like the labelled child's app
        ScdfComposedTasks broken = new ScdfComposedTasks(Map.of("data-quality", "data-quality --data-quality.report-dir=x",
                "nightly", "a && data-quality 'FAILED'->alert: data-quality"));
        assertThat(broken.taskNames("nightly-alert")).containsExactlyInAnyOrder("data-quality,alert", "data-quality");
        assertThat(broken.taskNames("nightly-data-quality")).hasSize(1);
    }

    @Test
    void theRegistrationsImportAsScdf211ReadsThemWithBootVersion3() throws IOException {
        assertThat(registered.keySet()).containsExactlyInAnyOrderElementsOf(local.keySet());
        for (Map<String, ScdfAppImport.Registration> file : List.of(registered, local)) {
            for (ScdfAppImport.Registration r : file.values()) {
                assertThat(r.uri).as("%s has its jar", r.key()).isNotNull();
                assertThat(r.metadataUri).as("%s has its metadata jar", r.key()).isNotNull();
                assertThat(r.bootVersion).as("%s is a Boot 3 app: without bootVersion 3 SCDF 2.11 launches it against Batch 4's"
                        + " tables", r.key()).isEqualTo("3");
            }
        }
        for (String file : List.of("apps.properties", "target/apps-local.properties")) {
            for (String line : Files.readAllLines(DEFINITIONS.resolve(file))) {
                assertThat(line.startsWith("#") && line.split("=").length == 2)
                        .as("%s: SCDF 2.11 reads a comment line with one '=' as an entry: %s", file, line).isFalse();
            }
        }
    }

    @Test
    void aRegistrationFileScdfWouldRefuseIsCaught() {
        String app = "task.a=maven://g:a:1.0.0\ntask.a.metadata=maven://g:a:jar:metadata:1.0.0\n";
        assertThat(ScdfAppImport.read(app + "task.a.bootVersion=3").get(0).bootVersion).isEqualTo("3");
        assertThat(ScdfAppImport.read(app).get(0).bootVersion).isEqualTo("2");
        // what the 2.11 shell's --local true sends: keys in hash order, bootVersion apart from its app
        assertThatThrownBy(() -> ScdfAppImport.read("task.a.bootVersion=3\n" + app)).hasMessageContaining("Expected uri for bootVersion");
        assertThatThrownBy(() -> ScdfAppImport.read(app + "task.b=maven://g:b:1.0.0\ntask.a.bootVersion=3"))
                .hasMessageContaining("Expected previous to be same type and name for:task.a.bootVersion");
        assertThatThrownBy(() -> ScdfAppImport.read(app + "task.a.bootVersion=BOOT3")).hasMessageContaining("Invalid AppBootSchemaVersion");
        assertThatThrownBy(() -> ScdfAppImport.read("# an app=its jar\n" + app)).hasMessageContaining("Invalid format for app key '# an app'");
        assertThatThrownBy(() -> ScdfAppImport.read("task.a=file:///x/a.jar")).hasMessageContaining("Could not parse version");
    }

    @Test
    void everyRegisteredAppHasItsLocalJarAndAMetadataJarTheDashboardCanRead() throws IOException {
        for (ScdfAppImport.Registration r : local.values()) {
            for (String uri : List.of(r.uri, r.metadataUri)) {
                assertThat(Path.of(URI.create(uri))).as(r.key()).isRegularFile();
            }
            try (JarFile metadataJar = new JarFile(Path.of(URI.create(r.metadataUri)).toFile())) {
                assertThat(metadataJar.stream().filter(e -> e.getName().endsWith(".class")).count())
                        .as("%s carries metadata only", r.key()).isZero();
            }
            assertThat(metadata(r.type, r.name).size()).as("%s: its libraries' metadata is merged in", r.key()).isGreaterThan(100);
        }
    }

    @Test
    void everyPropertyOfAnAppAndItsSharedGroupsIsShownInTheDashboard() throws IOException {
        for (ScdfAppImport.Registration r : local.values()) {
            AppMetadata m = metadata(r.type, r.name);
            List<String> hidden = m.all().stream().filter(p -> ownedBy(r.type, r.name, p) && !m.visible(p)).sorted().toList();
            assertThat(hidden).as("%s: properties SCDF's dashboard would not list (nested or shared groups)", r.key()).isEmpty();
            assertThat(m.all()).as(r.key()).anyMatch(p -> p.startsWith(r.name + "."));
            if (r.type.equals("task")) {
                assertThat(m.visible("spring.datasource.url")).as(r.key()).isTrue();
                assertThat(m.visible("streamlake.task.run-job")).as(r.key()).isTrue();
            } else if (!r.type.equals("source")) {
                assertThat(m.visible("streamlake.dlq.destination")).as(r.key()).isTrue();
            }
        }
        assertThat(metadata("task", "warehouse-etl").visible("warehouse-etl.retention.max-age")).isTrue();
        assertThat(metadata("task", "data-quality").visible("data-quality.clickhouse.url")).isTrue();
        assertThat(metadata("task", "warehouse-etl").visible("spring.cloud.task.name")).as("Spring's own stay under 'all'").isFalse();
    }

    @Test
    void theShellScriptsCreateExactlyTheDefinitionsInTheFiles() throws IOException {
        String streams = Files.readString(DEFINITIONS.resolve("shell/create-streams.shell"));
        for (Path file : files("streams", "*.stream")) {
            assertThat(streams).contains("stream create --name " + DefinitionFiles.name(file) + " --definition \""
                    + DefinitionFiles.text(file) + "\"");
        }
        String tasks = Files.readString(DEFINITIONS.resolve("shell/create-tasks.shell"));
        assertThat(Files.readString(DEFINITIONS.resolve("shell/register-apps.shell")))
                .as("the shell's own reading loses the line order bootVersion needs").contains("--local false");
        for (Path file : Stream.concat(files("tasks", "*.task").stream(), files("tasks", "*.ctr").stream()).toList()) {
            assertThat(tasks).contains("task create --name " + DefinitionFiles.name(file) + " --definition \""
                    + DefinitionFiles.text(file) + "\"");
        }
    }

    @Test
    void theLocalDeploymentPlanGivesEachAppWhatScdfsLocalDeployerWould() throws IOException {
        List<String> analytics = LocalDataflow.plan(DEFINITIONS.resolve("streams/casino-analytics.stream"), localProperties,
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
        List<String> features = LocalDataflow.plan(DEFINITIONS.resolve("streams/casino-features.stream"), localProperties, List.of());
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
    void everyPropertyTheDashboardShowsHasADescription() throws IOException {
        for (ScdfAppImport.Registration r : local.values()) {
            AppMetadata m = metadata(r.type, r.name);
            List<String> bare = m.all().stream().filter(m::visible).filter(p -> m.description(p).isBlank()).sorted().toList();
            assertThat(bare).as("%s: shown without a description", r.key()).isEmpty();
        }
    }

    @Test
    void aMistypedPropertyIsCaught() throws IOException {
        assertThat(metadata("processor", "event-validator").accepts("event-validator.dedup-window")).isTrue();
        assertThat(metadata("processor", "event-validator").accepts("event-validator.dedup-windw")).isFalse();
        assertThat(metadata("sink", "clickhouse").accepts("spring.cloud.stream.bindings.input.group")).isTrue();
    }
}
