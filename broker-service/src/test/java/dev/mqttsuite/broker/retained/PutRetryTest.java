package dev.mqttsuite.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * Which failed retained puts are sent once more: only those the store never processed (a refused or lost connection,
 * streams an HTTP/2 GOAWAY did not take); an expired deadline or a refusal by the store is the publisher's answer.
 */
class PutRetryTest {

    @Test
    void givenCallTheStoreNeverTook_thenItIsSentAgain() {
        assertThat(ServiceRetainedStore.neverProcessed(Status.UNAVAILABLE.withDescription("io exception"))).isTrue();
        assertThat(ServiceRetainedStore.neverProcessed(Status.INTERNAL.withDescription(
                "Connection closed after GOAWAY. HTTP/2 error code: PROTOCOL_ERROR, debug data: Request stream 3")))
                .isTrue();
    }

    @Test
    void givenCallTheStoreMayHaveTakenOrRefused_thenItIsNotSentAgain() {
        assertThat(ServiceRetainedStore.neverProcessed(Status.DEADLINE_EXCEEDED)).isFalse();
        assertThat(ServiceRetainedStore.neverProcessed(Status.RESOURCE_EXHAUSTED)).isFalse();
        assertThat(ServiceRetainedStore.neverProcessed(Status.INTERNAL.withDescription("store failed"))).isFalse();
        assertThat(ServiceRetainedStore.neverProcessed(Status.PERMISSION_DENIED)).isFalse();
    }
}
