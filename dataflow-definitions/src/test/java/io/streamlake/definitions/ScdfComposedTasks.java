package io.streamlake.definitions;

import org.springframework.cloud.dataflow.core.dsl.TaskApp;
import org.springframework.cloud.dataflow.core.dsl.TaskNode;
import org.springframework.cloud.dataflow.core.dsl.TaskParser;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How SCDF 2.11.5 turns a composed task into child definitions and names the app it launches for each: a child is
 * {@code <composed>-<label or app>} with the DSL {@code [label: ]app --args} (its arguments from the composed definition
 * only), and launching it asks {@code DefaultTaskExecutionInfoService.taskNames}, which must give exactly one entry
 * (else "Expected one entry in [...]"). Definitions are parsed as the server parses them (app mode: arguments allowed).
 */
final class ScdfComposedTasks {

    private final Map<String, String> definitions = new LinkedHashMap<>();

    ScdfComposedTasks(Map<String, String> definitions) {
        this.definitions.putAll(definitions);
        for (Map.Entry<String, String> d : definitions.entrySet()) {
            if (parse(d.getKey(), d.getValue()).isComposed()) {
                this.definitions.putAll(children(d.getKey()));
            }
        }
    }

    private static TaskNode parse(String name, String dsl) {
        return new TaskParser(name, dsl, true, true).parse();
    }

    /** The child definitions SCDF saves for a composed task, by name. */
    Map<String, String> children(String composed) {
        Map<String, String> children = new LinkedHashMap<>();
        for (TaskApp app : parse(composed, definitions.get(composed)).getTaskApps()) {
            StringBuilder dsl = new StringBuilder();
            if (app.getLabel() != null) {
                dsl.append(app.getLabel()).append(": ");
            }
            dsl.append(app.getName());
            app.getArguments().forEach((k, v) -> dsl.append(" --").append(k).append('=').append(v));
            children.put(composed + "-" + (app.getLabel() != null ? app.getLabel() : app.getName()), dsl.toString());
        }
        return children;
    }

    /** {@code taskNames(definition)}: the registered apps (with labels) SCDF finds for a definition. */
    Set<String> taskNames(String definition) {
        Set<String> result = new HashSet<>();
        for (TaskApp sub : parse(definition, definitions.get(definition)).getTaskApps()) {
            String found = definitions.get(sub.getName()); // findByTaskName(app name)
            if (found != null) {
                String registeredApp = parse(sub.getName(), found).getTaskApp().getName();
                result.add(sub.getLabel() != null && !sub.getLabel().isEmpty() ? registeredApp + "," + sub.getLabel() : registeredApp);
                for (TaskApp subSub : parse(sub.getName(), found).getTaskApps()) {
                    String subSubFound = definitions.get(subSub.getName());
                    if (subSubFound != null) {
                        String app = parse(subSub.getName(), subSubFound).getTaskApp().getName();
                        result.add(subSub.getLabel() != null ? app + "," + subSub.getLabel() : app);
                    }
                }
            } else if (sub.getLabel() == null || sub.getLabel().equals(sub.getName())) {
                result.add(sub.getName());
            } else {
                result.add(sub.getName() + "," + sub.getLabel());
            }
        }
        return result;
    }
}
