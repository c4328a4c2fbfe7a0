package io.streamlake.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker stack's files hold together (the engine cannot run here; CI also runs {@code docker-compose config} where
 * it is installed): the services and SCDF 2.11 images, every file a service mounts, Prometheus scraping Skipper's app
 * port range, and dashboards that parse and ask for metrics and tables the platform has.
 */
class StackFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileRunsScdfWithOurStoresAndMonitoring() throws IOException {
        Map<String, Object> compose = yaml(ROOT.resolve("docker-compose.yml"));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("kafka", "clickhouse", "postgres", "redis", "schema-registry", "skipper-server",
                "dataflow-server", "prometheus", "grafana", "feature-server", "report-api", "demo-apis");
        // the registry runs the jar serving/schema-registry builds, under the name and version the pom gives it
        String registryJar = ((List<Object>) services.get("schema-registry").get("command")).get(3).toString();
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        int own = pom.indexOf("<artifactId>streamlake-parent</artifactId>");
        String version = pom.substring(pom.indexOf("<version>", own) + 9, pom.indexOf("</version>", own));
        assertThat(registryJar).isEqualTo("/opt/streamlake/serving/schema-registry/target/schema-registry-" + version + ".jar");
        // the other servers run the jars their modules build, under the same version
        for (String server : List.of("schema-registry", "feature-server", "report-api", "demo-apis")) {
            String jar = ((List<Object>) services.get(server).get("command")).get(3).toString();
            assertThat(jar).as(server).matches("/opt/streamlake/(.+)/target/[a-z-]+-" + java.util.regex.Pattern.quote(version)
                    + "(-exec)?\\.jar");
            String module = jar.replaceFirst("/opt/streamlake/(.+)/target/.*", "$1");
            assertThat(ROOT.resolve(module).resolve("pom.xml")).as(server).exists();
            assertThat(Files.readString(ROOT.resolve(module).resolve("pom.xml"))).as(server)
                    .contains("<artifactId>" + jar.replaceFirst(".*/target/([a-z-]+)-" + java.util.regex.Pattern.quote(version) + ".*", "$1")
                            + "</artifactId>");
        }
        assertThat((String) services.get("dataflow-server").get("image")).matches(".*spring-cloud-dataflow-server:2\\.11\\.\\d+");
        assertThat((String) services.get("skipper-server").get("image")).matches(".*spring-cloud-skipper-server:2\\.11\\.\\d+");
        assertThat(services.get("kafka").get("ports").toString()).doesNotContain("19092:");
        Map<String, Object> scdf = (Map<String, Object>) services.get("dataflow-server").get("environment");
        assertThat(scdf.get("SPRING_CLOUD_SKIPPER_CLIENT_SERVER_URI")).isEqualTo("http://skipper-server:7577/api");
        assertThat(scdf.get("SPRING_CLOUD_DATAFLOW_APPLICATIONPROPERTIES_TASK_SPRING_DATASOURCE_URL").toString()).contains("//postgres:5432/");
        for (Map.Entry<String, Map<String, Object>> service : services.entrySet()) {
            for (Object volume : (List<Object>) service.getValue().getOrDefault("volumes", List.of())) {
                String source = volume.toString().split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(ROOT.resolve(source)).as("%s mounts %s", service.getKey(), source).exists();
                }
            }
        }
        Map<String, Object> skipper = (Map<String, Object>) services.get("skipper-server").get("environment");
        int low = Integer.parseInt(skipper.get("SPRING_CLOUD_SKIPPER_SERVER_PLATFORM_LOCAL_ACCOUNTS_DEFAULT_PORTRANGE_LOW").toString());
        int high = Integer.parseInt(skipper.get("SPRING_CLOUD_SKIPPER_SERVER_PLATFORM_LOCAL_ACCOUNTS_DEFAULT_PORTRANGE_HIGH").toString());
        assertThat(services.get("skipper-server").get("ports").toString()).contains(low + "-" + high + ":" + low + "-" + high);

        Map<String, Object> prometheus = yaml(ROOT.resolve("monitoring/prometheus/prometheus.yml"));
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        Map<String, Object> apps = jobs.stream().filter(j -> j.get("job_name").equals("streamlake-apps")).findFirst().orElseThrow();
        assertThat(apps.get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<String> targets = (List<String>) ((List<Map<String, Object>>) apps.get("static_configs")).get(0).get("targets");
        Set<String> expected = new HashSet<>();
        for (int port = low; port <= high; port++) {
            expected.add("skipper-server:" + port);
        }
        assertThat(targets).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void theDashboardsParseAndAskForMetricsAndTablesThePlatformHas() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Set<String> uids = new HashSet<>();
        Pattern metric = Pattern.compile("\\b(streamlake_records_\\w+|feature_server_\\w+)");
        Pattern table = Pattern.compile("streamlake\\.(\\w+)");
        List<String> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("monitoring/grafana/dashboards"))) {
            for (Path file : files.toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                assertThat(uids.add(dashboard.path("uid").asText())).as("unique uid in %s", file.getFileName()).isTrue();
                assertThat(dashboard.path("panels").size()).as(file.getFileName().toString()).isGreaterThanOrEqualTo(4);
                dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.add(t.path("expr").asText() + t.path("rawSql").asText())));
            }
        }
        assertThat(uids).containsExactlyInAnyOrder("streamlake-streams", "streamlake-casino");
        for (String q : queries) {
            Matcher m = metric.matcher(q);
            while (m.find()) {
                assertThat(m.group(1)).as(q).isIn("streamlake_records_in_total", "streamlake_records_out_total",
                        "streamlake_records_rejected_total", "feature_server_get_online_features_seconds_bucket");
            }
            Matcher t = table.matcher(q);
            while (t.find()) {
                assertThat(t.group(1)).as(q).isIn("casino_events", "casino_events_game_minute", "casino_events_customer_totals");
            }
        }
    }
}
