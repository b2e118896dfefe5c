-- create zero_admin schema
--
-- Revision ID: 000000000000
-- Revises:
-- Create Date: 2025-10-18 17:00:00+00:00
-- Downgrade Keeps: schema zero_admin

-- migrate:upgrade
CREATE SCHEMA IF NOT EXISTS zero_admin;

-- migrate:downgrade
-- The schema stays: it holds the version table (version_table_schema = zero_admin).
