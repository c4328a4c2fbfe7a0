package io.streamlake.serving.reports;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The report API: the interaction reports the interaction-report task writes, over HTTP. */
@SpringBootApplication
@EnableConfigurationProperties(ReportApiProperties.class)
public class ReportApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReportApiApplication.class, args);
    }

    @Bean
    InteractionReports interactionReports(ReportApiProperties p) {
        return new InteractionReports(p.getClickhouseUrl(), p.getClickhouseUsername(), p.getClickhousePassword(),
                p.getReportTable(), p.getMaxRange());
    }
}
