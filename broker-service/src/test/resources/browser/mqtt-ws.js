// In the browser: subscribe to ?in at QoS 1, then publish "from-browser" to ?out at QoS 1; every message received on
// ?in is appended to #received as "topic|payload|qos". #state reads "ready" once the SUBACK granted QoS 1.
(function () {
  const params = new URLSearchParams(window.location.search);
  const show = (id, text) => { document.getElementById(id).textContent = text; };
  const client = mqtt.connect(params.get('url'), {
    protocolVersion: Number(params.get('v')),
    clientId: params.get('id'),
    clean: true,
    reconnectPeriod: 0
  });
  const received = [];
  client.on('error', (e) => show('error', e.message));
  client.on('close', () => { if (document.getElementById('state').textContent !== 'ready') show('state', 'closed'); });
  client.on('message', (topic, payload, packet) => {
    received.push(topic + '|' + payload.toString() + '|' + packet.qos);
    show('received', received.join(','));
  });
  client.on('connect', () => {
    show('state', 'connected');
    client.subscribe(params.get('in'), { qos: 1 }, (err, granted) => {
      if (err || granted[0].qos !== 1) { show('error', 'subscribe: ' + (err ? err.message : granted[0].qos)); return; }
      client.publish(params.get('out'), 'from-browser', { qos: 1 }, (perr) => {
        if (perr) { show('error', 'publish: ' + perr.message); return; }
        show('state', 'ready');
      });
    });
  });
})();
