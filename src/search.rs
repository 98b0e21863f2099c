//! Vault search. Being written.
