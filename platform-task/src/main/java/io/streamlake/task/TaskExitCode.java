package io.streamlake.task;

import org.springframework.boot.ExitCodeGenerator;

/**
 * The task's exit code as its job decided it. A bean of its own (not the runner): Spring Cloud Task wraps
 * {@code ApplicationRunner} beans for observation, and the wrapper would hide an exit code generator.
 */
public final class TaskExitCode implements ExitCodeGenerator {

    private volatile int exitCode;
    private volatile String exitMessage;

    void set(int exitCode) {
        this.exitCode = exitCode;
    }

    void set(int exitCode, String exitMessage) {
        this.exitCode = exitCode;
        this.exitMessage = exitMessage;
    }

    /** The job's exit status when it was not plain COMPLETED (e.g. EXPECTATIONS_FAILED), else null. */
    public String exitMessage() {
        return exitMessage;
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }
}
