package dev.mqttsuite.broker.config;

import dev.mqttsuite.internaltls.IdentityField;
import dev.mqttsuite.internaltls.InternalTlsConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The broker's typed, immutable configuration (prefix {@code broker}). Every key, its default and a one-line
 * explanation are in {@code src/main/resources/application.properties}; {@link BrokerConfigValidator} refuses unsafe
 * or inconsistent values at startup, naming the setting.
 */
@ConfigMapping(prefix = "broker")
public interface BrokerConfig {

    Mqtt mqtt();

    Tls tls();

    WebSocket websocket();

    Limits limits();

    Session session();

    Auth auth();

    Sys sys();

    Retained retained();

    Cluster cluster();

    /**
     * Mutual TLS of the broker's internal gRPC: its client certificate towards the auth-service and the retained store
     * (quarkus.grpc.clients.* take these files) and the cluster streams (docs/adr/0012-internal-mutual-tls.md).
     */
    @WithName("internal-tls")
    InternalTls internalTls();

    interface InternalTls extends InternalTlsConfig {
        @Override
        @WithDefault("false")
        boolean plaintext();

        @Override
        @WithDefault("tls/broker.crt")
        Path cert();

        @Override
        @WithDefault("tls/broker.key")
        Path key();

        @Override
        @WithDefault("tls/ca.crt")
        Path ca();
    }
    /** Per-client and per-user rate limits and quotas (ADR 0013). */
    QuotaConfig quota();

    interface Retained {
        /** Where retained messages live: "memory" (this broker only) or "service" (the retained-store-service). */
        @WithDefault("memory")
        Backend backend();

        /** Deadline of one call to the retained-store-service. */
        @WithDefault("5s")
        Duration timeout();

        /** Retained puts sent to the retained-store-service at once; more wait in order for a free slot. */
        @WithDefault("256")
        int maxPutsInFlight();

        enum Backend {
            MEMORY, SERVICE
        }
    }

    interface Mqtt {
        /** Interface of the plain MQTT listener. */
        @WithDefault("0.0.0.0")
        String host();

        /** Port of the plain MQTT listener; 0 picks a free port and logs it; -1 disables the plain listener. */
        @WithDefault("1883")
        int port();

        /** Listener instances (one per event loop); 0 means one per available processor. */
        @WithDefault("0")
        int instances();

        /** A connection that sends no CONNECT within this time is closed. */
        /** Connections at once, all listeners; more are closed at accept (before authentication). */
        @WithName("max-connections")
        @WithDefault("100000")
        int maxConnections();

        /** Connections at once from one IP address; more are closed at accept. */
        @WithName("max-connections-per-address")
        @WithDefault("10000")
        int maxConnectionsPerAddress();

        /** Packets a client may send behind its CONNECT before the CONNACK; more close the connection. */
        @WithName("max-packets-before-connack")
        @WithDefault("64")
        int maxPacketsBeforeConnack();

        /** Bytes of packets a client may send behind its CONNECT before the CONNACK; more close the connection. */
        @WithName("max-bytes-before-connack")
        @WithDefault("1048576")
        int maxBytesBeforeConnack();

        /**
         * The deadline for a complete CONNECT, counted from the accept (not reset by incoming bytes); also the idle
         * time allowed before it.
         */
        @WithName("connect-timeout")
        @WithDefault("10s")
        Duration connectTimeout();

        /** If set, the Server Keep Alive the broker imposes on MQTT 5 clients (seconds, 0 = off). */
        @WithName("server-keep-alive")
        Optional<Integer> serverKeepAlive();

        /**
         * How long a connection the broker closes waits for the client to close after the broker's last packet
         * (DISCONNECT, CONNACK) and its half-close, so that the client reads the reason code; 0 closes at once.
         */
        @WithName("close-linger")
        @WithDefault("1s")
        Duration closeLinger();

        /** Largest keep-alive accepted from a client (seconds); larger values are lowered (MQTT 5 tells the client). */
        @WithName("max-keep-alive")
        @WithDefault("65535")
        int maxKeepAlive();
    }

    /** MQTT over WebSocket (MQTT 5.0 section 6): ws on its own port, wss with the broker.tls.* certificate. */
    interface WebSocket {
        /** Enables the ws listener (and, with broker.tls.enabled, the wss listener). */
        @WithDefault("true")
        boolean enabled();

        /** Interface of the ws and wss listeners. */
        @WithDefault("0.0.0.0")
        String host();

        /** Port of the ws listener; 0 picks a free port; -1 disables it. */
        @WithDefault("9001")
        int port();

        /** Port of the wss listener (only with broker.tls.enabled); 0 picks a free port; -1 disables it. */
        @WithName("tls-port")
        @WithDefault("9443")
        int tlsPort();

