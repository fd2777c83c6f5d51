"""The append-only, hash-chained audit log every state change writes to."""
