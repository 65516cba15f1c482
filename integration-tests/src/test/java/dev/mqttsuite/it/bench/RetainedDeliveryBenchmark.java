package dev.mqttsuite.it.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.mqttsuite.it.support.ServiceProcess;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivery rate of N retained messages (default 10^5) from the retained-store-service through a broker to one
 * wildcard subscriber, all as processes on this machine. Prints numbers; not a test.
 *
 * <p>Run: {@code scripts/bench-retained-delivery.sh [count]}.
 */
public final class RetainedDeliveryBenchmark {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        try (ServiceProcess store = new ServiceProcess("bench-store", "retained-store-service")
                .env("RETAINED_DATA_DIR", Files.createTempDirectory("bench-retained").toString())
                .env("RETAINED_ADMIN_PASSWORD", "bench").start()) {
            int mqtt = ServiceProcess.freePort();
            try (ServiceProcess broker = new ServiceProcess("bench-broker", "broker-service")
                    .env("BROKER_MQTT_PORT", Integer.toString(mqtt)).env("BROKER_AUTH_ALLOW_ANONYMOUS", "true")
                    .env("BROKER_RETAINED_BACKEND", "service")
                    .env("QUARKUS_GRPC_CLIENTS_RETAINED_PORT", Integer.toString(store.grpcPort())).start()) {
                Mqtt5AsyncClient publisher = MqttClient.builder().useMqttVersion5().identifier("bench-pub")
                        .serverHost("127.0.0.1").serverPort(mqtt).buildAsync();
                publisher.connect().join();
                long t0 = System.nanoTime();
                List<CompletableFuture<?>> acks = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    acks.add(publisher.publishWith().topic("bench/dev" + i + "/state").retain(true)
                            .qos(MqttQos.AT_LEAST_ONCE).payload(new byte[64]).send());
                }
                CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).get(10, TimeUnit.MINUTES);
                double storeSeconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("stored %,d retained QoS 1 messages through the broker in %.1f s (%,.0f/s,"
                        + " each acknowledged after the store's fsync'd group commit)%n", count, storeSeconds,
                        count / storeSeconds);

                Mqtt5AsyncClient subscriber = MqttClient.builder().useMqttVersion5().identifier("bench-sub")
                        .serverHost("127.0.0.1").serverPort(mqtt).buildAsync();
                subscriber.connect().join();
                AtomicInteger received = new AtomicInteger();
                CountDownLatch all = new CountDownLatch(1);
                long t1 = System.nanoTime();
                subscriber.subscribeWith().topicFilter("bench/+/state").qos(MqttQos.AT_LEAST_ONCE).callback(p -> {
                    if (received.incrementAndGet() == count) {
                        all.countDown();
                    }
                }).send().join();
                if (!all.await(10, TimeUnit.MINUTES)) {
                    System.out.printf("only %,d of %,d retained messages arrived%n", received.get(), count);
                    return;
                }
                double deliverSeconds = (System.nanoTime() - t1) / 1e9;
                System.out.printf("delivered %,d retained messages to one subscriber (QoS 1, receive maximum of the"
                        + " client) in %.2f s: %,.0f msg/s%n", count, deliverSeconds, count / deliverSeconds);
                subscriber.disconnect().join();
                publisher.disconnect().join();
            }
        }
    }
}
