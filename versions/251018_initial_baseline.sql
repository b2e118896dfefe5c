-- initial baseline
--
-- Revision ID: 251018_initial_baseline
-- Revises: 000000000000
-- Create Date: 2025-10-18 17:15:00+00:00
-- Downgrade Keeps: schema zero_admin, extension pgcrypto

-- migrate:upgrade
CREATE SCHEMA IF NOT EXISTS zero_admin;

CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- Keeps updated_at current on every UPDATE. timestamptz stores an instant, so now()
-- is already UTC-correct whatever the session time zone is.
CREATE FUNCTION zero_admin.set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- migrate:downgrade
-- Only the function goes: schema and extension may be shared and stay (declared above).
DROP FUNCTION zero_admin.set_updated_at();
