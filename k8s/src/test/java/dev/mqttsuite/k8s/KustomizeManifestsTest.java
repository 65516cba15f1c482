package dev.mqttsuite.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Renders every overlay with {@code kubectl kustomize} and checks that the manifests fit together and fit the
 * services: selectors match pod labels, Service target ports and probe ports exist, HTTP ports equal each service's
 * configured {@code quarkus.http.port}, probes use the Quarkus health paths, images are the suite's own with one
 * version, pods run non-root with a read-only root filesystem, referenced ConfigMaps exist and no Secret is shipped.
 */
class KustomizeManifestsTest {

    private static final Path K8S = Path.of(System.getProperty("k8s.dir", ".")).toAbsolutePath().normalize();
    private static final Path ROOT = K8S.getParent();
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet");

    private static List<JsonNode> render(String overlay) throws Exception {
        boolean present = new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
        if ("true".equals(System.getenv("MQTT_SUITE_REQUIRE_KUBECTL"))) {
            assertThat(present).as("kubectl is required in CI").isTrue();
        }
        assumeTrue(present, "kubectl not installed: skipping the manifest checks");
        Process p = new ProcessBuilder("kubectl", "kustomize", K8S.resolve("overlays").resolve(overlay).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize overlays/%s:\n%s", overlay, out).isZero();
        List<JsonNode> docs = new ArrayList<>();
        YAMLMapper yaml = new YAMLMapper();
        try (var parser = new YAMLFactory().createParser(new StringReader(out))) {
            Iterator<JsonNode> it = yaml.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<JsonNode> ofKind(List<JsonNode> docs, String... kinds) {
        Set<String> wanted = Set.of(kinds);
        return docs.stream().filter(d -> wanted.contains(d.path("kind").asText())).toList();
    }

    private static String name(JsonNode doc) {
        return doc.path("metadata").path("name").asText();
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> m = new HashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static List<JsonNode> podsSelectedBy(List<JsonNode> docs, Map<String, String> selector) {
        return ofKind(docs, "Deployment", "StatefulSet").stream()
                .filter(w -> selects(selector, map(w.path("spec").path("template").path("metadata").path("labels"))))
                .toList();
    }

    private static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> list = new ArrayList<>();
        workload.path("spec").path("template").path("spec").path("containers").forEach(list::add);
        return list;
    }

    private static Map<String, Integer> containerPorts(JsonNode workload) {
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode c : containers(workload)) {
            c.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        }
        return ports;
    }

    /** The module's packaged defaults ({@code application.properties}). */
    private static Properties defaults(String module) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    /** The environment a container gets from env values and envFrom ConfigMaps. */
    private static Map<String, String> environment(List<JsonNode> docs, JsonNode container) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String cm = from.path("configMapRef").path("name").asText(null);
            if (cm != null) {
                ofKind(docs, "ConfigMap").stream().filter(d -> name(d).equals(cm)).findFirst()
                        .ifPresent(d -> env.putAll(map(d.path("data"))));
            }
        }
        for (JsonNode e : container.path("env")) {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        }
        return env;
    }

