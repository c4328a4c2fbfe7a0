package io.streamlake.definitions;

import org.springframework.cloud.dataflow.core.dsl.AppNode;
import org.springframework.cloud.dataflow.core.dsl.ArgumentNode;
import org.springframework.cloud.dataflow.core.dsl.LabelledTaskNode;
import org.springframework.cloud.dataflow.core.dsl.ParseException;
import org.springframework.cloud.dataflow.core.dsl.StreamNode;
import org.springframework.cloud.dataflow.core.dsl.StreamParser;
import org.springframework.cloud.dataflow.core.dsl.TaskAppNode;
import org.springframework.cloud.dataflow.core.dsl.TaskNode;
import org.springframework.cloud.dataflow.core.dsl.TaskParser;
import org.springframework.cloud.dataflow.core.dsl.TransitionNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What SCDF's server and local deployer do with dataflow-definitions/, for the local run (bin/run) where no SCDF
 * server runs. Definitions are parsed with SCDF's own parser.
 * <ul>
 *   <li>{@code stream <file.stream> <apps.properties> [app.<label>.<prop>=value ...]}: prints the deployment plan, one
 *       line per app instance, sinks first (as SCDF deploys): {@code label \t type \t javaOpts (- for none) \t jar \t args...}, the
 *       arguments SCDF's local deployer would give: destinations {@code <stream>.<label>} (a tap's destination as
 *       input), the stream's name as consumer group, instance index and count, stream name and label, the definition's
 *       arguments, and the deployment properties file {@code <stream>.deploy.properties} beside it, then overrides.</li>
 *   <li>{@code task <file.ctr> <apps.properties> <logDir> [--common-arg ...]}: runs a composed task the way SCDF's
 *       composed-task runner does: each task from its jar, one after another, following transitions on the task's
 *       exit message ({@code TASK_EXECUTION.EXIT_MESSAGE}, else COMPLETED / FAILED by exit code); its launch properties
 *       come from {@code <name>.launch.properties} beside it. Exit code 0 when the flow completed.</li>
 * </ul>
 */
public final class LocalDataflow {

