#!/usr/bin/env python3
"""Generates base/grafana/mqtt-broker-dashboard.json (run from k8s/): the broker's and the bridges' metrics."""
import json
import os

panels = []
DS = {"type": "prometheus", "uid": "${datasource}"}


def sel(metric, extra=""):
    return metric + '{namespace="$namespace", pod=~"$pod"' + extra + '}'


def timeseries(title, exprs, unit, x, y, w=12, h=8):
    panels.append({"id": len(panels) + 1, "type": "timeseries", "title": title, "datasource": DS,
                   "gridPos": {"x": x, "y": y, "w": w, "h": h},
                   "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
                   "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
                   "targets": [{"refId": chr(65 + i), "expr": e, "legendFormat": l}
                               for i, (e, l) in enumerate(exprs)]})


def stat(title, expr, x, y, w=6, h=4):
    panels.append({"id": len(panels) + 1, "type": "stat", "title": title, "datasource": DS,
                   "gridPos": {"x": x, "y": y, "w": w, "h": h},
                   "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []},
                   "targets": [{"refId": "A", "expr": expr}]})


stat("Connections", "sum(" + sel("mqtt_connections") + ")", 0, 0)
stat("Sessions", "sum(" + sel("mqtt_sessions") + ")", 6, 0)
stat("Subscriptions", "sum(" + sel("mqtt_subscriptions") + ")", 12, 0)
stat("Retained messages", "max(" + sel("mqtt_retained_messages") + ")", 18, 0)
timeseries("Messages in / out per second", [
    ("sum by (qos) (rate(" + sel("mqtt_messages_received_total") + "[1m]))", "received QoS {{qos}}"),
    ("sum by (qos) (rate(" + sel("mqtt_messages_sent_total") + "[1m]))", "sent QoS {{qos}}")], "ops", 0, 4)
timeseries("Dropped messages per second (by reason)", [
    ("sum by (reason) (rate(" + sel("mqtt_messages_dropped_total") + "[1m]))", "{{reason}}")], "ops", 12, 4)
timeseries("Queued and inflight messages", [
    ("sum by (pod) (" + sel("mqtt_messages_queued") + ")", "queued {{pod}}"),
    ("sum by (pod) (" + sel("mqtt_messages_inflight") + ")", "inflight {{pod}}")], "short", 0, 12)
timeseries("Back-pressure pauses per second", [
    ("sum by (pod) (rate(" + sel("mqtt_backpressure_pauses_total") + "[1m]))", "{{pod}}")], "ops", 12, 12)
timeseries("Network bytes per second", [
    ("sum by (pod) (rate(" + sel("mqtt_bytes_received_bytes_total") + "[1m]))", "in {{pod}}"),
    ("sum by (pod) (rate(" + sel("mqtt_bytes_sent_bytes_total") + "[1m]))", "out {{pod}}")], "Bps", 0, 20)
timeseries("Disconnects by the server per second", [
    ("sum by (pod) (rate(" + sel("mqtt_disconnects_server_total") + "[1m]))", "{{pod}}")], "ops", 12, 20)
timeseries("Packets received per second (by type)", [
    ("sum by (type) (rate(" + sel("mqtt_packets_received_total") + "[1m]))", "{{type}}")], "ops", 0, 28)
timeseries("JVM heap used", [
    ("sum by (pod) (" + sel("jvm_memory_used_bytes", ', area="heap"') + ")", "{{pod}}")], "bytes", 12, 28)
timeseries("Bridges: forwarded per second and buffered", [
    ('sum by (bridge, direction) (rate(bridge_forwarded_total{namespace="$namespace"}[1m]))',
     "{{bridge}} {{direction}}"),
    ('sum by (bridge, direction) (bridge_buffered{namespace="$namespace"})', "buffered {{bridge}} {{direction}}")],
    "short", 0, 36)
timeseries("Bridges: connected sides and drops", [
    ('sum by (bridge, side) (bridge_connected{namespace="$namespace"})', "connected {{bridge}} {{side}}"),
    ('sum by (bridge, reason) (rate(bridge_dropped_total{namespace="$namespace"}[1m]))',
     "dropped {{bridge}} {{reason}}")], "short", 12, 36)

dashboard = {
    "title": "MQTT Suite broker", "uid": "mqtt-suite-broker", "schemaVersion": 39, "version": 1, "editable": True,
    "time": {"from": "now-1h", "to": "now"}, "refresh": "30s", "tags": ["mqtt", "mqtt-suite"],
    "templating": {"list": [
        {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Prometheus"},
        {"name": "namespace", "type": "query", "datasource": DS,
         "query": "label_values(mqtt_connections, namespace)", "refresh": 2},
        {"name": "pod", "type": "query", "datasource": DS,
         "query": 'label_values(mqtt_connections{namespace="$namespace"}, pod)', "refresh": 2,
         "includeAll": True, "multi": True, "allValue": ".*"}]},
    "panels": panels}
os.makedirs("base/grafana", exist_ok=True)
with open("base/grafana/mqtt-broker-dashboard.json", "w") as f:
    json.dump(dashboard, f, indent=2)
    f.write("\n")
