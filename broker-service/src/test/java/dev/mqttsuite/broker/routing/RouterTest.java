package dev.mqttsuite.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics.DropReason;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.broker.support.CoreFixture;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** Routing rules without Netty: one copy per session, QoS, identifiers, No Local, shared groups, read checks. */
class RouterTest {

    private final CoreFixture core = new CoreFixture();

    private static Message message(String topic, int qos, String publisher) {
        return new Message(TopicName.of(topic), new byte[] {1}, qos, false, PublishProperties.NONE, publisher, 0);
    }

    private static List<Delivery> queued(Session session) {
        return session.state(System.currentTimeMillis()).queue();
    }

    private static SubscriptionOptions options(int qos, int subscriptionId) {
        return new SubscriptionOptions(qos, false, false, 0, subscriptionId);
    }

    @Test
    void overlappingSubscriptions_oneCopyAtTheHighestQosWithEveryIdentifier_MQTT_3_3_4_2_and_3_3_4_3() {
        MqttConnection sub = core.connected("sub", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(sub.session(), "a/+", options(0, 11));
        core.subscribe(sub.session(), "a/#", options(1, 22));

        int routed = core.router.route(message("a/b", 2, "pub"), null).queued();

        assertThat(routed).isEqualTo(1);
        List<Delivery> deliveries = queued(sub.session());
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0).qos()).isEqualTo(1);
        assertThat(deliveries.get(0).subscriptionIds()).containsExactlyInAnyOrder(11, 22);
    }

    @Test
    void deliveryQosIsTheMinimumOfPublishAndSubscription_MQTT_3_8_4_8() {
        MqttConnection sub = core.connected("sub", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(sub.session(), "t", options(2, 0));
        core.router.route(message("t", 1, "pub"), null).queued();
        assertThat(queued(sub.session()).get(0).qos()).isEqualTo(1);
    }

    @Test
    void noLocal_thePublishersOwnSubscriptionGetsNothing_MQTT_3_8_3_3() {
        MqttConnection self = core.connected("self", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(self.session(), "t", new SubscriptionOptions(1, true, false, 0, 0));
        MqttConnection other = core.connected("other", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(other.session(), "t", new SubscriptionOptions(1, true, false, 0, 0));

        int routed = core.router.route(message("t", 1, "self"), null).queued();

        assertThat(routed).isEqualTo(1);
        assertThat(queued(self.session())).isEmpty();
        assertThat(queued(other.session())).hasSize(1);
    }

    @Test
    void sharedSubscription_eachMessageToExactlyOneMember_roundRobin_MQTT_4_8_2() {
        MqttConnection a = core.connected("a", MqttVersion.MQTT_5, Permissions.ALL);
        MqttConnection b = core.connected("b", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(a.session(), "$share/g/jobs", options(1, 0));
        core.subscribe(b.session(), "$share/g/jobs", options(1, 0));

        for (int i = 0; i < 10; i++) {
            assertThat(core.router.route(message("jobs", 1, "pub"), null).queued()).isEqualTo(1);
        }

        assertThat(queued(a.session())).hasSize(5);
        assertThat(queued(b.session())).hasSize(5);
    }

    @Test
    void sharedSubscription_prefersConnectedMembersOverOfflineOnes() {
        MqttConnection online = core.connected("online", MqttVersion.MQTT_5, Permissions.ALL);
        MqttConnection leaving = core.connected("offline", MqttVersion.MQTT_5, Permissions.ALL);
        Session offline = leaving.session();
        core.subscribe(offline, "$share/g/t", options(1, 0));
        core.subscribe(online.session(), "$share/g/t", options(1, 0));
        core.sessions.detach(offline, leaving);

        for (int i = 0; i < 4; i++) {
            core.router.route(message("t", 1, "pub"), null).queued();
        }

        assertThat(queued(online.session())).hasSize(4);
        assertThat(queued(offline)).isEmpty();
    }

    @Test
    void redeliveredSharedMessageGoesToAnotherMember_notBackToTheOneThatLeft() {
        MqttConnection leaving = core.connected("leaving", MqttVersion.MQTT_5, Permissions.ALL);
        MqttConnection staying = core.connected("staying", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(leaving.session(), "$share/g/t", options(1, 0));
        core.subscribe(staying.session(), "$share/g/t", options(1, 0));
        core.router.route(message("t", 1, "pub"), null).queued();
        core.router.route(message("t", 1, "pub"), null).queued();
        assertThat(queued(leaving.session())).hasSize(1);

        for (Delivery orphan : leaving.session().takeSharedDeliveries()) {
            core.router.redeliver(orphan, leaving.session());
        }

        assertThat(queued(leaving.session())).isEmpty();
        assertThat(queued(staying.session())).hasSize(2);
    }

    @Test
    void sharedGroupAssignedToAnotherBroker_noLocalMemberGetsIt_butPlainSubscribersAndOtherGroupsDo() {
        MqttConnection member = core.connected("member", MqttVersion.MQTT_5, Permissions.ALL);
        MqttConnection other = core.connected("other", MqttVersion.MQTT_5, Permissions.ALL);
        MqttConnection plain = core.connected("plain", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(member.session(), "$share/g/jobs", options(1, 0));
        core.subscribe(other.session(), "$share/h/jobs", options(1, 0));
        core.subscribe(plain.session(), "jobs", options(1, 0));

        int routed = core.router.route(message("jobs", 1, "pub"), null, true,
                SharedGroupSelector.except(List.of("$share/g/jobs"))).queued();

        assertThat(routed).isEqualTo(2);
        assertThat(queued(member.session())).as("group g was assigned elsewhere").isEmpty();
        assertThat(queued(other.session())).hasSize(1);
        assertThat(queued(plain.session())).hasSize(1);
    }

    @Test
    void messageForSharedGroupsOnly_reachesOneMemberOfEachNamedGroup_andNoPlainSubscriber() {
        MqttConnection member = core.connected("member", MqttVersion.MQTT_5, Permissions.ALL);
        MqttConnection other = core.connected("other", MqttVersion.MQTT_5, Permissions.ALL);
        MqttConnection plain = core.connected("plain", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(member.session(), "$share/g/jobs", options(1, 0));
        core.subscribe(other.session(), "$share/h/jobs", options(1, 0));
        core.subscribe(plain.session(), "jobs", options(1, 0));

        int routed = core.router.route(message("jobs", 1, "pub"), null, false,
                SharedGroupSelector.only(List.of("$share/g/jobs"))).queued();

        assertThat(routed).isEqualTo(1);
        assertThat(queued(member.session())).hasSize(1);
        assertThat(queued(other.session())).isEmpty();
        assertThat(queued(plain.session())).isEmpty();
    }

    @Test
    void redeliveredSharedMessage_withNoOtherConnectedMemberHere_goesToAnotherBrokerBeforeAnOfflineMember() {
        List<String> handedOn = new ArrayList<>();
        MessageForwarder cluster = new MessageForwarder() {
            @Override
            public CompletionStage<Void> forward(Message message) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public boolean forwardShared(Message message, String shareName, TopicFilter filter,
                    dev.mqttsuite.broker.session.Custody custody) {
                handedOn.add(SharedGroupSelector.key(shareName, filter));
                return true;
            }
        };
        Router router = new Router(core.routes, core.metrics, core.sessions::deliveryPermissions, cluster);
        MqttConnection leaving = core.connected("leaving", MqttVersion.MQTT_5, Permissions.ALL);
        MqttConnection offline = core.connected("offline", MqttVersion.MQTT_5, Permissions.ALL, 3600);
        core.subscribe(leaving.session(), "$share/g/t", options(1, 0));
        core.subscribe(offline.session(), "$share/g/t", options(1, 0));
        core.sessions.detach(offline.session(), offline);
        router.route(message("t", 1, "pub"), null);
        assertThat(queued(leaving.session())).hasSize(1);

        for (Delivery orphan : leaving.session().takeSharedDeliveries()) {
            router.redeliver(orphan, leaving.session());
        }

        assertThat(handedOn).as("to a broker with members of the group").containsExactly("$share/g/t");
        assertThat(queued(offline.session())).isEmpty();
    }

    @Test
    void readAccessIsCheckedAtDelivery_aReceiverWithoutItGetsNothingAndTheDropIsCounted() {
        MqttConnection reader = core.connected("reader", MqttVersion.MQTT_5, new Permissions() {
            @Override
            public boolean mayPublish(TopicName topic, int qos, boolean retain) {
                return true;
            }

            @Override
            public boolean maySubscribe(TopicFilter filter, int qos) {
                return true;
            }

            @Override
            public boolean mayReceive(TopicName topic) {
                return !topic.value().startsWith("secret/");
            }
        });
        core.subscribe(reader.session(), "#", options(0, 0));
        double before = core.metrics.droppedCount(DropReason.NOT_AUTHORIZED);

        assertThat(core.router.route(message("secret/x", 0, "pub"), null).queued()).isZero();
        assertThat(core.router.route(message("public/x", 0, "pub"), null).queued()).isEqualTo(1);

        assertThat(queued(reader.session())).extracting(d -> d.message().topic().value()).containsExactly("public/x");
        assertThat(core.metrics.droppedCount(DropReason.NOT_AUTHORIZED)).isEqualTo(before + 1);
    }

    @Test
    void anEndedSessionsRoutesAreRemoved() {
        MqttConnection sub = core.connected("gone", MqttVersion.MQTT_5, Permissions.ALL);
        core.subscribe(sub.session(), "t", options(1, 0));
        core.sessions.detach(sub.session(), sub);
        core.sessions.endIfIdle(sub.session());

        assertThat(core.router.route(message("t", 1, "pub"), null).queued()).isZero();
        assertThat(core.routes.size()).isZero();
    }
}