    private LocalDataflow() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("stream")) {
            plan(Path.of(args[1]), properties(Path.of(args[2])), List.of(args).subList(3, args.length)).forEach(System.out::println);
        } else if (args.length >= 4 && args[0].equals("task")) {
            System.exit(new ComposedTaskRun(Path.of(args[1]), properties(Path.of(args[2])), Path.of(args[3]),
                    List.of(args).subList(4, args.length)).run());
        } else {
            System.err.println("usage: LocalDataflow stream <file.stream> <apps.properties> [app.<label>.<prop>=value ...]\n"
                    + "       LocalDataflow task <file.ctr> <apps.properties> <logDir> [--arg=value ...]");
            System.exit(2);
        }
    }

    static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        return p;
    }

    static String name(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    /** The instances to start, sinks first. */
    static List<String> plan(Path file, Properties apps, List<String> overrides) throws IOException {
        String stream = name(file);
        String dsl = Files.readString(file).strip();
        StreamNode node;
        try {
            node = new StreamParser(stream, dsl).parse();
        } catch (ParseException e) {
            throw new IllegalArgumentException(file.getFileName() + ":" + (e.getPosition() + 1) + ": " + e.getMessage(), e);
        }
        Properties deploy = properties(file.resolveSibling(stream + ".deploy.properties"));
        for (String o : overrides) {
            int eq = o.indexOf('=');
            deploy.setProperty(o.substring(0, eq), o.substring(eq + 1));
        }
        List<AppNode> appNodes = node.getAppNodes();
        List<String> lines = new ArrayList<>();
        for (int i = appNodes.size() - 1; i >= 0; i--) {
            AppNode app = appNodes.get(i);
            String label = app.getLabelName();
            boolean hasInput = i > 0 || node.getSourceDestinationNode() != null;
            boolean hasOutput = i < appNodes.size() - 1 || node.getSinkDestinationNode() != null;
            String type = !hasInput ? "source" : !hasOutput ? "sink" : "processor";
            String uri = apps.getProperty(type + "." + app.getName());
            if (uri == null) {
                throw new IllegalArgumentException(file.getFileName() + ": " + type + " '" + app.getName() + "' is not registered");
            }
            Map<String, String> args = new LinkedHashMap<>();
            if (hasInput) {
                args.put("spring.cloud.stream.bindings.input.destination", i > 0 ? stream + "." + appNodes.get(i - 1).getLabelName()
                        : node.getSourceDestinationNode().getDestinationName());
                args.put("spring.cloud.stream.bindings.input.group", stream);
            }
            if (hasOutput) {
                args.put("spring.cloud.stream.bindings.output.destination", i < appNodes.size() - 1 ? stream + "." + label
                        : node.getSinkDestinationNode().getDestinationName());
            }
            args.put("spring.cloud.dataflow.stream.name", stream);
            args.put("spring.cloud.dataflow.stream.app.label", label);
            args.put("spring.cloud.dataflow.stream.app.type", type);
            for (ArgumentNode a : app.getArguments()) {
                args.put(a.getName(), a.getValue());
            }
            for (String key : deploy.stringPropertyNames()) {
                if (key.startsWith("app.*.")) {
                    args.put(key.substring("app.*.".length()), deploy.getProperty(key));
                }
            }
            for (String key : deploy.stringPropertyNames()) {
                if (key.startsWith("app." + label + ".")) {
                    args.put(key.substring(("app." + label + ".").length()), deploy.getProperty(key));
                }
            }
            int count = Integer.parseInt(deploy.getProperty("deployer." + label + ".count", deploy.getProperty("deployer.*.count", "1")));
            String javaOpts = deploy.getProperty("deployer." + label + ".local.javaOpts", deploy.getProperty("deployer.*.local.javaOpts", ""));
            for (int instance = 0; instance < count; instance++) {
                StringBuilder line = new StringBuilder(label + (count > 1 ? "-" + instance : "")).append('\t').append(type).append('\t')
                        .append(javaOpts.isBlank() ? "-" : javaOpts).append('\t').append(Path.of(URI.create(uri)));
                args.forEach((k, v) -> line.append('\t').append("--").append(k).append('=').append(v));
                line.append("\t--spring.cloud.stream.instanceCount=").append(count)
                        .append("\t--spring.cloud.stream.instanceIndex=").append(instance);
                lines.add(line.toString());
            }
        }
        return lines;
    }

    /** A composed task run the way SCDF's composed-task runner runs it, each task in its own JVM. */
    static final class ComposedTaskRun {
        private final Path file;
        private final Properties apps;
        private final Path logs;
        private final List<String> common;
        private final Properties launch;
        private final TaskNode node;

        ComposedTaskRun(Path file, Properties apps, Path logs, List<String> common) throws IOException {
            this.file = file;
            this.apps = apps;
            this.logs = logs;
            this.common = common;
            this.launch = properties(file.resolveSibling(name(file) + ".launch.properties"));
            String dsl = Files.readString(file).strip();
            try {
                // as SCDF's server parses a definition (app mode): the composed task's apps carry their arguments
                this.node = new TaskParser(name(file), dsl, true, true).parse();
            } catch (ParseException e) {
                throw new IllegalArgumentException(file.getFileName() + ":" + (e.getPosition() + 1) + ": " + e.getMessage(), e);
            }
        }

        int run() throws Exception {
            String status = flow(node.getSequences().get(0));
            System.out.println(name(file) + ": " + status);
            return status.equals("FAILED") ? 1 : 0;
        }

        /** Runs a sequence; returns COMPLETED, or FAILED when a task failed with no transition to take. */
        private String flow(LabelledTaskNode sequence) throws Exception {
            for (LabelledTaskNode element : sequence.getSeries()) {
                if (!element.isTaskApp()) {
                    throw new IllegalArgumentException(file.getFileName() + ": splits are not run locally");
                }
                TaskAppNode app = (TaskAppNode) element;
                String status = launch(app);
                if (app.hasTransitions()) {
                    TransitionNode taken = null;
                    for (TransitionNode t : app.getTransitions()) {
                        if (t.getStatusToCheck().equals(status)) {
                            taken = t;
                        }
                    }
                    for (TransitionNode t : app.getTransitions()) {
                        if (taken == null && t.getStatusToCheck().equals("*")) {
                            taken = t;
                        }
                    }
                    if (taken != null) {
                        System.out.println("  " + label(app) + " ended " + status + " -> " + taken.getTargetDslText());
                        if (taken.isTargetApp()) {
                            return launch(taken.getTargetApp()).equals("FAILED") ? "FAILED" : "COMPLETED";
                        }
                        return taken.isFailTransition() ? "FAILED" : taken.isEndTransition() ? "COMPLETED"
                                : flow(node.getSequenceWithLabel(taken.getTargetLabel()));
                    }
                }
                if (!status.equals("COMPLETED")) {
                    return "FAILED";
                }
            }
            return "COMPLETED";
        }

        private static String label(TaskAppNode app) {
            return app.getLabel() == null ? app.getName() : app.getLabel().stringValue();
        }

        /** Launches one task and waits; its status is its exit message, else COMPLETED or FAILED by exit code. */
        private String launch(TaskAppNode app) throws Exception {
            String label = label(app);
            String uri = apps.getProperty("task." + app.getName());
            if (uri == null) {
                throw new IllegalArgumentException(file.getFileName() + ": task '" + app.getName() + "' is not registered");
            }
            // One value per property (Spring would join repeated command-line values with commas): the definition's
            // arguments, then the launch properties, then this run's own arguments win.
            Map<String, String> properties = new LinkedHashMap<>();
            app.getArgumentsAsMap().forEach(properties::put);
            for (String key : launch.stringPropertyNames()) {
                if (key.startsWith("app." + label + ".")) {
                    properties.put(key.substring(("app." + label + ".").length()), launch.getProperty(key));
                }
            }
            for (String a : common) {
                int eq = a.indexOf('=');
                properties.put(a.substring(2, eq), a.substring(eq + 1));
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", Path.of(URI.create(uri)).toString(), "--spring.cloud.task.name=" + name(file) + "-" + label));
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            Path log = logs.resolve("task-" + label + ".log");
            System.out.println("  launching " + label + " (" + app.getName() + "), log " + log);
            long start = System.nanoTime();
            int exit = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
            String message = exitMessage(name(file) + "-" + label);
            String status = message != null ? message : exit == 0 ? "COMPLETED" : "FAILED";
            System.out.printf("  %s exit code %d, status %s (%.0f s)%n", label, exit, status, (System.nanoTime() - start) / 1e9);
            return status;
        }

        private String exitMessage(String taskName) {
            String url = null, user = "postgres", password = "";
            for (String a : common) {
                if (a.startsWith("--spring.datasource.url=")) {
                    url = a.substring("--spring.datasource.url=".length());
                } else if (a.startsWith("--spring.datasource.username=")) {
                    user = a.substring("--spring.datasource.username=".length());
                } else if (a.startsWith("--spring.datasource.password=")) {
                    password = a.substring("--spring.datasource.password=".length());
                }
            }
            if (url == null) {
                return null;
            }
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT exit_message FROM task_execution WHERE task_name = '" + taskName.replace("'", "''")
                         + "' ORDER BY task_execution_id DESC LIMIT 1")) {
                return rs.next() ? rs.getString(1) : null;
            } catch (Exception e) {
                return null;
            }
        }
    }
}
