package dev.mqttsuite.auth.authorization;

import dev.mqttsuite.auth.config.AuthConfig;
import dev.mqttsuite.auth.v1.AuthenticateReply;
import dev.mqttsuite.authcache.LoginDecisionCache;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The auth-service's login cache ({@code auth.login-cache.*}): allowed logins remembered for reconnect storms, so a
 * device that reconnects with the same credentials gets the same decision without database reads or a key derivation.
 * Cleared by every change this process announces ({@code ChangeBus}); {@code ttl} also bounds how long a change made
 * through another auth-service replica can go unseen here. The implementation is the suite's shared
 * {@link LoginDecisionCache}.
 */
public class LoginCacheProducer {

    @Produces
    @Singleton
    LoginDecisionCache<AuthenticateReply> loginCache(AuthConfig config) {
        AuthConfig.LoginCache settings = config.loginCache();
        if (settings.size() < 1 || settings.ttl().isNegative()) {
            throw new IllegalStateException("auth.login-cache.size must be >= 1 and auth.login-cache.ttl >= 0 (was "
                    + settings.size() + ", " + settings.ttl() + ")");
        }
        LoginDecisionCache<AuthenticateReply> cache = new LoginDecisionCache<>(
                settings.enabled() ? settings.ttl() : Duration.ZERO, settings.size(),
                reply -> reply.getOutcome() == AuthenticateReply.Outcome.ALLOWED,
                AuthenticateReply::getExpiresAtMillis);
        cache.live(true); // the model is local: every change made here clears the cache before it is announced
        return cache;
    }
}