        /** The only HTTP path upgraded to MQTT; other paths get 404. */
        @WithDefault("/mqtt")
        String path();
    }

    interface Tls {
        /** Enables the TLS listener. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("0.0.0.0")
        String host();

        /** Port of the TLS listener; 0 picks a free port. */
        @WithDefault("8883")
        int port();

        /** PEM certificate chain (with key-file) ... */
        @WithName("cert-file")
        Optional<String> certFile();

        /** ... and its PEM private key. */
        @WithName("key-file")
        Optional<String> keyFile();

        /** Or a PKCS#12 key store ... */
        @WithName("keystore-file")
        Optional<String> keystoreFile();

        /** ... and its password. */
        @WithName("keystore-password")
        Optional<String> keystorePassword();

        /** Client certificates: none, request (optional) or required. */
        @WithName("client-auth")
        @WithDefault("none")
        ClientAuthMode clientAuth();

        /** PEM CA bundle that client certificates must chain to (needed with request/required). */
        @WithName("trust-file")
        Optional<String> trustFile();

        /**
         * The one field of a verified client certificate that names the user sent to the authenticator: {@code cn}
         * (subject common name), {@code san-dns}, {@code san-email} or {@code san-uri}; a certificate with none or
         * several values in that field names no user. An unknown value stops the start.
         */
        @WithName("user-field")
        @WithDefault("cn")
        UserField userField();

        /**
         * How often the certificate, key, key store and trust files are checked for changes; a change is loaded
         * into new handshakes without closing open connections. 0 turns the check off.
         */
        @WithName("reload-interval")
        @WithDefault("30s")
        java.time.Duration reloadInterval();

        enum ClientAuthMode {
            NONE, REQUEST, REQUIRED
        }

        enum UserField {
            CN, SAN_DNS, SAN_EMAIL, SAN_URI
        }
    }

    interface Limits {
        /** Largest packet accepted from clients (bytes, at most 268,435,455); announced in CONNACK. */
        @WithName("max-packet-size")
        @WithDefault("1048576")
        int maxPacketSize();

        /** Receive Maximum announced to MQTT 5 clients: unacknowledged QoS 1/2 PUBLISHes they may send us. */
        @WithName("receive-maximum")
        @WithDefault("1024")
        int receiveMaximum();

        /** Highest QoS the broker grants (0, 1 or 2); higher QoS is downgraded. */
        @WithName("max-qos")
        @WithDefault("2")
        int maxQos();

        /** Whether retained messages are supported. */
        @WithName("retain-available")
        @WithDefault("true")
        boolean retainAvailable();

        /** Topic Alias Maximum announced to MQTT 5 clients (aliases they may use towards us); 0 disables. */
        @WithName("topic-alias-maximum")
        @WithDefault("64")
        int topicAliasMaximum();

        /** Whether the broker uses topic aliases towards clients that allow them. */
        @WithName("outbound-topic-aliases")
        @WithDefault("true")
        boolean outboundTopicAliases();

        /** Deepest topic filter accepted (levels). */
        @WithName("max-topic-levels")
        @WithDefault("32")
        int maxTopicLevels();

        /** Longest client identifier accepted (characters). */
        @WithName("max-client-id-length")
        @WithDefault("256")
        int maxClientIdLength();

        /** Subscriptions one session may hold. */
        @WithName("max-subscriptions-per-session")
        @WithDefault("1000")
        int maxSubscriptionsPerSession();
    }

    interface Session {
        /** Upper bound on the session expiry interval a client may ask for (seconds). */
        @WithName("max-expiry-interval")
        @WithDefault("604800")
        long maxExpiryInterval();

        /** Messages queued per session (offline, or online beyond the inflight window) before dropping. */
        @WithName("max-queued-messages")
        @WithDefault("10000")
        int maxQueuedMessages();

        /** Payload bytes queued per session before dropping. */
        @WithName("max-queued-bytes")
        @WithDefault("16777216")
        long maxQueuedBytes();

        /** Whether QoS 0 messages are queued for offline persistent sessions. */
        @WithName("queue-qos0-offline")
        @WithDefault("false")
        boolean queueQos0Offline();

        /** Queued messages of an online subscriber above which its publishers are slowed down (TCP back-pressure). */
        @WithName("backpressure-high-watermark")
        @WithDefault("1000")
        int backpressureHighWatermark();

        /** Queued messages below which back-pressured publishers resume. */
        @WithName("backpressure-low-watermark")
        @WithDefault("250")
        int backpressureLowWatermark();

        /** Bytes queued in all sessions together before the overflow policy applies. */
        @WithName("max-total-queued-bytes")
        @WithDefault("268435456")
        long maxTotalQueuedBytes();

