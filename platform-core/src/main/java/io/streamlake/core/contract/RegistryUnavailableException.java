package io.streamlake.core.contract;

/**
 * The schema registry could not answer (down, unreachable, a server error): not the record's fault, so the record is
 * retried, never sent to the DLQ.
 */
public class RegistryUnavailableException extends ContractException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
