package io.streamlake.core.event;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractJson;
import io.streamlake.core.contract.ContractRepository;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * The JSON form of {@link CasinoEvent}: the {@code casino-activity} contract's JSON ({@link ContractJson}), typed, for
 * the apps that compute with casino events (the simulator, the aggregator's windows). Field names are snake_case
 * ({@code event_id, customer_id, activity_datetime, game_activity, game_id, game_type, bet_amount, win_amount,
 * bonus_amount, transaction_amount, currency, schema_version}); nulls are left out; amounts are plain JSON numbers
 * with their exact scale; {@code activity_datetime} is ISO-8601 UTC with milliseconds. Reading ignores unknown fields,
 * checks types without coercing them and leaves whether a field is required to the contract's checks.
 */
public final class CasinoEventJson {

    /** The shipped contract whose JSON this is. */
    public static final Contract CONTRACT = ContractRepository.at(null).get("casino-activity", ContractRepository.LATEST);
    private static final ContractJson JSON = new ContractJson(CONTRACT);

    private CasinoEventJson() {
    }

    public static byte[] write(CasinoEvent e) {
        return JSON.write(values(e));
    }

    /** Parses and type-checks; semantic checks (required fields, ranges) are the contract checks'. */
    public static CasinoEvent read(byte[] json) {
        return event(JSON.read(json));
    }

    /** The event's values in the contract's field order. */
    public static Object[] values(CasinoEvent e) {
        return new Object[] {e.eventId(), e.customerId(), e.activityDatetime(), e.gameActivity(), e.gameId(), e.gameType(),
                e.betAmount(), e.winAmount(), e.bonusAmount(), e.transactionAmount(), e.currency(), e.schemaVersion()};
    }

    /** The event of values in the contract's field order (as {@link ContractJson} reads them). */
    public static CasinoEvent event(Object[] v) {
        return new CasinoEvent((UUID) v[0], (String) v[1], (Instant) v[2], (String) v[3], (String) v[4], (String) v[5],
                (BigDecimal) v[6], (BigDecimal) v[7], (BigDecimal) v[8], (BigDecimal) v[9], (String) v[10],
                v[11] == null ? CasinoEvent.CURRENT_SCHEMA_VERSION : (Integer) v[11]);
    }
}
