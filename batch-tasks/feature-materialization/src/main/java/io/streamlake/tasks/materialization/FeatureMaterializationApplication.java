package io.streamlake.tasks.materialization;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

/** The feature-materialization task: exits 0 (done), 1 (failed: launch again to resume) or 2 (online/offline mismatch). */
@SpringBootApplication
@EnableTask
public class FeatureMaterializationApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(FeatureMaterializationApplication.class, args)));
    }
}
