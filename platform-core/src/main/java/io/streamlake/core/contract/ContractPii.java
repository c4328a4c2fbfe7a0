package io.streamlake.core.contract;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;

/**
 * Personal values made safe for analytics, as the contract marks them ({@code "pii": "hash"} or {@code "mask"} on a
 * string field), applied by event-validator after the checks and before the record is written out, so nothing
 * downstream (Kafka, ClickHouse, the warehouse) holds them in the clear:
 * <ul>
 *   <li>{@code hash}: HMAC-SHA256 of the value under a secret salt, as 64 hex digits: the same value gives the same
 *       hash (joins and counts still work), and without the salt it cannot be looked up in a dictionary;</li>
 *   <li>{@code mask}: all but the last two characters replaced by {@code *} (an e-mail keeps its first character and
 *       its domain: {@code j***@example.com}).</li>
 * </ul>
 * The salt comes from the deployment (event-validator.pii-salt, from the environment), never from the contract.
 */
public final class ContractPii {

    private final List<ContractField> fields;
    private final Mac mac;

    /**
     * @param salt the secret; required when the contract marks a field {@code hash}
     * @throws IllegalArgumentException when a field is to be hashed and there is no salt
     */
    public ContractPii(Contract contract, String salt) {
        this.fields = contract.fields().stream().filter(f -> f.pii != ContractField.Pii.NONE).toList();
        boolean hashes = fields.stream().anyMatch(f -> f.pii == ContractField.Pii.HASH);
        if (hashes && (salt == null || salt.isEmpty())) {
            throw new IllegalArgumentException("the contract " + contract.subject() + " hashes " + fields.stream()
                    .filter(f -> f.pii == ContractField.Pii.HASH).map(ContractField::name).toList()
                    + ": a salt is required (event-validator.pii-salt, e.g. from the environment variable EVENT_VALIDATOR_PIISALT)");
        }
        try {
            this.mac = hashes ? Mac.getInstance("HmacSHA256") : null;
            if (mac != null) {
                mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** True when the contract marks any field. */
    public boolean any() {
        return !fields.isEmpty();
    }

    /** The fields it hashes or masks. */
    public List<String> fieldNames() {
        return fields.stream().map(ContractField::name).toList();
    }

    /** Hashes and masks the marked values in place (values in the contract's field order; null stays null). */
    public void apply(Object[] values) {
        for (ContractField f : fields) {
            Object v = values[f.index];
            if (v instanceof String s) {
                values[f.index] = f.pii == ContractField.Pii.HASH ? hash(s) : mask(s);
            }
        }
    }

    private String hash(String value) {
        synchronized (mac) { // one validator thread in practice; Mac is not thread-safe
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        }
    }

    static String mask(String value) {
        int at = value.indexOf('@');
        if (at > 0) {
            return value.charAt(0) + "***" + value.substring(at);
        }
        int keep = Math.min(2, value.length() / 3);
        return "*".repeat(value.length() - keep) + value.substring(value.length() - keep);
    }
}
