package io.streamlake.tasks.fraud;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.task.configuration.EnableTask;

/** The fraud-model-training task: trains, evaluates and registers a fraud model; exits 0, or 1 when it failed. */
@SpringBootApplication
@EnableTask
public class FraudModelTrainingApplication {

    public static void main(String[] args) {
        System.exit(SpringApplication.exit(SpringApplication.run(FraudModelTrainingApplication.class, args)));
    }
}
