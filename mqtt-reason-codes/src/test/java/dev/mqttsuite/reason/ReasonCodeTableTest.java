package dev.mqttsuite.reason;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReasonCodeTableTest {

    static Stream<Arguments> perPacketTypes() {
        return Stream.of(
                Arguments.of(ConnackReasonCode.class, EnumSet.of(PacketType.CONNACK)),
                Arguments.of(PubackReasonCode.class, EnumSet.of(PacketType.PUBACK, PacketType.PUBREC)),
                Arguments.of(PubrelReasonCode.class, EnumSet.of(PacketType.PUBREL, PacketType.PUBCOMP)),
                Arguments.of(SubackReasonCode.class, EnumSet.of(PacketType.SUBACK)),
                Arguments.of(UnsubackReasonCode.class, EnumSet.of(PacketType.UNSUBACK)),
                Arguments.of(DisconnectReasonCode.class, EnumSet.of(PacketType.DISCONNECT)),
                Arguments.of(AuthReasonCode.class, EnumSet.of(PacketType.AUTH)));
    }

    @ParameterizedTest(name = "{0} holds exactly the table''s codes for {1}")
    @MethodSource("perPacketTypes")
    void perPacketType_holdsExactlyTheTableEntriesOfItsPackets(Class<? extends PacketReasonCode> type,
            Set<PacketType> packets) {
        Set<ReasonCode> fromEnum = Arrays.stream(type.getEnumConstants())
                .map(PacketReasonCode::reasonCode)
                .collect(Collectors.toSet());
        for (PacketType packet : packets) {
            assertThat(fromEnum).as("codes of %s", packet).isEqualTo(ReasonCode.allowedIn(packet));
        }
    }

    @Test
    void everyPacketHasItsSuccessOrGrantedCodeAtZero() {
        for (PacketType packet : PacketType.values()) {
            assertThat(ReasonCode.allowedIn(packet))
                    .as("%s has a 0x00 code", packet)
                    .anyMatch(code -> code.unsignedCode() == 0x00);
        }
    }

    @Test
    void codesAtOrAbove0x80_areErrors_belowAreNot() {
        assertThat(ReasonCode.PACKET_TOO_LARGE.isError()).isTrue();
        assertThat(ReasonCode.UNSPECIFIED_ERROR.isError()).isTrue();
        assertThat(ReasonCode.NO_MATCHING_SUBSCRIBERS.isError()).isFalse();
        assertThat(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE.isError()).isFalse();
    }

    @Test
    void sameByteMeansDifferentThingsPerPacket() {
        assertThat(DisconnectReasonCode.fromByte(0x00)).isEqualTo(DisconnectReasonCode.NORMAL_DISCONNECTION);
        assertThat(SubackReasonCode.fromByte(0x00)).isEqualTo(SubackReasonCode.GRANTED_QOS_0);
        assertThat(ConnackReasonCode.fromByte(0x00)).isEqualTo(ConnackReasonCode.SUCCESS);
    }

    @Test
    void wireBytesMatchTheSpecification() {
        assertThat(DisconnectReasonCode.SESSION_TAKEN_OVER.code()).isEqualTo((byte) 0x8E);
        assertThat(DisconnectReasonCode.MAXIMUM_CONNECT_TIME.code()).isEqualTo((byte) 0xA0);
        assertThat(AuthReasonCode.RE_AUTHENTICATE.code()).isEqualTo((byte) 0x19);
        assertThat(ConnackReasonCode.SERVER_UNAVAILABLE.code()).isEqualTo((byte) 0x88);
        assertThat(DisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED.code()).isEqualTo((byte) 0x93);
    }

    @Test
    void byteNotAllowedInPacket_isRejectedWithPacketName() {
        assertThatThrownBy(() -> AuthReasonCode.fromByte(0x87))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x87")
                .hasMessageContaining("AUTH");
        assertThatThrownBy(() -> ConnackReasonCode.fromByte(0x8E)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyDefinedByteRoundTripsThroughEachPacket() {
        for (PacketType packet : PacketType.values()) {
            for (ReasonCode code : ReasonCode.allowedIn(packet)) {
                assertThat(ReasonCode.fromByte(packet, code.code())).isEqualTo(code);
            }
        }
    }

    @Test
    void noByteIsDefinedTwiceForOnePacket() {
        for (PacketType packet : PacketType.values()) {
            long distinct = ReasonCode.allowedIn(packet).stream().mapToInt(ReasonCode::unsignedCode).distinct().count();
            assertThat(distinct).as("distinct bytes in %s", packet).isEqualTo(ReasonCode.allowedIn(packet).size());
        }
    }

    @Test
    void grantedQos_mapsZeroToTwo_andRejectsThree() {
        assertThat(SubackReasonCode.grantedQos(2)).isEqualTo(SubackReasonCode.GRANTED_QOS_2);
        assertThatThrownBy(() -> SubackReasonCode.grantedQos(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
