package io.streamlake.definitions;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamlake.build.OptionsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every app folder has its README, and the README's options table is the one its configuration metadata makes: the
 * properties SCDF's dashboard shows for the app, each with its default and description. A property added, renamed,
 * re-described or given another default without the README following fails here; {@code ./mvnw package
 * -Dstreamlake.update-readme=true} rewrites the tables.
 */
class AppReadmesTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final List<String> CATEGORIES = List.of("sources", "processors", "sinks", "batch-tasks", "serving");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    /** Every app module: a folder of a category with sources of its own. */
    static Stream<Path> apps() throws IOException {
        List<Path> apps = new java.util.ArrayList<>();
        for (String category : CATEGORIES) {
            try (Stream<Path> folders = Files.list(ROOT.resolve(category))) {
                folders.filter(f -> Files.isDirectory(f.resolve("src/main/java"))).sorted().forEach(apps::add);
            }
        }
        assertThat(apps).hasSizeGreaterThanOrEqualTo(10);
        return apps.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apps")
    void theReadmesOptionsTableIsTheOneItsMetadataMakes(Path app) throws IOException {
        Path readme = app.resolve("README.md");
        assertThat(readme).as("%s has a README", ROOT.relativize(app)).isRegularFile();
        String table = OptionsTable.in(Files.readString(readme));
        assertThat(table).as("%s has an options table between the markers", readme).isNotNull();

        Path metadata = app.resolve("target/scdf-metadata");
        Properties lists = new Properties();
        try (InputStream in = Files.newInputStream(metadata.resolve("META-INF/dataflow-configuration-metadata.properties"))) {
            lists.load(in);
        }
        String expected = OptionsTable.render(new ObjectMapper().readTree(metadata.resolve("META-INF/spring-configuration-metadata.json").toFile()),
                list(lists.getProperty("configuration-properties.classes")), list(lists.getProperty("configuration-properties.names")));
        assertThat(table).as("%s's options table (./mvnw package -Dstreamlake.update-readme=true rewrites it)", readme)
                .isEqualTo(expected);

        // Checked against this module's own model of SCDF's visibility rule, not only the renderer's (no app has
        // deprecated properties in its metadata yet; the table leaves them out).
        Set<String> rows = ROW.matcher(table).results().map(m -> m.group(1)).collect(Collectors.toSet());
        AppMetadata scdf = AppMetadata.ofFolder(metadata);
        assertThat(rows).as("the properties SCDF's dashboard shows for %s", app.getFileName()).isNotEmpty()
                .isEqualTo(scdf.visibleNames());
    }

    @Test
    void eachCategoryReadmeLinksEveryAppInIt() throws IOException {
        for (String category : CATEGORIES) {
            String readme = Files.readString(ROOT.resolve(category).resolve("README.md"));
            try (Stream<Path> folders = Files.list(ROOT.resolve(category))) {
                for (Path app : folders.filter(f -> Files.isDirectory(f.resolve("src/main/java"))).toList()) {
                    Matcher link = Pattern.compile("\\]\\(" + Pattern.quote(app.getFileName().toString()) + "/README\\.md\\)").matcher(readme);
                    assertThat(link.find()).as("%s/README.md links %s's README", category, app.getFileName()).isTrue();
                }
            }
        }
    }

    private static Set<String> list(String value) {
        return value == null ? Set.of() : Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }
}
