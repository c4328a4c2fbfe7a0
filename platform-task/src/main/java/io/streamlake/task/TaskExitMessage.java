package io.streamlake.task;

import org.springframework.cloud.task.listener.TaskExecutionListener;
import org.springframework.cloud.task.repository.TaskExecution;

/**
 * Puts the job's own exit status (e.g. data-quality's {@code EXPECTATIONS_FAILED}) into the task execution's exit
 * message: SCDF's composed-task runner takes its transitions ({@code data-quality 'EXPECTATIONS_FAILED'->...}) from it.
 */
public final class TaskExitMessage implements TaskExecutionListener {

    private final TaskExitCode exitCode;

    public TaskExitMessage(TaskExitCode exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public void onTaskEnd(TaskExecution execution) {
        if (exitCode.exitMessage() != null && execution.getExitMessage() == null) {
            execution.setExitMessage(exitCode.exitMessage());
        }
    }
}
