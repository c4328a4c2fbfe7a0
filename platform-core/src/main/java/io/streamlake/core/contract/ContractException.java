package io.streamlake.core.contract;

/** A contract that cannot be used: not valid Avro, or rules that name unknown fields, reasons or parameters. */
public class ContractException extends RuntimeException {

    public ContractException(String message) {
        super(message);
    }

    public ContractException(String message, Throwable cause) {
        super(message, cause);
    }
}
