package dev.mqttsuite.broker.quota;

import dev.mqttsuite.broker.config.QuotaConfig;
import java.util.ArrayList;
import java.util.List;

/** The {@code broker.quota.*} values the broker refuses to start with, each naming its setting. */
public final class QuotaValidation {

    private QuotaValidation() {
    }

    public static List<String> problems(QuotaConfig quota) {
        List<String> problems = new ArrayList<>();
        if (!(quota.clientMessagesPerSecond() >= 0)) {
            problems.add("broker.quota.client-messages-per-second must be >= 0 (0 = unlimited)");
        }
        if (quota.clientBytesPerSecond() < 0) {
            problems.add("broker.quota.client-bytes-per-second must be >= 0 (0 = unlimited)");
        }
        if (!(quota.userMessagesPerSecond() >= 0)) {
            problems.add("broker.quota.user-messages-per-second must be >= 0 (0 = unlimited)");
        }
        if (quota.userBytesPerSecond() < 0) {
            problems.add("broker.quota.user-bytes-per-second must be >= 0 (0 = unlimited)");
        }
        if (!(quota.burstSeconds() > 0) || quota.burstSeconds() > 3600) {
            problems.add("broker.quota.burst-seconds must be above 0 and at most 3600");
        }
        if (quota.maxConnectionsPerUser() < 0) {
            problems.add("broker.quota.max-connections-per-user must be >= 0 (0 = unlimited)");
        }
        return problems;
    }
}
