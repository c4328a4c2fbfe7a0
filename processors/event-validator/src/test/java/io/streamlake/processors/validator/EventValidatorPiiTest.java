package io.streamlake.processors.validator;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The user-profile contract through the validator: what it writes out holds no e-mail, phone or street in the clear. */
class EventValidatorPiiTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T20:00:00Z"), ZoneOffset.UTC);

    @Test
    void personalFieldsLeaveHashedOrMaskedAndTheRecordIsStillCheckedFirst() throws Exception {
        ContractRepository shipped = ContractRepository.at("");
        EventValidator validator = new EventValidator(shipped.get("user-profile", ContractRepository.LATEST), shipped,
                ContractWire.Format.JSON, 1 << 20, 1000, CLOCK, "pepper");
        String profile = """
                {"user_id": "0f8fad5b-d9cb-469f-a165-70867728950e", "username": "ann1", "first_name": "Ann",
                 "last_name": "Borg", "email": "ann.borg@example.com", "phone": "+356 2123 4567",
                 "registered_at": "2026-11-01T10:00:00Z"}""";
        EventValidator.Result result = validator.validate(profile.getBytes(StandardCharsets.UTF_8));
        assertThat(result).isInstanceOf(EventValidator.Accepted.class);
        String out = new String(((EventValidator.Accepted) result).payload(), StandardCharsets.UTF_8);
        JsonNode json = Json.mapper().readTree(out);
        assertThat(out).doesNotContain("ann.borg").doesNotContain("2123 4567");
        assertThat(json.get("email").asText()).matches("[0-9a-f]{64}");
        assertThat(json.get("phone").asText()).endsWith("67").startsWith("****");
        assertThat(new String(((EventValidator.Accepted) result).key(), StandardCharsets.UTF_8))
                .isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
        // the checks see the real value: a malformed address is still refused, with its reason
        EventValidator.Result bad = validator.validate(profile.replace("ann.borg@example.com", "not-an-address")
                .replace("0f8fad5b", "1f8fad5b").getBytes(StandardCharsets.UTF_8));
        assertThat(bad).isInstanceOf(EventValidator.Rejected.class);
        assertThat(((EventValidator.Rejected) bad).detail()).contains("email");
        assertThatThrownBy(() -> new EventValidator(shipped.get("user-profile", ContractRepository.LATEST), shipped,
                ContractWire.Format.JSON, 1 << 20, 1000, CLOCK, null)).hasMessageContaining("a salt is required");
    }
}
