package io.streamlake.core.contract;

import io.streamlake.core.event.RejectionReason;
import org.springframework.expression.Expression;

import java.util.List;
import java.util.Set;

/**
 * A cross-field rule of a contract, in SpEL over the record's fields (by name) and {@code #parameters}: applies to the
 * discriminator values in {@code on} (all when empty), unless {@code unless} holds; then the fields in {@code require}
 * must be present and {@code check} must be true.
 *
 * @param name    what the rule is called (in the DLQ detail)
 * @param on      discriminator values it applies to; empty for every record
 * @param unless  a condition that exempts a record, or null
 * @param require fields that must be present (MISSING_FIELD otherwise)
 * @param check   the condition a record must meet, or null
 * @param field   the field a failed check is about
 * @param reason  the rejection reason of a failed check (RULE_VIOLATED unless the contract names another)
 * @param message what the rule says, in words
 */
public record ContractRule(String name, Set<String> on, Expression unless, List<ContractField> require, Expression check,
                           ContractField field, RejectionReason reason, String message) {
}
