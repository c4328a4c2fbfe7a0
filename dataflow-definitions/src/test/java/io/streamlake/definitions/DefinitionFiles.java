package io.streamlake.definitions;

import org.springframework.cloud.dataflow.core.dsl.ParseException;
import org.springframework.cloud.dataflow.core.dsl.StreamNode;
import org.springframework.cloud.dataflow.core.dsl.StreamParser;
import org.springframework.cloud.dataflow.core.dsl.TaskNode;
import org.springframework.cloud.dataflow.core.dsl.TaskParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads definition files with SCDF's own parser (spring-cloud-dataflow-core-dsl 2.11.5). A file holds one definition;
 * its name (without extension) is the stream or task name. A parse error names the file and the position.
 */
final class DefinitionFiles {

    /** A definition that does not parse; the message is {@code file:position: problem}. */
    static final class DefinitionException extends IllegalArgumentException {
        DefinitionException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DefinitionFiles() {
    }

    static String name(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.lastIndexOf('.'));
    }

    static String text(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    static StreamNode stream(Path file) throws IOException {
        String dsl = text(file);
        try {
            return new StreamParser(name(file), dsl).parse();
        } catch (ParseException e) {
            throw located(file, dsl, e);
        }
    }

    static TaskNode task(Path file) throws IOException {
        String dsl = text(file);
        try {
            // As SCDF's server parses a task definition (TaskDefinition: app mode), composed ones included: arguments on
            // the apps of a composed task are allowed, and become the arguments of its child definitions.
            return new TaskParser(name(file), dsl, true, true).parse();
        } catch (ParseException e) {
            throw located(file, dsl, e);
        }
    }

    private static DefinitionException located(Path file, String dsl, ParseException e) {
        int position = Math.max(0, e.getPosition());
        return new DefinitionException(file.getFileName() + ":" + (position + 1) + ": " + e.getMessage().replaceAll("\\s+", " ")
                + "\n  " + dsl + "\n  " + " ".repeat(Math.min(position, dsl.length())) + "^", e);
    }
}
