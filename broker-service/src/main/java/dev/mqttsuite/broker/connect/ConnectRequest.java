package dev.mqttsuite.broker.connect;

import dev.mqttsuite.broker.will.Will;

/**
 * A CONNECT that passed validation: what the client asked for and what the broker grants.
 *
 * @param clientId the client identifier, assigned by the broker when the client sent none
 * @param clientIdAssigned whether the broker assigned it (MQTT 5 tells the client in CONNACK)
 * @param cleanStart Clean Start (MQTT 5) or Clean Session (3.1.1)
 * @param requestedExpiry the Session Expiry Interval the client asked for
 * @param grantedExpiry the interval the broker grants ({@code SessionExpiry#grant})
 * @param keepAlive the keep alive in force, seconds
 * @param serverKeepAlive the Server Keep Alive to announce (MQTT 5), or null
 * @param receiveMaximum the client's Receive Maximum
 * @param maximumPacketSize the client's Maximum Packet Size, {@link Long#MAX_VALUE} when it set none
 * @param topicAliasMaximum the client's Topic Alias Maximum
 * @param problemInformation Request Problem Information
 * @param authMethod the Authentication Method, or null
 * @param authData the Authentication Data, or null
 * @param will the Will, or null
 */
public record ConnectRequest(String clientId, boolean clientIdAssigned, boolean cleanStart, long requestedExpiry,
        long grantedExpiry, int keepAlive, Integer serverKeepAlive, int receiveMaximum, long maximumPacketSize,
        int topicAliasMaximum, boolean problemInformation, String authMethod, byte[] authData, Will will) {
}
