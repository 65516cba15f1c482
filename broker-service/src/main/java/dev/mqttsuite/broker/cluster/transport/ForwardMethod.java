package dev.mqttsuite.broker.cluster.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import dev.mqttsuite.cluster.v1.BrokerClusterGrpc;
import dev.mqttsuite.cluster.v1.ForwardAck;
import dev.mqttsuite.cluster.v1.ForwardBatch;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

/**
 * The {@code BrokerCluster.Forward} stream with lean codecs, the same bytes on the wire as the generated
 * {@code BrokerClusterGrpc.getForwardMethod()}. The generic gRPC marshaller parses each frame through an
 * {@code InputStream} (a copy of the frame plus a 4 KiB read buffer per parse, even for an 8-byte acknowledgement) and
 * encodes through a growing buffer (two copies); this stream carries every forwarded message, so its frames are parsed
 * straight from the received buffer and encoded into one array of their exact size. Compressed frames were already
 * inflated by Vert.x before the decoder sees them.
 */
public final class ForwardMethod {

    private static final ServiceName SERVICE = ServiceName.create(BrokerClusterGrpc.SERVICE_NAME);
    private static final String METHOD = BrokerClusterGrpc.getForwardMethod().getBareMethodName();

    /** The receiving broker's side: reads {@link ForwardBatch}, writes {@link ForwardAck}. */
    public static final ServiceMethod<ForwardBatch, ForwardAck> SERVER = ServiceMethod.server(SERVICE, METHOD,
            GrpcMessageEncoder.encoder(), decoder(ForwardBatch.parser()));

    /** The sending broker's side: writes {@link ForwardBatch}, reads {@link ForwardAck}. */
    public static final ServiceMethod<ForwardAck, ForwardBatch> CLIENT = ServiceMethod.client(SERVICE, METHOD,
            GrpcMessageEncoder.encoder(), decoder(ForwardAck.parser()));

    private ForwardMethod() {
    }

    static <T> GrpcMessageDecoder<T> decoder(Parser<T> parser) {
        return message -> {
            try {
                return parser.parseFrom(message.payload().getByteBuf().nioBuffer());
            } catch (InvalidProtocolBufferException e) {
                throw new CodecException("malformed cluster frame", e);
            }
        };
    }
}
