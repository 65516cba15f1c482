package dev.mqttsuite.reason;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.reason.Mqtt3Mapping.PublishOutcome;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class Mqtt3MappingTest {

    @ParameterizedTest(name = "{0} -> 3.1.1 CONNACK return code {1}")
    @CsvSource({
        "SUCCESS, 0",
        "UNSUPPORTED_PROTOCOL_VERSION, 1",
        "CLIENT_IDENTIFIER_NOT_VALID, 2",
        "SERVER_UNAVAILABLE, 3",
        "SERVER_BUSY, 3",
        "BAD_USER_NAME_OR_PASSWORD, 4",
        "NOT_AUTHORIZED, 5",
        "BANNED, 5"
    })
    void connackCodes_mapToTable3_1(ConnackReasonCode code, int expected) {
        assertThat(Mqtt3Mapping.connackReturnCode(code)).isEqualTo(OptionalInt.of(expected));
    }

    @Test
    void malformedConnect_getsNoConnackIn311_theConnectionIsClosed() {
        assertThat(Mqtt3Mapping.connackReturnCode(ConnackReasonCode.MALFORMED_PACKET)).isEmpty();
        assertThat(Mqtt3Mapping.connackReturnCode(ConnackReasonCode.PROTOCOL_ERROR)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ConnackReasonCode.class)
    void everyConnackCodeHasAValid311Reaction(ConnackReasonCode code) {
        OptionalInt mapped = Mqtt3Mapping.connackReturnCode(code);
        mapped.ifPresent(rc -> assertThat(rc).isBetween(0, 5));
        assertThat(mapped.isPresent() && mapped.getAsInt() == 0).isEqualTo(!code.isError());
    }

    @ParameterizedTest
    @EnumSource(SubackReasonCode.class)
    void subackFailures_become0x80_grantsKeepTheirQos(SubackReasonCode code) {
        int mapped = Mqtt3Mapping.subackReturnCode(code);
        if (code.isError()) {
            assertThat(mapped).isEqualTo(0x80);
        } else {
            assertThat(mapped).isEqualTo(code.reasonCode().unsignedCode());
        }
    }

    @Test
    void publishNotAuthorized_isAcknowledgedAndDropped_transientFailureWithholdsAck() {
        assertThat(Mqtt3Mapping.publishOutcome(PubackReasonCode.NOT_AUTHORIZED)).isEqualTo(PublishOutcome.ACKNOWLEDGE);
        assertThat(Mqtt3Mapping.publishOutcome(PubackReasonCode.IMPLEMENTATION_SPECIFIC_ERROR))
                .isEqualTo(PublishOutcome.WITHHOLD_ACKNOWLEDGEMENT);
        assertThat(Mqtt3Mapping.publishOutcome(PubackReasonCode.TOPIC_NAME_INVALID))
                .isEqualTo(PublishOutcome.CLOSE_CONNECTION);
    }
}
