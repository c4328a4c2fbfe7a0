package io.streamlake.tasks.quality;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

/** The data-quality task: exits 0 (all error-severity expectations passed), 2 (one failed) or 1 (the run failed). */
@SpringBootApplication
@EnableTask
public class DataQualityApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(DataQualityApplication.class, args)));
    }
}
