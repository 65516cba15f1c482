package dev.mqttsuite.broker.cluster.session;

import com.google.protobuf.ByteString;
import dev.mqttsuite.broker.cluster.member.Peer;
import dev.mqttsuite.cluster.v1.BrokerClusterGrpc;
import dev.mqttsuite.cluster.v1.TakeOverReply;
import dev.mqttsuite.cluster.v1.TakeOverRequest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * The {@code BrokerCluster.TakeOver} call over the brokers' gRPC channel: {@link #request} on the claiming broker,
 * {@link #serve} on the previous owner (refused until this broker's session directory exists).
 */
public final class GrpcHandover implements ClusterSessionDirectory.Handover {

    /** The largest session state a takeover reply may carry (protobuf's own limit is 2 GiB). */
    static final long MAX_STATE_BYTES = Integer.MAX_VALUE - 1024;

    private final Vertx vertx;
    private final GrpcClient client;
    private final String localNode;
    private final Duration timeout;
    private volatile ClusterSessionDirectory sessions;

    public GrpcHandover(Vertx vertx, HttpClientOptions options, String localNode, Duration timeout) {
        this.vertx = vertx;
        // a session's state comes in one reply: its queue may hold up to broker.session.max-queued-bytes, well above
        // gRPC's 256 KiB default; the peer is an authenticated broker sending what it holds in memory itself
        this.client = GrpcClient.client(vertx, new GrpcClientOptions().setTransportOptions(options)
                .setMaxMessageSize(MAX_STATE_BYTES));
        this.localNode = localNode;
        this.timeout = timeout;
    }

    /** Starts answering the other brokers' takeover requests from this directory. */
    public void answerFrom(ClusterSessionDirectory directory) {
        this.sessions = directory;
    }

    @Override
    public CompletionStage<byte[]> request(Peer owner, String clientId, long epoch, boolean discard) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> result.completeExceptionally(
                new TimeoutException("no answer from " + owner.nodeId() + " within " + timeout)));
        TakeOverRequest message = TakeOverRequest.newBuilder().setClientId(clientId).setEpoch(epoch)
                .setDiscard(discard).setCallerNode(localNode).build();
        client.request(SocketAddress.inetSocketAddress(owner.grpcPort(), owner.grpcHost()),
                BrokerClusterGrpc.getTakeOverMethod()).compose(request -> {
                    request.end(message);
                    return request.response().compose(response -> response.last());
                }).onComplete(done -> {
                    vertx.cancelTimer(timer);
                    if (done.failed()) {
                        result.completeExceptionally(done.cause());
                    } else {
                        TakeOverReply reply = done.result();
                        result.complete(reply.getFound() ? reply.getState().toByteArray() : null);
                    }
                });
        return result;
    }

    /** Answers one takeover request (the gRPC server's handler). */
    public void serve(GrpcServerRequest<TakeOverRequest, TakeOverReply> request) {
        request.last().onSuccess(message -> {
            ClusterSessionDirectory directory = sessions;
            if (directory == null) {
                request.response().status(GrpcStatus.UNAVAILABLE).statusMessage("broker starting").end();
                return;
            }
            byte[] state = directory.handOver(message.getClientId(), message.getEpoch(), message.getDiscard());
            TakeOverReply.Builder reply = TakeOverReply.newBuilder().setFound(state != null);
            if (state != null) {
                reply.setState(ByteString.copyFrom(state));
            }
            request.response().end(reply.build());
        });
    }

    public void close() {
        client.close();
    }
}
