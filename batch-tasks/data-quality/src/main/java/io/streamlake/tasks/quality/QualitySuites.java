package io.streamlake.tasks.quality;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The suites a run checks: every file the configured locations name, parsed, then checked against their databases
 * (tables and columns exist), so a bad definition fails the task before any expectation runs.
 */
final class QualitySuites {

    private QualitySuites() {
    }

    static List<QualitySuite> load(List<String> locations, SuiteConnections connections, QualityRunner runner)
            throws IOException, SQLException {
        List<QualitySuite> suites = new ArrayList<>();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (String location : locations) {
            Resource[] found = resolver.getResources(location);
            if (found.length == 0) {
                throw new QualityDefinitionException(location + ": no suite file there (data-quality.suites)");
            }
            for (Resource r : found) {
                try (Reader reader = new InputStreamReader(r.getInputStream(), StandardCharsets.UTF_8)) {
                    suites.add(QualitySuiteLoader.parse(r.getFilename(), reader));
                }
            }
        }
        for (QualitySuite suite : suites) {
            if (suites.stream().filter(s -> s.dataset().equals(suite.dataset())).count() > 1) {
                throw new QualityDefinitionException(suite.file() + ": dataset '" + suite.dataset() + "' is declared by more than one suite");
            }
            try (Connection c = connections.open(suite.source())) {
                runner.validate(suite, c);
            }
        }
        return suites;
    }
}
