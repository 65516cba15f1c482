package dev.mqttsuite.broker.session;

/**
 * Another broker keeps a copy of a shared-group message until this broker says it ended here, and gives it to another
 * member of the group if this broker leaves the cluster first (docs/adr/0011, "Shared subscriptions"). A delivery
 * carrying one settles it when its member acknowledged it (PUBACK, or PUBREC at QoS 2), when a persistent session
 * recorded it (its journal or replica then answers for it), or when it was dropped here; a delivery handed on to another
 * member keeps it.
 */
public interface Custody {

    /** The message ended here; idempotent. */
    void settle();

    /** The broker holding the message (its cluster member id), for a hand-on to a third broker. */
    String holder();

    /** The holder's token for the message. */
    long token();
}
