package io.streamlake.tasks.interactions;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

/** The interaction-report task: reports one minute of user interactions and exits 0, or 1 when it failed. */
@SpringBootApplication
@EnableTask
public class InteractionReportApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(InteractionReportApplication.class, args)));
    }
}
