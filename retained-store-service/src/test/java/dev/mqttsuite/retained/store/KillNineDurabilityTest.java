package dev.mqttsuite.retained.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsuite.retained.store.log.AppendLogRepository;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of the store process during a stream of puts: every put that was acknowledged is there after restart
 * (with the default sync=always and with sync=write alike: both make the write before acknowledging).
 */
class KillNineDurabilityTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fsync={0}")
    @ValueSource(booleans = {true, false})
    void givenStreamOfPuts_whenStoreIsKilledWithSigkill_thenEveryAcknowledgedPutSurvives(boolean fsync)
            throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                LogStoreChild.class.getName(), dir.toString(), Boolean.toString(fsync))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        BufferedReader acks = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(acks.readLine()).isEqualTo("ready");
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = acks.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        acknowledged.add(line.substring(4));
                    }
                }
            } catch (Exception ignored) {
                // the child was killed
            }
        });
        reader.start();
        Writer puts = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8);
        int sent = 0;
        while (acknowledged.size() < 2000 && sent < 200_000) {
            puts.write("k9/" + (sent % 5000) + "/v" + sent + "\n");
            sent++;
            if (sent % 100 == 0) {
                puts.flush();
            }
        }
        child.destroyForcibly(); // SIGKILL, in the middle of the stream
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(2000);

        try (AppendLogRepository reopened = new AppendLogRepository(dir, true, 64L * 1024 * 1024,
                new AppendLogRepository.Limits(1 << 20, 10_000_000, 1L << 32))) {
            for (String topic : acknowledged) {
                assertThat(reopened.get(topic)).as("acknowledged put of %s survives kill -9", topic).isPresent();
            }
        }
    }
}
