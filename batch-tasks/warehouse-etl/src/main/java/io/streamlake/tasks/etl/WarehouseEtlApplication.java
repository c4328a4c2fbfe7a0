package io.streamlake.tasks.etl;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

/** The warehouse-etl task: runs its job once and exits with its outcome (0 completed, 1 failed). */
@SpringBootApplication
@EnableTask
public class WarehouseEtlApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(WarehouseEtlApplication.class, args)));
    }
}
