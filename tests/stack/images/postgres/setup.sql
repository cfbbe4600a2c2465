-- Run once at image build, as the superuser `app` that initdb created.
\set ON_ERROR_STOP on
CREATE ROLE reader LOGIN PASSWORD 'reader-secret';
CREATE DATABASE app_db OWNER app;
CREATE DATABASE plain_db OWNER app;
\connect app_db
CREATE EXTENSION pg_stat_statements;
