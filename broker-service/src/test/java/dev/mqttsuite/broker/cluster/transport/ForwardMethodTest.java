package dev.mqttsuite.broker.cluster.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mqttsuite.cluster.v1.BrokerClusterGrpc;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import dev.mqttsuite.cluster.v1.ForwardAck;
import dev.mqttsuite.cluster.v1.ForwardBatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The Forward stream's lean codecs speak exactly the generated method's wire format, both ways. */
class ForwardMethodTest {

    private static final ForwardBatch BATCH = ForwardBatch.newBuilder().setSequence(42).setSenderMember("m-1")
            .addMessages(ClusterMessage.newBuilder().setTopic("a/b").setQos(1).setRetain(true)
                    .setPayload(ByteString.copyFromUtf8("payload é")).addCustodyTokens(7).build())
            .addMessages(ClusterMessage.newBuilder().setTopic("c").setPayload(ByteString.EMPTY).build())
            .build();

    private static byte[] generated(ForwardBatch batch) throws IOException {
        try (InputStream in = BrokerClusterGrpc.getForwardMethod().getRequestMarshaller().stream(batch)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aFrameEncodedByTheServerMethodIsTheBytesOfTheGeneratedMarshaller() throws IOException {
        GrpcMessage encoded = ForwardMethod.CLIENT.encoder().encode(BATCH);

        assertThat(encoded.payload().getBytes()).isEqualTo(generated(BATCH));
        assertThat(encoded.encoding()).isEqualTo("identity");
    }

    @Test
    void aFrameOfTheGeneratedMarshallerDecodesToTheSameBatch() throws IOException {
        GrpcMessage message = GrpcMessage.message("identity", Buffer.buffer(generated(BATCH)));

        assertThat(ForwardMethod.SERVER.decoder().decode(message)).isEqualTo(BATCH);
    }

    @Test
    void anAcknowledgementRoundTrips() {
        ForwardAck ack = ForwardAck.newBuilder().setSequence(9).addSettled(3).addSettled(4).build();

        GrpcMessage encoded = ForwardMethod.SERVER.encoder().encode(ack);

        assertThat(ForwardMethod.CLIENT.decoder().decode(encoded)).isEqualTo(ack);
    }

    @Test
    void aDecodedBatchDoesNotShareTheReceiveBuffer() {
        Buffer received = Buffer.buffer(BATCH.toByteArray());
        ForwardBatch decoded = ForwardMethod.SERVER.decoder().decode(GrpcMessage.message("identity", received));

        received.setBytes(0, new byte[received.length()]); // the transport reuses its buffers
        assertThat(decoded).isEqualTo(BATCH);
    }

    @Test
    void aMalformedFrameIsACodecError() {
        GrpcMessage garbage = GrpcMessage.message("identity", Buffer.buffer(new byte[] {(byte) 0xff, 0x01}));

        assertThatThrownBy(() -> ForwardMethod.SERVER.decoder().decode(garbage)).isInstanceOf(CodecException.class);
    }
}
