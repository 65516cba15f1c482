// MQTT.js interoperability check, run by InteropTest: connects with MQTT 5 and 3.1.1, subscribes, publishes at
// QoS 1 with user properties, and prints "OK <version>" for each round trip. Exits non-zero on any failure.
// Usage: node mqttjs-roundtrip.js <port> <topic> [ws://host:port/path]: with a WebSocket URL it connects there
// instead of to TCP <port>, and also round-trips MQTT 3.1 (MQTT.js then offers the subprotocol "mqttv3.1").
const mqtt = require('mqtt');

const port = Number(process.argv[2]);
const topic = process.argv[3];
const url = process.argv[4];

function roundTrip(protocolVersion) {
  return new Promise((resolve, reject) => {
    const options = { protocolVersion, clientId: `mqttjs-${protocolVersion}-${Date.now()}`, reconnectPeriod: 0,
      connectTimeout: 5000 };
    if (protocolVersion === 3) { options.protocolId = 'MQIsdp'; } // MQTT 3.1
    const client = url ? mqtt.connect(url, options) : mqtt.connect({ host: '127.0.0.1', port, ...options });
    const timer = setTimeout(() => { client.end(true); reject(new Error(`timeout v${protocolVersion}`)); }, 10000);
    client.on('error', (err) => { clearTimeout(timer); reject(err); });
    client.on('connect', () => {
      const t = `${topic}/v${protocolVersion}`;
      client.subscribe(t, { qos: 1 }, (err) => {
        if (err) { clearTimeout(timer); return reject(err); }
        const options = { qos: 1 };
        if (protocolVersion === 5) { options.properties = { userProperties: { origin: 'mqttjs' } }; }
        client.publish(t, `hello v${protocolVersion}`, options);
      });
    });
    client.on('message', (t, payload, packet) => {
      clearTimeout(timer);
      const ok = payload.toString() === `hello v${protocolVersion}` &&
        (protocolVersion !== 5 || (packet.properties && packet.properties.userProperties &&
          packet.properties.userProperties.origin === 'mqttjs'));
      // end after this message's PUBACK is written: MQTT.js sends it after the handler returns, and a packet after
      // DISCONNECT breaks [MQTT-3.14.4-2] (over WebSocket it then hits the close handshake the broker started)
      setImmediate(() => client.end(false,
        () => (ok ? resolve(`OK ${protocolVersion}`) : reject(new Error(`bad message v${protocolVersion}`)))));
    });
  });
}

(async () => {
  try {
    console.log(await roundTrip(5));
    console.log(await roundTrip(4));
    if (url) { console.log(await roundTrip(3)); }
    process.exit(0);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
})();
