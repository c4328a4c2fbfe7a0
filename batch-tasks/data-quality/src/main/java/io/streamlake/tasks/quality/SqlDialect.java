package io.streamlake.tasks.quality;

import io.streamlake.common.sql.SqlIdentifier;
import io.streamlake.common.sql.SqlLiteral;

/** The SQL that differs between PostgreSQL and ClickHouse for the checks. */
enum SqlDialect {
    POSTGRES {
        @Override
        String ident(String name) {
            return SqlIdentifier.of("column or table", name).postgres();
        }

        @Override
        String literal(String s) {
            return SqlLiteral.postgres(s);
        }

        @Override
        String text(String expr) {
            return "CAST(" + expr + " AS text)";
        }

        @Override
        String matches(String expr, String pattern) {
            return text(expr) + " ~ " + literal(pattern);
        }

        @Override
        String epochSeconds(String expr) {
            return "CAST(extract(epoch FROM " + expr + ") AS bigint)";
        }

        @Override
        String columnsQuery(String schema, String table) {
            return "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    + (schema == null ? "current_schema()" : literal(schema)) + " AND table_name = " + literal(table);
        }
    },
    CLICKHOUSE {
        @Override
        String ident(String name) {
            return SqlIdentifier.of("column or table", name).clickHouse();
        }

        @Override
        String literal(String s) {
            return SqlLiteral.clickHouse(s);
        }

        @Override
        String text(String expr) {
            return "toString(" + expr + ")";
        }

        @Override
        String matches(String expr, String pattern) {
            return "match(" + text(expr) + ", " + literal(pattern) + ")";
        }

        @Override
        String epochSeconds(String expr) {
            return "toUnixTimestamp(" + expr + ")";
        }

        @Override
        String columnsQuery(String schema, String table) {
            return "SELECT name FROM system.columns WHERE database = " + (schema == null ? "currentDatabase()" : literal(schema))
                    + " AND table = " + literal(table);
        }
    };

    abstract String ident(String name);

    abstract String literal(String s);

    abstract String text(String expr);

    abstract String matches(String expr, String pattern);

    abstract String epochSeconds(String expr);

    abstract String columnsQuery(String schema, String table);

    static SqlDialect of(QualitySuite.Source source) {
        return source == QualitySuite.Source.POSTGRES ? POSTGRES : CLICKHOUSE;
    }

    /** {@code schema.table} or {@code table}, each part quoted. */
    String table(String qualified) {
        int dot = qualified.indexOf('.');
        return dot < 0 ? ident(qualified) : ident(qualified.substring(0, dot)) + "." + ident(qualified.substring(dot + 1));
    }
}
