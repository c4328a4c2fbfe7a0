package io.streamlake.tasks.historical;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

/** The historical-features task: writes a point-in-time correct training set and exits 0, or 1 when it failed. */
@SpringBootApplication
@EnableTask
public class HistoricalFeaturesApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(HistoricalFeaturesApplication.class, args)));
    }
}
