package dev.mqttsuite.broker.retained;

import com.google.protobuf.ByteString;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.message.UserProperty;
import dev.mqttsuite.retained.v1.MatchRequest;
import dev.mqttsuite.retained.v1.PutReply;
import dev.mqttsuite.retained.v1.PutRequest;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.RetainedStoreGrpc;
import dev.mqttsuite.retained.v1.StatsReply;
import dev.mqttsuite.retained.v1.StatsRequest;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * The retained-store-service adapter ({@code broker.retained.backend=service}; the service address is
 * {@code quarkus.grpc.clients.retained.host/port}). Non-blocking: puts complete when the store acknowledged a durable
 * write, and a match is a gRPC stream whose flow control follows the subscriber's demand, so retained messages flow
 * only as fast as the session drains.
 */
@ApplicationScoped
@LookupIfProperty(name = "broker.retained.backend", stringValue = "service")
public class ServiceRetainedStore implements RetainedStore {

    @GrpcClient("retained")
    io.grpc.Channel channel;

    private RetainedStoreGrpc.RetainedStoreStub stub;

    @Inject
    BrokerConfig config;

    private volatile long lastCount;

    @jakarta.annotation.PostConstruct
    void init() {
        stub = RetainedStoreGrpc.newStub(channel); // the async stub: flow control needs the observer API
    }

    @Override
    public CompletionStage<Void> put(Message message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        stub.withDeadlineAfter(config.retained().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .put(PutRequest.newBuilder().setMessage(toProto(message)).build(), new StreamObserver<PutReply>() {
                    @Override
                    public void onNext(PutReply reply) {
                        // completion follows
                    }

                    @Override
                    public void onError(Throwable failure) {
                        if (channel instanceof io.grpc.ManagedChannel managed) {
                            managed.resetConnectBackoff(); // the store is usually back within seconds
                        }
                        done.completeExceptionally(failure);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        return done;
    }

    @Override
    public Multi<Message> match(TopicFilter filter) {
        Flow.Publisher<Message> publisher = subscriber -> {
            MatchRequest request = MatchRequest.newBuilder().setFilter(filter.value()).build();
            ClientCallStreamObserver<MatchRequest>[] call = new ClientCallStreamObserver[1];
            stub.match(request, new ClientResponseObserver<MatchRequest, RetainedMessage>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<MatchRequest> requestStream) {
                    call[0] = requestStream;
                    requestStream.disableAutoRequestWithInitial(0); // nothing flows until the subscriber asks
                }

                @Override
                public void onNext(RetainedMessage value) {
                    subscriber.onNext(fromProto(value));
                }

                @Override
                public void onError(Throwable failure) {
                    subscriber.onError(failure);
                }

                @Override
                public void onCompleted() {
                    subscriber.onComplete();
                }
            });
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    call[0].request((int) Math.min(n, Integer.MAX_VALUE));
                }

                @Override
                public void cancel() {
                    call[0].cancel("subscriber cancelled", null);
                }
            });
        };
        return Multi.createFrom().publisher(publisher);
    }

    @Override
    public long count() {
        stub.withDeadlineAfter(config.retained().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .stats(StatsRequest.getDefaultInstance(), new StreamObserver<StatsReply>() {
                    @Override
                    public void onNext(StatsReply reply) {
                        lastCount = reply.getCount();
                    }

                    @Override
                    public void onError(Throwable failure) {
                        // keep the last known value
                    }

                    @Override
                    public void onCompleted() {
                        // nothing
                    }
                });
        return lastCount; // the figure of the previous call: count() must not block
    }

    @Override
    public String describe() {
        return "retained-store-service (gRPC)";
    }

    static RetainedMessage toProto(Message message) {
        RetainedMessage.Builder b = RetainedMessage.newBuilder().setTopic(message.topic().value())
                .setPayload(ByteString.copyFrom(message.payload())).setQos(message.qos())
                .setExpiresAtMillis(message.expiresAtMillis());
        PublishProperties p = message.properties();
        if (p.payloadFormatIndicator() != null) {
            b.setPayloadFormatIndicator(p.payloadFormatIndicator());
        }
        if (p.contentType() != null) {
            b.setContentType(p.contentType());
        }
        if (p.responseTopic() != null) {
            b.setResponseTopic(p.responseTopic());
        }
        if (p.correlationData() != null) {
            b.setCorrelationData(ByteString.copyFrom(p.correlationData()));
        }
        for (UserProperty u : p.userProperties()) {
            b.addUserPropertiesBuilder().setKey(u.key()).setValue(u.value());
        }
        return b.build();
    }

    static Message fromProto(RetainedMessage m) {
        List<UserProperty> users = new ArrayList<>(m.getUserPropertiesCount());
        m.getUserPropertiesList().forEach(u -> users.add(new UserProperty(u.getKey(), u.getValue())));
        PublishProperties properties = new PublishProperties(
                m.hasPayloadFormatIndicator() ? m.getPayloadFormatIndicator() : null,
                m.hasContentType() ? m.getContentType() : null,
                m.hasResponseTopic() ? m.getResponseTopic() : null,
                m.hasCorrelationData() ? m.getCorrelationData().toByteArray() : null, users);
        return new Message(TopicName.of(m.getTopic()), m.getPayload().toByteArray(), m.getQos(), true, properties,
                null, m.getExpiresAtMillis());
    }
}