    private static String projectVersion() throws IOException {
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        m.find(); // the parent's own version is the first <version> of the root pom
        return m.group(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void selectorsMatchPodLabelsAndPortsExist(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        for (JsonNode w : ofKind(docs, "Deployment", "StatefulSet")) {
            assertThat(map(w.path("metadata").path("labels")).entrySet())
                    .as("%s labels", name(w)).isNotEmpty();
            assertThat(selects(map(w.path("spec").path("selector").path("matchLabels")),
                    map(w.path("spec").path("template").path("metadata").path("labels"))))
                    .as("%s/%s: selector matches its pod template", overlay, name(w)).isTrue();
        }
        for (JsonNode svc : ofKind(docs, "Service")) {
            List<JsonNode> pods = podsSelectedBy(docs, map(svc.path("spec").path("selector")));
            assertThat(pods).as("%s/Service %s selects a workload", overlay, name(svc)).isNotEmpty();
            for (JsonNode port : svc.path("spec").path("ports")) {
                String target = port.path("targetPort").asText();
                for (JsonNode pod : pods) {
                    assertThat(containerPorts(pod)).as("%s/Service %s targetPort %s in %s", overlay, name(svc),
                            target, name(pod)).containsKey(target);
                }
            }
        }
        for (JsonNode pdb : ofKind(docs, "PodDisruptionBudget")) {
            assertThat(podsSelectedBy(docs, map(pdb.path("spec").path("selector").path("matchLabels"))))
                    .as("%s/PDB %s selects a workload", overlay, name(pdb)).isNotEmpty();
        }
        for (JsonNode np : ofKind(docs, "NetworkPolicy")) {
            List<JsonNode> pods = podsSelectedBy(docs, map(np.path("spec").path("podSelector").path("matchLabels")));
            assertThat(pods).as("%s/NetworkPolicy %s selects a workload", overlay, name(np)).isNotEmpty();
            for (JsonNode rule : np.path("spec").path("ingress")) {
                for (JsonNode port : rule.path("ports")) {
                    assertThat(containerPorts(pods.get(0)).values()).as("%s/NetworkPolicy %s port", overlay, name(np))
                            .contains(port.path("port").asInt());
                }
            }
        }
        for (JsonNode sm : ofKind(docs, "ServiceMonitor")) {
            Map<String, String> selector = map(sm.path("spec").path("selector").path("matchLabels"));
            List<JsonNode> services = ofKind(docs, "Service").stream()
                    .filter(s -> selects(selector, map(s.path("metadata").path("labels")))).toList();
            assertThat(services).as("%s/ServiceMonitor selects services", overlay).hasSizeGreaterThanOrEqualTo(3);
            for (JsonNode endpoint : sm.path("spec").path("endpoints")) {
                assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
                for (JsonNode s : services) {
                    List<String> names = new ArrayList<>();
                    s.path("spec").path("ports").forEach(p -> names.add(p.path("name").asText()));
                    assertThat(names).as("%s/Service %s has the scraped port", overlay, name(s))
                            .contains(endpoint.path("port").asText());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void portsAndProbesMatchTheServicesConfiguration(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        for (JsonNode w : ofKind(docs, "Deployment", "StatefulSet")) {
            for (JsonNode c : containers(w)) {
                String image = c.path("image").asText();
                String module = image.substring(image.indexOf('/') + 1, image.indexOf(':'));
                Properties defaults = defaults(module);
                Map<String, String> env = environment(docs, c);
                int httpPort = Integer.parseInt(env.getOrDefault("QUARKUS_HTTP_PORT",
                        defaults.getProperty("quarkus.http.port")));
                assertThat(containerPorts(w)).as("%s/%s http port = %s's quarkus.http.port", overlay, name(w), module)
                        .containsEntry("http", httpPort);
                for (String[] probe : new String[][] {{"startupProbe", "/q/health/started"},
                        {"livenessProbe", "/q/health/live"}, {"readinessProbe", "/q/health/ready"}}) {
                    JsonNode get = c.path(probe[0]).path("httpGet");
                    assertThat(get.path("path").asText()).as("%s/%s %s", overlay, name(w), probe[0]).isEqualTo(probe[1]);
                    assertThat(get.path("port").asText()).as("%s/%s %s port", overlay, name(w), probe[0])
                            .isEqualTo("http");
                }
                if (module.equals("broker-service")) {
                    int mqtt = Integer.parseInt(env.getOrDefault("BROKER_MQTT_PORT",
                            defaults.getProperty("broker.mqtt.port")));
                    assertThat(containerPorts(w)).as("%s broker mqtt port = BROKER_MQTT_PORT", overlay)
                            .containsEntry("mqtt", mqtt);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void imagesAreTheSuitesOwnWithOneVersion(String overlay) throws Exception {
        String version = projectVersion();
        Set<String> tags = new HashSet<>();
        for (JsonNode w : ofKind(render(overlay), "Deployment", "StatefulSet")) {
            for (JsonNode c : containers(w)) {
                String image = c.path("image").asText();
                assertThat(image).as("%s/%s image", overlay, name(w)).matches("mqtt-suite/[a-z-]+:[A-Za-z0-9._-]+");
                String module = image.substring("mqtt-suite/".length(), image.indexOf(':'));
                assertThat(ROOT.resolve(module).resolve("src/main/docker/Dockerfile.jvm"))
                        .as("%s is built by scripts/build-images.sh", image).exists();
                String tag = image.substring(image.indexOf(':') + 1);
                assertThat(tag).as("%s tag is the project version (plus a variant)", image).startsWith(version);
                tags.add(tag.equals(version + "-postgresql") ? version : tag);
            }
        }
        assertThat(tags).as("%s: one version for all images", overlay).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void podsAreLockedDownAndReferencesResolve(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        assertThat(ofKind(docs, "Secret")).as("secrets are created out of band, never shipped").isEmpty();
        Set<String> configMaps = new HashSet<>();
        ofKind(docs, "ConfigMap").forEach(d -> configMaps.add(name(d)));
        Set<String> claims = new HashSet<>();
        ofKind(docs, "PersistentVolumeClaim").forEach(d -> claims.add(name(d)));
        for (JsonNode w : ofKind(docs, "Deployment", "StatefulSet")) {
            JsonNode pod = w.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as("%s non-root", name(w))
                    .isTrue();
            for (JsonNode c : containers(w)) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as("%s read-only root", name(w)).isTrue();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as("%s no escalation", name(w))
                        .isFalse();
                assertThat(sc.path("capabilities").path("drop").toString()).as("%s drops ALL", name(w))
                        .contains("ALL");
                assertThat(c.path("resources").path("requests").path("memory").asText()).as("%s requests", name(w))
                        .isNotEmpty();
                assertThat(c.path("resources").path("limits").path("memory").asText()).as("%s limits", name(w))
                        .isNotEmpty();
                assertThat(c.path("volumeMounts").toString()).as("%s has a writable /tmp", name(w))
                        .contains("\"/tmp\"");
                for (JsonNode from : c.path("envFrom")) {
                    assertThat(configMaps).contains(from.path("configMapRef").path("name").asText());
                }
            }
            for (JsonNode v : pod.path("volumes")) {
                if (v.has("configMap")) {
                    assertThat(configMaps).as("%s volume", name(w)).contains(v.path("configMap").path("name").asText());
                }
                if (v.has("persistentVolumeClaim")) {
                    assertThat(claims).as("%s claim", name(w))
                            .contains(v.path("persistentVolumeClaim").path("claimName").asText());
                }
            }
        }
    }

    @Test
    void prodServesMqttOverTlsAndWss_fromTheBrokerMqttTlsSecret_reloaded() throws Exception {
        List<JsonNode> docs = render("prod");
        JsonNode broker = ofKind(docs, "StatefulSet").stream().filter(d -> name(d).equals("broker-service"))
                .findFirst().orElseThrow();
        JsonNode container = containers(broker).get(0);
        Map<String, String> env = environment(docs, container);
        assertThat(env).containsEntry("BROKER_TLS_ENABLED", "true").containsKey("BROKER_TLS_RELOAD_INTERVAL");
        assertThat(containerPorts(broker)).containsEntry("mqtts", Integer.parseInt(env.get("BROKER_TLS_PORT")))
                .containsEntry("mqtt-wss", Integer.parseInt(env.get("BROKER_WEBSOCKET_TLS_PORT")));
        String volume = null;
        for (JsonNode v : broker.path("spec").path("template").path("spec").path("volumes")) {
            if (v.path("secret").path("secretName").asText().equals("broker-mqtt-tls")) {
                volume = v.path("name").asText();
            }
        }
        assertThat(volume).as("a volume from the Secret broker-mqtt-tls").isNotNull();
        String mountPath = null;
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("name").asText().equals(volume)) {
                assertThat(m.has("subPath")).as("no subPath: the kubelet would not update the files").isFalse();
                mountPath = m.path("mountPath").asText();
            }
        }
        assertThat(mountPath).as("the Secret is mounted").isNotNull();
        assertThat(env.get("BROKER_TLS_CERT_FILE")).isEqualTo(mountPath + "/tls.crt");
        assertThat(env.get("BROKER_TLS_KEY_FILE")).isEqualTo(mountPath + "/tls.key");
        JsonNode service = ofKind(docs, "Service").stream().filter(d -> name(d).equals("broker-mqtt")).findFirst()
                .orElseThrow();
        Map<String, String> servicePorts = new HashMap<>();
        service.path("spec").path("ports").forEach(p -> servicePorts.put(p.path("port").asText(),
                p.path("targetPort").asText()));
        assertThat(servicePorts).containsEntry(env.get("BROKER_TLS_PORT"), "mqtts")
                .containsEntry(env.get("BROKER_WEBSOCKET_TLS_PORT"), "mqtt-wss");
        JsonNode policy = ofKind(docs, "NetworkPolicy").stream().filter(d -> name(d).equals("broker-service"))
                .findFirst().orElseThrow();
        assertThat(policy.path("spec").path("ingress").get(0).path("ports").toString())
                .contains("\"port\":" + env.get("BROKER_TLS_PORT"))
                .contains("\"port\":" + env.get("BROKER_WEBSOCKET_TLS_PORT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void enabledOidcTenantsNameTheirTokenAudience(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        Map<String, String> auth = map(ofKind(docs, "ConfigMap").stream().filter(d -> name(d).equals("auth-config"))
                .findFirst().orElseThrow().path("data"));
        if ("true".equals(auth.get("AUTH_OIDC_ENABLED"))) {
            assertThat(auth).as("auth-service startup fails without it")
                    .containsKey("QUARKUS_OIDC_MQTT_TOKEN_AUDIENCE");
        }
        if ("true".equals(auth.get("QUARKUS_OIDC_TENANT_ENABLED"))) {
            assertThat(auth).as("auth-service startup fails without it").containsKey("QUARKUS_OIDC_TOKEN_AUDIENCE");
        }
    }

    @Test
    void prodRunsSeveralBrokersOnSeparateNodesAndPostgresql() throws Exception {
        List<JsonNode> docs = render("prod");
        JsonNode broker = ofKind(docs, "StatefulSet").stream().filter(d -> name(d).equals("broker-service"))
                .findFirst().orElseThrow();
        assertThat(broker.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(broker.path("spec").path("template").path("spec").path("affinity").path("podAntiAffinity")
                .isMissingNode()).isFalse();
        for (JsonNode d : ofKind(docs, "Deployment")) {
            if (name(d).equals("console-service")) {
                continue; // stateless, no database; one replica (form sessions in memory: k8s/base/console.yaml)
            }
            assertThat(d.path("spec").path("replicas").asInt()).as("%s replicas", name(d)).isGreaterThanOrEqualTo(2);
            Map<String, String> env = environment(docs, containers(d).get(0));
            assertThat(env.get("QUARKUS_DATASOURCE_JDBC_URL")).as("%s uses PostgreSQL", name(d))
                    .startsWith("jdbc:postgresql:");
            assertThat(containers(d).get(0).path("env").toString()).contains("mqtt-suite-db");
        }
        JsonNode mqtt = ofKind(docs, "Service").stream().filter(d -> name(d).equals("broker-mqtt")).findFirst()
                .orElseThrow();
        assertThat(mqtt.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
        JsonNode store = ofKind(docs, "ConfigMap").stream().filter(d -> name(d).equals("retained-store-config"))
                .findFirst().orElseThrow();
        assertThat(store.path("data").path("RETAINED_STORAGE").asText()).isEqualTo("postgresql");
    }

    private static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> name(d).equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(kind + " " + name + " is rendered"));
    }

    /** An env entry's valueFrom.fieldRef.fieldPath, or null. */
    private static String fieldRef(JsonNode container, String env) {
        for (JsonNode e : container.path("env")) {
            if (e.path("name").asText().equals(env)) {
                return e.path("valueFrom").path("fieldRef").path("fieldPath").asText(null);
            }
        }
        return null;
    }

    /** Every key of a module's defaults file, commented-out ones included, as the environment variable it reads. */
    private static Set<String> environmentNames(String module) throws IOException {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^#?([a-z][a-z0-9.-]*)=").matcher(Files.readString(
                ROOT.resolve(module).resolve("src/main/resources/application.properties")));
        while (m.find()) {
            names.add(m.group(1).toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return names;
    }

    @Test
    void prodBrokersFormOneClusterThroughAHeadlessServiceAndDnsDiscovery() throws Exception {
        List<JsonNode> docs = render("prod");
        JsonNode broker = named(docs, "StatefulSet", "broker-service");
        JsonNode container = containers(broker).get(0);
        Map<String, String> env = environment(docs, container);
        Properties defaults = defaults("broker-service");
        assertThat(env).as("prod brokers cluster with DNS discovery")
                .containsEntry("BROKER_CLUSTER_ENABLED", "true").containsEntry("BROKER_CLUSTER_DISCOVERY", "dns");
        assertThat(environmentNames("broker-service")).as("every BROKER_CLUSTER_* variable is a broker setting")
                .containsAll(env.keySet().stream().filter(k -> k.startsWith("BROKER_CLUSTER_")).toList());
        assertThat(fieldRef(container, "BROKER_CLUSTER_HOST")).as("the pod IP is the announced cluster address")
                .isEqualTo("status.podIP");
        assertThat(fieldRef(container, "BROKER_CLUSTER_NODE_ID")).as("the node id is the pod name")
                .isEqualTo("metadata.name");

        JsonNode headless = named(docs, "Service", env.get("BROKER_CLUSTER_DNS_SERVICE").split("\\.")[0]);
        assertThat(headless.path("spec").path("clusterIP").asText()).as("a headless Service").isEqualTo("None");
        assertThat(headless.path("spec").path("publishNotReadyAddresses").asBoolean())
                .as("starting brokers are listed: readiness waits for the cluster join").isTrue();
        assertThat(podsSelectedBy(docs, map(headless.path("spec").path("selector")))).containsExactly(broker);
        int hazelcast = Integer.parseInt(env.getOrDefault("BROKER_CLUSTER_PORT",
                defaults.getProperty("broker.cluster.port")));
        int grpc = Integer.parseInt(env.getOrDefault("BROKER_CLUSTER_GRPC_PORT",
                defaults.getProperty("broker.cluster.grpc-port")));
        Map<Integer, Integer> servicePorts = new HashMap<>();
        for (JsonNode port : headless.path("spec").path("ports")) {
            servicePorts.put(port.path("port").asInt(), containerPorts(broker).get(port.path("targetPort").asText()));
        }
        assertThat(servicePorts).as("the headless Service serves the Hazelcast and gRPC cluster ports")
                .containsEntry(hazelcast, hazelcast).containsEntry(grpc, grpc);
    }

    @Test
    void prodClusterPortsAreReachableFromBrokerPodsOnly() throws Exception {
        List<JsonNode> docs = render("prod");
        JsonNode broker = named(docs, "StatefulSet", "broker-service");
        Map<String, String> brokerLabels = map(broker.path("spec").path("template").path("metadata").path("labels"));
        Map<String, String> env = environment(docs, containers(broker).get(0));
        Set<Integer> clusterPorts = Set.of(Integer.parseInt(env.get("BROKER_CLUSTER_PORT")),
                Integer.parseInt(env.get("BROKER_CLUSTER_GRPC_PORT")));
        Set<Integer> admittedFromBrokers = new HashSet<>();
        for (JsonNode np : ofKind(docs, "NetworkPolicy")) {
            if (!selects(map(np.path("spec").path("podSelector").path("matchLabels")), brokerLabels)) {
                continue;
            }
            for (JsonNode rule : np.path("spec").path("ingress")) {
                Set<Integer> ports = new HashSet<>();
                rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
                boolean coversCluster = ports.isEmpty() || ports.stream().anyMatch(clusterPorts::contains);
                if (!coversCluster) {
                    continue;
                }
                assertThat(rule.path("from").size())
                        .as("NetworkPolicy %s: a rule for the cluster ports names its peers", name(np)).isPositive();
                for (JsonNode peer : rule.path("from")) {
                    assertThat(peer.has("namespaceSelector") || peer.has("ipBlock"))
                            .as("NetworkPolicy %s: cluster ports only from this namespace's pods", name(np)).isFalse();
                    assertThat(selects(map(peer.path("podSelector").path("matchLabels")), brokerLabels))
                            .as("NetworkPolicy %s: cluster ports only from broker pods", name(np)).isTrue();
                    assertThat(podsSelectedBy(docs, map(peer.path("podSelector").path("matchLabels"))))
                            .as("NetworkPolicy %s: no other workload matches the peer selector", name(np))
                            .containsExactly(broker);
                }
                admittedFromBrokers.addAll(ports);
            }
        }
        assertThat(admittedFromBrokers).as("brokers reach each other's cluster ports").containsAll(clusterPorts);
    }

    @Test
    void prodBrokersStopOneAtATimeAndDrainBeforeSigterm() throws Exception {
        List<JsonNode> docs = render("prod");
        JsonNode broker = named(docs, "StatefulSet", "broker-service");
        Map<String, String> labels = map(broker.path("spec").path("template").path("metadata").path("labels"));
        List<JsonNode> budgets = ofKind(docs, "PodDisruptionBudget").stream()
                .filter(pdb -> selects(map(pdb.path("spec").path("selector").path("matchLabels")), labels)).toList();
        assertThat(budgets).as("one PodDisruptionBudget for the brokers").hasSize(1);
        assertThat(budgets.get(0).path("spec").path("maxUnavailable").asInt()).as("one broker down at a time")
                .isEqualTo(1);

        JsonNode command = containers(broker).get(0).path("lifecycle").path("preStop").path("exec").path("command");
        assertThat(command.size()).as("a preStop hook: sleep N").isEqualTo(2);
        assertThat(command.get(0).asText()).isEqualTo("sleep");
        int preStop = command.get(1).asInt();
        assertThat(preStop).as("seconds for the endpoints and the load balancer to drop the pod").isBetween(3, 30);
        assertThat(broker.path("spec").path("template").path("spec").path("terminationGracePeriodSeconds").asInt())
                .as("grace period = preStop + the graceful stop (listeners, cluster leave, session snapshot)")
                .isGreaterThanOrEqualTo(preStop + 30);
    }

    @Test
    void devRunsASingleBrokerWithoutCluster() throws Exception {
        List<JsonNode> docs = render("dev");
        JsonNode broker = named(docs, "StatefulSet", "broker-service");
        assertThat(broker.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(environment(docs, containers(broker).get(0)).getOrDefault("BROKER_CLUSTER_ENABLED",
                defaults("broker-service").getProperty("broker.cluster.enabled"))).isEqualTo("false");
        assertThat(ofKind(docs, "Service").stream().map(KustomizeManifestsTest::name)).as("no cluster Service")
                .doesNotContain("broker-cluster");
    }

    @Test
    void theGrafanaDashboardOnlyUsesMetricsTheServicesExport() throws Exception {
        ObjectMapper json = JsonMapper.builder().build();
        JsonNode dashboard = json.readTree(K8S.resolve("base/grafana/mqtt-broker-dashboard.json").toFile());
        assertThat(dashboard.path("panels").size()).isGreaterThan(5);
        String sources = Files.readString(ROOT.resolve(
                "broker-service/src/main/java/dev/mqttsuite/broker/metrics/BrokerMetrics.java"))
                + Files.readString(ROOT.resolve("broker-service/src/main/java/dev/mqttsuite/broker/server/BrokerAssembly.java"))
                + Files.readString(ROOT.resolve(
                        "broker-service/src/main/java/dev/mqttsuite/broker/metrics/PacketCounters.java"))
                + Files.readString(ROOT.resolve("bridge-service/src/main/java/dev/mqttsuite/bridge/Bridge.java"));
        Pattern metric = Pattern.compile("\\b((?:mqtt|bridge)_[a-z_]+?)(?:_total|_bytes_total)?[{\\[]");
        int checked = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Matcher m = metric.matcher(target.path("expr").asText());
                while (m.find()) {
                    String name = m.group(1);
                    String meter = name.startsWith("mqtt_") ? name.replace('_', '.') : name;
                    assertThat(sources).as("panel '%s' uses %s", panel.path("title").asText(), name)
                            .contains("\"" + meter + "\"");
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(10);
    }
}