        /** What a full queue does with a new message: drop-new, drop-oldest or refuse (0x97 when nobody took it). */
        @WithName("queue-overflow")
        @WithDefault("drop-new")
        QueueOverflow queueOverflow();

        /**
         * "none": sessions live in memory only; "file": sessions that outlive their connection are kept in a
         * write-ahead session log under data-dir and survive a crash.
         */
        @WithDefault("none")
        Persistence persistence();

        /**
         * A CONNECT with the client id of a session that belongs to another user: "refuse" (CONNACK 0x85 Client
         * Identifier not valid; the other user's session is untouched) or "fresh" (a new session; the other user's
         * session ends and its connection gets 0x8E). The owner's own reconnects resume as usual.
         */
        @WithName("foreign-client-id")
        @WithDefault("refuse")
        ForeignClientId foreignClientId();

        /** Where the session log is kept (persistence=file). */
        @WithName("data-dir")
        @WithDefault("data/broker")
        String dataDir();

        /**
         * When an acknowledged message is on disk: "batch" (fsync each group commit: survives a power loss) or
         * "never" (written to the OS at each group commit: survives a crash of the broker, not of the machine).
         */
        @WithDefault("batch")
        Fsync fsync();

        /** The write-ahead session log (persistence=file). */
        Log log();
    }

    interface Log {
        /** A log segment is closed and a new one begun at this size. */
        @WithName("segment-bytes")
        @WithDefault("67108864")
        long segmentBytes();

        /**
         * Disk the log may use (segments and snapshot). Compaction starts at half of it; at the limit, new QoS 1/2
         * messages for persistent sessions are refused with 0x97 until compaction or delivery makes room.
         */
        @WithName("max-disk-bytes")
        @WithDefault("4294967296")
        long maxDiskBytes();
    }

    /** How sessions outlive a broker restart. */
    enum Persistence {
        NONE,
        FILE
    }

    /** What a CONNECT gets for the client id of another user's session. */
    enum ForeignClientId {
        REFUSE,
        FRESH
    }

    /** When the session log forces its writes to disk. */
    enum Fsync {
        BATCH,
        NEVER
    }

    /**
     * What a session does with a message when its queue is at a limit: the per-session max-queued-messages and
     * max-queued-bytes, or the broker-wide max-total-queued-bytes. Every loss is counted in
     * {@code mqtt_messages_dropped_total{reason="queue_full"}} and per session.
     */
    enum QueueOverflow {
        /** The new message is dropped for this session (the publisher is still acknowledged). */
        DROP_NEW,
        /** The oldest queued (not yet sent) messages are dropped to make room. */
        DROP_OLDEST,
        /** The message is not queued; when no recipient took it, the publisher gets 0x97 Quota exceeded. */
        REFUSE
    }

    interface Auth {
        /**
         * Lets every client connect without credentials and with all permissions. Only for protocol testing: the
         * broker logs a loud warning. Never the default.
         */
        @WithName("allow-anonymous")
        @WithDefault("false")
        boolean allowAnonymous();

        /**
         * Who may join a shared-subscription group (ADR 0013): "rules" needs a SUBSCRIBE rule covering
         * $share/{group}/{filter} besides the filter's own; "filter" (the behaviour before) the filter's rule alone.
         */
        @WithName("share-groups")
        @WithDefault("rules")
        ShareGroups shareGroups();

        enum ShareGroups {
            RULES, FILTER
        }

        /** CONNECTs waiting for the authentication backend at once; more get CONNACK 0x89 Server busy. */
        @WithName("max-pending")
        @WithDefault("1000")
        int maxPending();

        /** The authentication backend: "none" or "service" (the auth-service, quarkus.grpc.clients.auth.*). */
        @WithDefault("none")
        String backend();

        /** Deadline of one authentication call; a slower answer refuses the CONNECT with 0x88. */
        @WithDefault("5s")
        Duration timeout();

        /** Authentication calls in flight at once; more CONNECTs are refused with 0x89 Server busy. */
        @WithName("max-concurrent")
        @WithDefault("512")
        int maxConcurrent();

        /**
         * How long an allowed user name + password decision of the auth-service is remembered for reconnect storms
         * (cleared by every change event; unused while the change stream is down); 0 disables it.
         */
        @WithName("cache-ttl")
        @WithDefault("10s")
        Duration cacheTtl();

        /** Decisions remembered at most. */
        @WithName("cache-size")
        @WithDefault("100000")
        int cacheSize();
    }

    interface Sys {
        /** Interval of the $SYS/broker/... statistics (and, in a cluster, $SYS/cluster/...); 0 disables them. */
        @WithDefault("10s")
        Duration interval();
    }

