package io.streamlake.tasks.quality;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens a connection to the database a suite checks (the task's PostgreSQL, or ClickHouse). */
@FunctionalInterface
interface SuiteConnections {
    Connection open(QualitySuite.Source source) throws SQLException;
}
