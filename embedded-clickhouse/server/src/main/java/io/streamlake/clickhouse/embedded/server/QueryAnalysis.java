package io.streamlake.clickhouse.embedded.server;

/** The engine parser's verdict on a statement text (chdb_query_analysis_v1). */
public record QueryAnalysis(int statementCount, int flags, QueryClass queryClass) {

    public enum QueryClass {
        READ_ONLY, MUTATING, MUTATING_GLOBAL, CONTROL, UNKNOWN;

        static QueryClass of(int code) {
            QueryClass[] all = values();
            return code >= 0 && code < all.length ? all[code] : UNKNOWN;
        }
    }
}