    /**
     * Several brokers as one MQTT service (docs/adr/0011-broker-cluster-routing.md): an embedded Hazelcast member for
     * membership and the route table, gRPC streams between brokers for messages. Off by default; when off nothing of
     * it is loaded.
     */
    interface Cluster {
        /** Joins this broker to a cluster. */
        @WithDefault("false")
        boolean enabled();

        /** Peer identities (certificate field broker.cluster.peer-identity-field) whose streams this broker serves. */
        @WithName("allowed-peers")
        @WithDefault("broker")
        Set<String> allowedPeers();

        /** Which field of a peer's client certificate names it: CN or SAN_URI. */
        @WithName("peer-identity-field")
        @WithDefault("CN")
        IdentityField peerIdentityField();

        /** Only members with the same cluster name join each other. */
        @WithDefault("mqtt-suite")
        String name();

        /** This broker's name in logs and metric tags; unset = "broker-" and a random suffix. */
        @WithName("node-id")
        Optional<String> nodeId();

        /** The address this broker binds and announces for both cluster ports (an IP address, not 0.0.0.0). */
        @WithDefault("127.0.0.1")
        String host();

        /** The Hazelcast member port; 0 picks a free port. */
        @WithDefault("5701")
        int port();

        /** The members to join (host:port of their Hazelcast port); this broker's own address may be in the list. */
        Optional<List<String>> members();

        /**
         * How this broker finds the other members: {@code members} (the TCP/IP list in broker.cluster.members) or
         * {@code dns} (the addresses a headless Service's name resolves to, broker.cluster.dns-service).
         */
        @WithDefault("members")
        Discovery discovery();

        /**
         * With discovery {@code dns}: the DNS name of the headless Service whose addresses are the brokers' pods
         * (e.g. broker-cluster.mqtt.svc.cluster.local). Every broker listens on the same broker.cluster.port.
         */
        @WithName("dns-service")
        Optional<String> dnsService();

        /** The port of the gRPC server other brokers forward messages to; 0 picks a free port. */
        @WithName("grpc-port")
        @WithDefault("5801")
        int grpcPort();

        /** A member silent for this long is declared dead: its routes are removed by the survivors. */
        @WithName("failure-timeout")
        @WithDefault("10s")
        Duration failureTimeout();

        /** How long startup waits for the members listed to answer before forming a cluster alone. */
        @WithName("join-timeout")
        @WithDefault("5s")
        Duration joinTimeout();

        /**
         * How many brokers the cluster is meant to have. Above 0, session claims need a majority of them
         * (expected-members / 2 + 1) in this broker's view of the cluster: a minority side of a network partition
         * refuses CONNECTs with 0x88 Server unavailable. 0 = off (1- and 2-broker setups, where no side can tell it is
         * the majority).
         */
        /** Replication of persistent sessions to another broker (docs/adr/0017-cluster-session-replication.md). */
        Replication replication();

        interface Replication {
            /** Whether persistent sessions are replicated, so that kill -9 of their broker loses nothing. */
            @WithDefault("true")
            boolean enabled();

            /** How long one replication round may take before the acknowledgements waiting for it are refused. */
            @WithDefault("5s")
            Duration timeout();
        }

        @WithName("expected-members")
        @WithDefault("0")
        int expectedMembers();

        Forward forward();

        interface Forward {
            /**
             * Messages per peer sent or waiting to be sent and not yet acknowledged. Beyond it QoS 0 messages are
             * dropped (counted); QoS 1/2 wait, and their publishers' acknowledgements with them.
             */
            @WithDefault("4096")
            int window();

            /** Most messages in one frame to a peer. */
            @WithName("batch-size")
            @WithDefault("256")
            int batchSize();

            /** Most payload bytes in one frame to a peer (a single larger message still goes alone). */
            @WithName("batch-bytes")
            @WithDefault("262144")
            int batchBytes();

            /** Delay before reconnecting a broken stream to a peer that is still a member. */
            @WithName("reconnect-delay")
            @WithDefault("500ms")
            Duration reconnectDelay();

            /**
             * Most QoS 1/2 shared-group messages this broker keeps a copy of while another broker's member has them
             * unacknowledged (given to another member if that broker dies); beyond, messages go without a copy.
             */
            @WithName("custody-max")
            @WithDefault("100000")
            int custodyMax();
        }

        /** How a broker finds the other members of its cluster. */
        enum Discovery {
            /** A fixed TCP/IP list (broker.cluster.members). */
            MEMBERS,
            /** Hazelcast's Kubernetes discovery in DNS lookup mode: no Kubernetes API permissions needed. */
            DNS
        }
    }
}
