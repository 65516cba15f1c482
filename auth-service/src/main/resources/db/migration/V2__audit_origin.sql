-- Which auth-service process wrote an audit entry: the others follow the audit log to announce the change to the
-- brokers connected to them (several replicas on one PostgreSQL).
ALTER TABLE mqtt_audit ADD COLUMN origin VARCHAR(64);
