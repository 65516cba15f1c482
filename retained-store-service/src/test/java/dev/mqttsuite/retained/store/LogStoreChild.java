package dev.mqttsuite.retained.store;

import com.google.protobuf.ByteString;
import dev.mqttsuite.retained.store.log.AppendLogRepository;
import dev.mqttsuite.retained.v1.RetainedMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The store engine in a child process for the kill -9 test: reads "topic" lines from stdin, puts each, and prints
 * "ack topic" once the put is acknowledged (durable per the sync policy).
 */
public final class LogStoreChild {

    public static void main(String[] args) throws Exception {
        AppendLogRepository repository = new AppendLogRepository(Path.of(args[0]), Boolean.parseBoolean(args[1]),
                64L * 1024 * 1024, new AppendLogRepository.Limits(1 << 20, 10_000_000, 1L << 32));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String topic;
        while ((topic = in.readLine()) != null) {
            String acked = topic;
            repository.put(RetainedMessage.newBuilder().setTopic(topic).setQos(1)
                    .setPayload(ByteString.copyFromUtf8("payload of " + topic)).build())
                    .thenRun(() -> {
                        synchronized (out) {
                            out.println("ack " + acked);
                        }
                    });
        }
    }
}
