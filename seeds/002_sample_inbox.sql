-- sample inbox items and their parsed documents, for demos and local development
--
-- Seed: sample_inbox
-- Kind: optional
-- After: system_events
-- Requires: 251018_schema_v1_inbox

INSERT INTO zero_admin.inbox_items (id, tenant_id, source, status, content_hash, uri)
VALUES
    ('11111111-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000aa', 'email', 'parsed', 'sha256:demo-1', 'mailto:invoices@example.com'),
    ('11111111-0000-0000-0000-000000000002', '00000000-0000-0000-0000-0000000000aa', 'upload', 'received', 'sha256:demo-2', 'file:///uploads/receipt.pdf')
ON CONFLICT (id) DO NOTHING;

INSERT INTO zero_admin.parsed_items (id, tenant_id, inbox_item_id, doc_type, payload_json)
VALUES
    ('22222222-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000aa', '11111111-0000-0000-0000-000000000001', 'invoice', '{"total": "120.00", "currency": "EUR"}')
ON CONFLICT (id) DO NOTHING;
