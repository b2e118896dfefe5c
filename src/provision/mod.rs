//! Provisioning throwaway databases: a private PostgreSQL server from local binaries, scratch databases, temp SQLite files.
