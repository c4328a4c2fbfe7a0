package io.streamlake.core.contract;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Personal values hashed or masked as the contract marks them, after the checks. */
class ContractPiiTest {

    private static final Contract PROFILES = ContractRepository.at("").get("user-profile", ContractRepository.LATEST);
    private static final String PROFILE = """
            {"user_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "username": "ann1", "first_name": "Ann", "last_name": "Borg",
             "email": "Ann.Borg@Example.com", "phone": "+356 2123 4567", "street": "12 Merchants Street",
             "registered_at": "2026-11-01T10:00:00Z"}""";

    private static Object[] valid() {
        Object[] v = new ContractJson(PROFILES).read(PROFILE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        new ContractChecks(PROFILES, Clock.fixed(Instant.parse("2026-11-23T20:00:00Z"), ZoneOffset.UTC)).check(v);
        return v;
    }

    private static Object field(Object[] v, String name) {
        return v[PROFILES.field(name).index()];
    }

    @Test
    void theEmailIsHashedUnderTheSaltAndThePhoneAndStreetMasked() {
        Object[] v = valid();
        ContractPii pii = new ContractPii(PROFILES, "pepper");
        assertThat(pii.fieldNames()).containsExactly("email", "phone", "street");
        pii.apply(v);
        String hash = (String) field(v, "email");
        assertThat(hash).matches("[0-9a-f]{64}");
        Object[] again = valid();
        pii.apply(again);
        assertThat(field(again, "email")).as("the same address, the same hash: joins still work").isEqualTo(hash);
        Object[] otherSalt = valid();
        new ContractPii(PROFILES, "salt").apply(otherSalt);
        assertThat(field(otherSalt, "email")).isNotEqualTo(hash);
        assertThat(field(v, "phone")).isEqualTo("************67");
        assertThat(field(v, "street")).isEqualTo("*****************et");
        assertThat(field(v, "first_name")).isEqualTo("Ann");
        assertThat(ContractPii.mask("ann@example.com")).isEqualTo("a***@example.com");
    }

    @Test
    void aContractThatHashesNeedsASaltAndOnlyStringsAreMarked() {
        assertThatThrownBy(() -> new ContractPii(PROFILES, null)).hasMessageContaining("[email]")
                .hasMessageContaining("EVENT_VALIDATOR_PIISALT");
        assertThat(new ContractPii(ContractRepository.at("").get("orders", ContractRepository.LATEST), null).any()).isFalse();
        String bad = """
                {"type": "record", "name": "T", "namespace": "x", "fields": [
                  {"name": "n", "type": "long", "streamlake": {"pii": "hash"}}]}""";
        assertThatThrownBy(() -> ContractParser.parse("t", bad)).hasMessageContaining("only string fields");
    }
}
