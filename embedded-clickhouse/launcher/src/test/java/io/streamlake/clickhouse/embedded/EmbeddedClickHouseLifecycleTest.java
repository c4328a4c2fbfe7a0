package io.streamlake.clickhouse.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server behaves like a server: it keeps its data through a kill -9 and guards its data directory. */
class EmbeddedClickHouseLifecycleTest {

    @TempDir
    Path dataDir;

    @Test
    void dataSurvivesKillMinus9AndRestart() throws Exception {
        EmbeddedClickHouse ch = EmbeddedClickHouse.builder().dataDir(dataDir).build().start();
        try {
            ch.query("CREATE DATABASE durable");
            try (Connection c = DriverManager.getConnection(ch.jdbcUrl("durable"), "default", "");
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE t (id UInt64, v String) ENGINE = MergeTree ORDER BY id");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
                    for (int i = 0; i < 10_000; i++) {
                        ps.setLong(1, i);
                        ps.setString(2, "v" + i);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            long pid = ch.pid();
            int port = ch.port();
            ch.kill();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(ch.ping()).isFalse();

            ch.start();
            assertThat(ch.pid()).isNotEqualTo(pid);
            assertThat(ch.port()).isEqualTo(port); // clients reconnect to the same address
            assertThat(ch.query("durable", "SELECT count(), sum(id), countIf(v = concat('v', toString(id))) FROM t").strip())
                    .isEqualTo("10000\t49995000\t10000");
            ch.query("durable", "INSERT INTO t VALUES (10000, 'after restart')");
            assertThat(ch.query("durable", "SELECT count() FROM t").strip()).isEqualTo("10001");
        } finally {
            ch.stop();
        }
    }

    @Test
    void secondProcessOnTheSameDataDirFailsWithAClearMessage() {
        EmbeddedClickHouse first = EmbeddedClickHouse.builder().dataDir(dataDir).build().start();
        try {
            EmbeddedClickHouse second = EmbeddedClickHouse.builder().dataDir(dataDir).build();
            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 3")
                    .hasMessageContaining("is in use by another embedded ClickHouse process (pid " + first.pid() + ")");
            assertThat(first.ping()).isTrue();
            assertThat(first.query("SELECT 1").strip()).isEqualTo("1");
        } finally {
            first.stop();
        }
    }

    @Test
    void gracefulStopReleasesTheDataDirForTheNextProcess() {
        EmbeddedClickHouse ch = EmbeddedClickHouse.builder().dataDir(dataDir).build().start();
        ch.query("CREATE DATABASE kept");
        ch.query("CREATE TABLE kept.t (x UInt8) ENGINE = MergeTree ORDER BY x");
        ch.query("INSERT INTO kept.t VALUES (7)");
        ch.stop();
        assertThat(ch.isRunning()).isFalse();
        EmbeddedClickHouse next = EmbeddedClickHouse.builder().dataDir(dataDir).build().start();
        try {
            assertThat(next.query("SELECT x FROM kept.t").strip()).isEqualTo("7");
        } finally {
            next.stop();
        }
    }

    @Test
    void serverRefusesANonEmptyWorkingDirectoryAndMissingArguments() throws Exception {
        EmbeddedClickHouse ch = EmbeddedClickHouse.builder().dataDir(dataDir).build();
        java.nio.file.Files.createDirectories(dataDir.resolve("work"));
        java.nio.file.Files.writeString(dataDir.resolve("work/stray.csv"), "a,b\n");
        assertThatThrownBy(ch::start)
                .hasMessageContaining("exited with code 2")
                .hasMessageContaining("is not empty");
    }
}
