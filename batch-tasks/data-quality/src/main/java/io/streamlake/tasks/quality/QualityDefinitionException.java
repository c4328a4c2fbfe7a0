package io.streamlake.tasks.quality;

/** A problem in a suite file; the message starts with {@code file:line:}. The task fails before checking anything. */
public final class QualityDefinitionException extends IllegalArgumentException {
    public QualityDefinitionException(String message) {
        super(message);
    }
}
