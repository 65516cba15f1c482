package dev.mqttsuite.auth.model;

/**
 * Optimistic concurrency: the version of an entity a change was based on. Updates and deletes must name one, so two
 * admins cannot silently overwrite each other; the admin API takes it from {@code If-Match}.
 */
public sealed interface ExpectedVersion {

    /** The change named no version: refused. */
    ExpectedVersion NONE = new None();

    /** Whatever the current version is. */
    ExpectedVersion ANY = new Any();

    /** Exactly this version (as given: a value that is not a version never matches). */
    static ExpectedVersion exactly(String version) {
        return new Exactly(version);
    }

    /**
     * Checks the entity's current version.
     *
     * @throws ModelException {@code VERSION_REQUIRED} or {@code VERSION_STALE}
     */
    void check(long currentVersion);

    record None() implements ExpectedVersion {
        @Override
        public void check(long currentVersion) {
            throw ModelException.versionRequired();
        }
    }

    record Any() implements ExpectedVersion {
        @Override
        public void check(long currentVersion) {
            // any version will do
        }
    }

    record Exactly(String version) implements ExpectedVersion {
        @Override
        public void check(long currentVersion) {
            if (!Long.toString(currentVersion).equals(version)) {
                throw ModelException.versionStale(currentVersion);
            }
        }
    }
}
