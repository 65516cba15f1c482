package dev.mqttsuite.broker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one Session Expiry Interval rule: CONNECT, DISCONNECT, snapshot/restore and the expiry timer use it. */
class SessionExpiryTest {

    private final SessionExpiry oneHourMax = new SessionExpiry(3600);

    @Test
    void mqtt5WithoutThePropertyAsksForZero_sessionEndsWithTheConnection_MQTT_3_1_2_23() {
        long requested = SessionExpiry.requestedAtConnect(true, null, false);
        assertThat(requested).isZero();
        assertThat(SessionExpiry.endsWithConnection(oneHourMax.grant(requested))).isTrue();
    }

    @Test
    void mqtt311CleanSessionZeroNeverExpires_cleanSessionOneEndsWithTheConnection_MQTT_3_1_2_6() {
        assertThat(SessionExpiry.requestedAtConnect(false, null, false)).isEqualTo(SessionExpiry.NEVER);
        assertThat(SessionExpiry.requestedAtConnect(false, null, true)).isZero();
        assertThat(SessionExpiry.requestedAtConnect(false, 99L, true)).as("3.1.1 has no property").isZero();
    }

    @Test
    void connectRequestIsBoundedByTheBrokerMaximum() {
        assertThat(oneHourMax.grant(60)).isEqualTo(60);
        assertThat(oneHourMax.grant(7200)).isEqualTo(3600);
        assertThat(oneHourMax.grant(SessionExpiry.NEVER)).as("a never-expiring request is bounded too").isEqualTo(3600);
        assertThat(new SessionExpiry(SessionExpiry.NEVER).grant(SessionExpiry.NEVER)).isEqualTo(SessionExpiry.NEVER);
    }

    @Test
    void disconnectCannotChangeZeroToNonZero_MQTT_3_14_2_2() {
        assertThat(oneHourMax.atDisconnect(0, 10)).isInstanceOf(SessionExpiry.AtDisconnect.ProtocolError.class);
        assertThat(oneHourMax.atDisconnect(0, 0)).isEqualTo(new SessionExpiry.AtDisconnect.Granted(0));
    }

    @Test
    void disconnectIsBoundedByTheBrokerMaximum_aClientCannotMakeItsSessionLiveForEver() {
        assertThat(oneHourMax.atDisconnect(60, SessionExpiry.NEVER))
                .isEqualTo(new SessionExpiry.AtDisconnect.Granted(3600));
        assertThat(oneHourMax.atDisconnect(60, 120)).isEqualTo(new SessionExpiry.AtDisconnect.Granted(120));
        assertThat(oneHourMax.atDisconnect(60, 0)).as("shortening to 0 is allowed")
                .isEqualTo(new SessionExpiry.AtDisconnect.Granted(0));
    }

    @Test
    void remainingTimeCountsFromTheDetachAndNeverMeansUnbounded() {
        assertThat(SessionExpiry.remainingMillis(10, 1_000, 4_000)).isEqualTo(7_000);
        assertThat(SessionExpiry.remainingMillis(10, 1_000, 12_000)).isNegative();
        assertThat(SessionExpiry.remainingMillis(SessionExpiry.NEVER, 0, Long.MAX_VALUE / 2)).isEqualTo(Long.MAX_VALUE);
        assertThat(SessionExpiry.remainingMillis(10, 5_000, 1_000)).as("clock went back: the full interval")
                .isEqualTo(10_000);
    }

    @Test
    void aMaximumOutsideTheUnsignedIntRangeIsRefused() {
        assertThatThrownBy(() -> new SessionExpiry(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionExpiry(SessionExpiry.NEVER + 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
