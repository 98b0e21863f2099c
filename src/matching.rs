//! URI matching (PROTOCOL.md §8). Being written.
