package io.streamlake.tasks.materialization;

import io.lettuce.core.RedisURI;
import io.streamlake.features.offline.OfflineViewQuery;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.task.TaskJobRunner;
import io.streamlake.task.TaskProgressListener;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Clock;
import java.util.List;

/**
 * The feature-materialization job: a step per batch feature view ({@code materialize-<view>}), then, when
 * {@code verify-sample} is set, {@code consistency}. Exit code 0, 1 (failed: launch again to resume), or 2 (the
 * consistency check found mismatches).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FeatureMaterializationProperties.class)
public class FeatureMaterializationConfiguration {

    @Bean
    FeatureRegistry featureRegistry(FeatureMaterializationProperties properties) {
        return properties.getRegistryFile() == null ? FeatureRegistryLoader.casino() : FeatureRegistryLoader.load(properties.getRegistryFile());
    }

    /** The views to materialize; an unknown or stream view fails the task at start. */
    @Bean
    List<OfflineViewQuery> materializedViews(FeatureRegistry registry, FeatureMaterializationProperties properties) {
        return MaterializedViews.select(registry, properties.getViews());
    }

    @Bean
    ViewMaterializer.OfflineStore offlineStore(FeatureMaterializationProperties properties, javax.sql.DataSource warehouse) {
        return store -> {
            if ("postgres".equals(store)) {
                return warehouse.getConnection(); // the task's own PostgreSQL: the warehouse
            }
            return properties.getClickhouse().open();
        };
    }

    @Bean(destroyMethod = "close")
    FeastRedisWriter feastRedisWriter(FeatureRegistry registry, FeatureMaterializationProperties properties) {
        return new FeastRedisWriter(RedisURI.create(properties.getRedis().getUri()), registry.project(),
                properties.getRedis().getKeyTtl(), properties.getRedis().getTimeout());
    }

    @Bean
    MaterializationState materializationState(JdbcTemplate jdbc, FeatureMaterializationProperties properties) {
        return new MaterializationState(jdbc, properties.getStateSchema());
    }

    @Bean
    Job featureMaterializationJob(JobRepository repository, @Qualifier("transactionManager") PlatformTransactionManager tx,
                                  List<OfflineViewQuery> materializedViews, ViewMaterializer.OfflineStore offline,
                                  FeastRedisWriter writer, MaterializationState state, FeatureRegistry registry,
                                  FeatureMaterializationProperties properties, TaskProgressListener progress) {
        SimpleJobBuilder job = null;
        for (OfflineViewQuery view : materializedViews) {
            ViewMaterializer materializer = new ViewMaterializer(view, offline, writer, state, properties, Clock.systemUTC());
            var step = new StepBuilder("materialize-" + view.view().name(), repository).tasklet(materializer, tx)
                    .listener((StepExecutionListener) progress).listener((StepExecutionListener) materializer).build();
            job = job == null ? new JobBuilder("feature-materialization", repository).start(step) : job.next(step);
        }
        if (properties.getVerifySample() > 0) {
            ConsistencyCheck check = new ConsistencyCheck(registry, offline, state, RedisURI.create(properties.getRedis().getUri()));
            job.next(new StepBuilder("consistency", repository).tasklet(new ConsistencyTasklet(check, materializedViews,
                    properties.getVerifySample()), tx).allowStartIfComplete(true).build());
        }
        return job.build();
    }

    /** Exit code 2 when the consistency check found mismatches. */
    @Bean
    TaskJobRunner.JobOutcome materializationOutcome(MaterializationState state) {
        return execution -> state.mismatches(execution.getJobInstance().getInstanceId()) > 0 ? 2 : 0;
    }
}
