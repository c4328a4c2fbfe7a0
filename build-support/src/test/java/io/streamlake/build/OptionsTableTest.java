package io.streamlake.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OptionsTableTest {

    private static final String METADATA = """
            {"groups": [
               {"name": "app", "type": "com.example.AppProperties"},
               {"name": "app.nested", "type": "com.example.AppProperties$Nested", "sourceType": "com.example.AppProperties"},
               {"name": "shared", "type": "com.example.Shared"},
               {"name": "shared", "type": "com.example.OtherShared"},
               {"name": "spring.datasource", "type": "org.example.DataSourceProperties"}],
             "properties": [
               {"name": "app.size", "type": "java.lang.Integer", "sourceType": "com.example.AppProperties", "defaultValue": 10,
                "description": "How many,\\n  at most | per poll."},
               {"name": "app.name", "type": "java.lang.String", "sourceType": "com.example.AppProperties", "defaultValue": ""},
               {"name": "app.old", "type": "java.lang.String", "sourceType": "com.example.AppProperties", "deprecation": {}},
               {"name": "app.nested.formats", "type": "java.util.List<java.lang.String>",
                "sourceType": "com.example.AppProperties$Nested", "defaultValue": ["a", "b"]},
               {"name": "shared.flag", "type": "java.lang.Boolean", "sourceType": "com.example.Shared", "defaultValue": true},
               {"name": "spring.datasource.url", "type": "java.lang.String", "sourceType": "org.example.DataSourceProperties"},
               {"name": "spring.datasource.username", "type": "java.lang.String", "sourceType": "org.example.DataSourceProperties"}]}
            """;

    @Test
    void listsWhatScdfShowsWithDefaultsAndOneLineDescriptions() throws Exception {
        String table = OptionsTable.render(new ObjectMapper().readTree(METADATA),
                Set.of("com.example.AppProperties", "com.example.AppProperties$Nested", "com.example.Shared"),
                Set.of("spring.datasource.url"));
        assertThat(table).isEqualTo("""
                | property | default | description |
                |---|---|---|
                | `app.name` | (empty) |  |
                | `app.nested.formats` | `a, b` |  |
                | `app.size` | `10` | How many, at most \\| per poll. |
                | `spring.datasource.url` |  |  |
                """);
        // shared.flag: its group name is bound by a second type that is not listed, so SCDF does not show it;
        // app.old: deprecated; spring.datasource.username: neither its group nor its name is listed.
    }

    @Test
    void theTableSitsBetweenTheMarkersAndIsReplacedThere() {
        String readme = "# app\n\n## Options\n\n" + OptionsTable.BEGIN + "\nold\n" + OptionsTable.END + "\n\n## Run it\n";
        assertThat(OptionsTable.in(readme)).isEqualTo("old\n");
        String updated = OptionsTable.replace(readme, "| new |\n");
        assertThat(OptionsTable.in(updated)).isEqualTo("| new |\n");
        assertThat(updated).startsWith("# app\n\n## Options\n\n").endsWith(OptionsTable.END + "\n\n## Run it\n");
        assertThat(OptionsTable.in("# no table")).isNull();
        assertThat(OptionsTable.replace("# no table", "x")).isEqualTo("# no table");
    }
}
