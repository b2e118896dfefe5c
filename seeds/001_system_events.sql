-- the system tenant's default event types, announced once in the outbox so that
-- workers know which events the platform emits
--
-- Seed: system_events
-- Kind: required
-- Requires: 251018_schema_v1_inbox

INSERT INTO zero_admin.event_outbox
    (tenant_id, event_type, payload_json, idempotency_key, status)
VALUES
    ('00000000-0000-0000-0000-000000000000', 'inbox.received', '{"schema_version": 1}', 'event-type:inbox.received', 'sent'),
    ('00000000-0000-0000-0000-000000000000', 'inbox.parsed', '{"schema_version": 1}', 'event-type:inbox.parsed', 'sent'),
    ('00000000-0000-0000-0000-000000000000', 'inbox.failed', '{"schema_version": 1}', 'event-type:inbox.failed', 'sent')
ON CONFLICT (tenant_id, idempotency_key) DO NOTHING;
