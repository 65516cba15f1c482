package dev.mqttsuite.auth.model;

/**
 * A change to the ACL model was refused. The admin API maps each {@link Reason} to a problem response; the domain knows
 * nothing of HTTP.
 */
public final class ModelException extends RuntimeException {

    /** Why the change was refused. */
    public enum Reason {
        /** A value is invalid; {@link #field()} names it. */
        INVALID,
        /** The entity to change does not exist. */
        NOT_FOUND,
        /** An entity of that name exists already. */
        ALREADY_EXISTS,
        /** The change did not say which version of the entity it was based on. */
        VERSION_REQUIRED,
        /** The entity changed since the version the change was based on. */
        VERSION_STALE
    }

    private final Reason reason;
    private final String field;
    private final long currentVersion;

    private ModelException(Reason reason, String field, String detail, long currentVersion) {
        super(detail);
        this.reason = reason;
        this.field = field;
        this.currentVersion = currentVersion;
    }

    public static ModelException invalid(String field, String detail) {
        return new ModelException(Reason.INVALID, field, detail, -1);
    }

    public static ModelException notFound(String what) {
        return new ModelException(Reason.NOT_FOUND, null, what + " does not exist", -1);
    }

    public static ModelException alreadyExists(String what) {
        return new ModelException(Reason.ALREADY_EXISTS, null, what + " exists", -1);
    }

    static ModelException versionRequired() {
        return new ModelException(Reason.VERSION_REQUIRED, null, "the version the change is based on is required",
                -1);
    }

    static ModelException versionStale(long currentVersion) {
        return new ModelException(Reason.VERSION_STALE, null, "the entity is at version " + currentVersion,
                currentVersion);
    }

    public Reason reason() {
        return reason;
    }

    /** The offending field for {@link Reason#INVALID}, else null. */
    public String field() {
        return field;
    }

    /** For {@link Reason#VERSION_STALE}: the entity's current version, else -1. */
    public long currentVersion() {
        return currentVersion;
    }
}
