package dev.mqttsuite.broker.retained;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.retained.v1.MatchRequest;
import dev.mqttsuite.retained.v1.PutReply;
import dev.mqttsuite.retained.v1.PutRequest;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.RetainedStoreGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A retained PUBLISH the retained-store-service refuses at one of its limits (gRPC RESOURCE_EXHAUSTED) is answered
 * with PUBACK 0x97 Quota exceeded; the message still reaches the subscribers (only its retention was refused).
 */
@QuarkusTest
@TestProfile(RetainedQuotaTest.WithStore.class)
@WithTestResource(RetainedQuotaTest.StoreAtItsLimit.class)
class RetainedQuotaTest extends BrokerTest {

    public static class WithStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("broker.retained.backend", "service");
        }
    }

    /** A retained store whose total-bytes limit leaves room for payloads of at most 4 bytes. */
    public static class StoreAtItsLimit implements QuarkusTestResourceLifecycleManager {
        private Server server;

        @Override
        public Map<String, String> start() {
            try {
                server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .addService(new RetainedStoreGrpc.RetainedStoreImplBase() {
                            @Override
                            public void put(PutRequest request, StreamObserver<PutReply> response) {
                                if (request.getMessage().getPayload().size() > 4) {
                                    response.onError(Status.RESOURCE_EXHAUSTED.withDescription(
                                            "retained.limits.max-total-bytes=4 reached").asRuntimeException());
                                    return;
                                }
                                response.onNext(PutReply.getDefaultInstance());
                                response.onCompleted();
                            }

                            @Override
                            public void match(MatchRequest request, StreamObserver<RetainedMessage> response) {
                                response.onCompleted();
                            }
                        }).build().start();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            String port = Integer.toString(server.getPort());
            return Map.of("quarkus.grpc.clients.retained.host", "127.0.0.1",
                    "quarkus.grpc.clients.retained.port", port, "quarkus.grpc.clients.retained.test-port", port);
        }

        @Override
        public void stop() {
            if (server != null) {
                server.shutdownNow();
            }
        }
    }

    @Test
    void retainedPublishAboveTheStoresLimit_getsQuotaExceeded_andStillReachesSubscribers() throws Exception {
        Mqtt5BlockingClient subscriber = mqtt5(unique("sub"));
        subscriber.subscribeWith().topicFilter("quota/#").qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient publisher = mqtt5(unique("pub"));
        try (var publishes = listen(subscriber)) {
            assertThatThrownBy(() -> publisher.publishWith().topic("quota/big").retain(true)
                    .qos(MqttQos.AT_LEAST_ONCE).payload("too large".getBytes()).send())
                    .as("the store refused to retain it: 0x97")
                    .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(
                            e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED));
            assertThat(publishes.receive(30, TimeUnit.SECONDS)).as("delivered all the same").get()
                    .extracting(p -> new String(p.getPayloadAsBytes())).isEqualTo("too large");

            publisher.publishWith().topic("quota/small").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                    .payload("ok".getBytes()).send();
            assertThat(publishes.receive(30, TimeUnit.SECONDS)).get()
                    .extracting(p -> new String(p.getPayloadAsBytes())).isEqualTo("ok");
        }
        assertThat(publisher.getState().isConnected()).as("the publisher stays connected").isTrue();
    }
}
