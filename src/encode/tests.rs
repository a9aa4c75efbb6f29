//! Unit tests (vectors from PostgreSQL 15).
