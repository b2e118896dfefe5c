-- schema v1 inbox
--
-- Revision ID: 251018_schema_v1_inbox
-- Revises: 251018_initial_baseline
-- Create Date: 2025-10-18 17:30:00+00:00

-- migrate:upgrade
CREATE TABLE zero_admin.inbox_items (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    source varchar(64) NOT NULL,
    status varchar(32) NOT NULL DEFAULT 'received',
    content_hash varchar(64) NOT NULL,
    uri text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_inbox_items PRIMARY KEY (id),
    CONSTRAINT uq_inbox_items__content_hash UNIQUE (tenant_id, content_hash),
    CONSTRAINT ck_inbox_items__status_valid
        CHECK (status IN ('received', 'parsed', 'failed', 'archived'))
);

CREATE TABLE zero_admin.parsed_items (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    inbox_item_id uuid NOT NULL,
    doc_type varchar(64) NOT NULL,
    payload_json jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_parsed_items PRIMARY KEY (id),
    CONSTRAINT fk_parsed_items_inbox_item_id_inbox_items FOREIGN KEY (inbox_item_id)
        REFERENCES zero_admin.inbox_items (id) ON DELETE CASCADE
);

CREATE TABLE zero_admin.chunks (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    parsed_item_id uuid NOT NULL,
    seq_no integer NOT NULL,
    text text NOT NULL,
    token_count integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_chunks PRIMARY KEY (id),
    CONSTRAINT fk_chunks_parsed_item_id_parsed_items FOREIGN KEY (parsed_item_id)
        REFERENCES zero_admin.parsed_items (id) ON DELETE CASCADE,
    CONSTRAINT uq_chunks__seq UNIQUE (parsed_item_id, seq_no)
);

CREATE TABLE zero_admin.event_outbox (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    event_type varchar(128) NOT NULL,
    payload_json jsonb NOT NULL,
    idempotency_key varchar(128) NOT NULL,
    schema_version varchar(16) NOT NULL DEFAULT '1',
    status varchar(32) NOT NULL DEFAULT 'pending',
    retry_count integer NOT NULL DEFAULT 0,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_event_outbox PRIMARY KEY (id),
    CONSTRAINT uq_event_outbox__idem UNIQUE (tenant_id, idempotency_key),
    CONSTRAINT ck_event_outbox__status_valid
        CHECK (status IN ('pending', 'sent', 'failed'))
);

CREATE TABLE zero_admin.processed_events (
    tenant_id uuid NOT NULL,
    event_type varchar(128) NOT NULL,
    idempotency_key varchar(128) NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_processed_events PRIMARY KEY (tenant_id, event_type, idempotency_key)
);

CREATE TABLE zero_admin.dead_letters (
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL,
    event_type varchar(128) NOT NULL,
    idempotency_key varchar(128) NOT NULL,
    payload_json jsonb NOT NULL,
    reason text NOT NULL,
    retry_count integer NOT NULL DEFAULT 0,
    failed_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pk_dead_letters PRIMARY KEY (id)
);

CREATE INDEX ix_inbox_items_tenant_id_created_at ON zero_admin.inbox_items (tenant_id, created_at);
CREATE INDEX ix_inbox_items_tenant_id_status ON zero_admin.inbox_items (tenant_id, status);
CREATE INDEX ix_parsed_items_tenant_id_inbox_item_id ON zero_admin.parsed_items (tenant_id, inbox_item_id);
CREATE INDEX ix_chunks_tenant_id_seq_no ON zero_admin.chunks (tenant_id, seq_no);
CREATE INDEX ix_event_outbox_tenant_id_status ON zero_admin.event_outbox (tenant_id, status);
CREATE INDEX ix_event_outbox_tenant_id_created_at ON zero_admin.event_outbox (tenant_id, created_at);
CREATE INDEX ix_processed_events_tenant_id_processed_at ON zero_admin.processed_events (tenant_id, processed_at);
CREATE INDEX ix_dead_letters_tenant_id_failed_at ON zero_admin.dead_letters (tenant_id, failed_at);

CREATE TRIGGER trg_inbox_items_set_updated_at BEFORE UPDATE ON zero_admin.inbox_items
    FOR EACH ROW EXECUTE FUNCTION zero_admin.set_updated_at();
CREATE TRIGGER trg_parsed_items_set_updated_at BEFORE UPDATE ON zero_admin.parsed_items
    FOR EACH ROW EXECUTE FUNCTION zero_admin.set_updated_at();
CREATE TRIGGER trg_chunks_set_updated_at BEFORE UPDATE ON zero_admin.chunks
    FOR EACH ROW EXECUTE FUNCTION zero_admin.set_updated_at();
CREATE TRIGGER trg_event_outbox_set_updated_at BEFORE UPDATE ON zero_admin.event_outbox
    FOR EACH ROW EXECUTE FUNCTION zero_admin.set_updated_at();
CREATE TRIGGER trg_processed_events_set_updated_at BEFORE UPDATE ON zero_admin.processed_events
    FOR EACH ROW EXECUTE FUNCTION zero_admin.set_updated_at();
CREATE TRIGGER trg_dead_letters_set_updated_at BEFORE UPDATE ON zero_admin.dead_letters
    FOR EACH ROW EXECUTE FUNCTION zero_admin.set_updated_at();

-- migrate:downgrade
-- Dropping a table drops its indexes, constraints and triggers with it; children first.
DROP TABLE zero_admin.dead_letters;
DROP TABLE zero_admin.processed_events;
DROP TABLE zero_admin.event_outbox;
DROP TABLE zero_admin.chunks;
DROP TABLE zero_admin.parsed_items;
DROP TABLE zero_admin.inbox_items;
