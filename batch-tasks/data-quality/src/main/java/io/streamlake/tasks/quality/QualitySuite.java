package io.streamlake.tasks.quality;

import java.util.List;

/** The expectations of one dataset: a table in PostgreSQL or ClickHouse, declared in one YAML file. */
public record QualitySuite(String dataset, Source source, String table, List<Expectation> expectations, String file) {

    /** Where the dataset lives. */
    public enum Source { POSTGRES, CLICKHOUSE }
}
