package io.streamlake.tasks.etl;

import io.streamlake.testsupport.TestPostgres;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches the warehouse-etl task in-process as SCDF would launch it (command-line properties, one run per launch)
 * against the real PostgreSQL: the task and batch repositories in a schema of the test's own, staging and
 * warehouse in schemas of their own.
 */
final class EtlLaunches implements AutoCloseable {

    final String repositorySchema = TestPostgres.createSchema("etl_repo");
    final String staging = TestPostgres.createSchema("etl_staging");
    final String warehouse = TestPostgres.createSchema("etl_wh");
    final Path inputDir;

    EtlLaunches(Path inputDir) {
        this.inputDir = inputDir;
    }

    /** Runs the task once; returns its exit code (1 when the job failed and the launch threw, as the JVM would exit). */
    int launch(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + TestPostgres.jdbcUrl(repositorySchema),
                "--spring.datasource.username=" + TestPostgres.user(),
                "--spring.datasource.password=" + TestPostgres.password(),
                "--warehouse-etl.staging-schema=" + staging,
                "--warehouse-etl.warehouse-schema=" + warehouse,
                "--warehouse-etl.input-dir=" + inputDir,
                "--streamlake.task.progress-interval=0s"));
        args.addAll(List.of(extra));
        try {
            ConfigurableApplicationContext context = new SpringApplicationBuilder(WarehouseEtlApplication.class)
                    .run(args.toArray(String[]::new));
            return SpringApplication.exit(context);
        } catch (RuntimeException failed) {
            return 1;
        }
    }

    @Override
    public void close() {
        TestPostgres.dropSchema(repositorySchema);
        TestPostgres.dropSchema(staging);
        TestPostgres.dropSchema(warehouse);
        TestPostgres.dropSchema(warehouse + "_archive");
    }
}
