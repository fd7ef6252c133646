"""The document's life: one state machine and its append-only history."""
