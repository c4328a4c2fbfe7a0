package io.streamlake.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerProcessTest {

    @TempDir
    Path dir;

    @Test
    void waitsForReadinessAndStopsWithSigterm() {
        Path marker = dir.resolve("ready");
        ServerProcess p = ServerProcess.start("sleeper", List.of("bash", "-c",
                "trap 'echo got TERM; exit 0' TERM; touch " + marker + "; while true; do sleep 0.1; done"),
                dir, dir.resolve("out.log"));
        p.awaitReady(() -> Files.exists(marker), Duration.ofSeconds(10));
        assertThat(p.isAlive()).isTrue();
        p.stop(Duration.ofSeconds(10));
        assertThat(p.isAlive()).isFalse();
        assertThat(p.logTail(5)).contains("got TERM");
    }

    @Test
    void aProcessThatDiesBeforeItIsReadyFailsWithItsOwnOutput() {
        ServerProcess p = ServerProcess.start("broken", List.of("bash", "-c", "echo 'port already in use' >&2; exit 7"),
                dir, dir.resolve("out.log"));
        assertThatThrownBy(() -> p.awaitReady(() -> false, Duration.ofSeconds(10)))
                .hasMessageContaining("broken exited with code 7")
                .hasMessageContaining("port already in use");
    }

    @Test
    void killEndsAProcessThatIgnoresSigterm() {
        ServerProcess p = ServerProcess.start("stubborn", List.of("bash", "-c", "trap '' TERM; while true; do sleep 0.1; done"),
                dir, dir.resolve("out.log"));
        p.kill();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void notReadyInTimeIsKilledAndReported() {
        ServerProcess p = ServerProcess.start("slow", List.of("bash", "-c", "echo starting; sleep 60"),
                dir, dir.resolve("out.log"));
        assertThatThrownBy(() -> p.awaitReady(() -> false, Duration.ofMillis(500)))
                .hasMessageContaining("slow was not ready within")
                .hasMessageContaining("starting");
        assertThat(p.isAlive()).isFalse();
    }
}
