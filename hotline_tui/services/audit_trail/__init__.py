"""The tamper-evident audit chain, its published heads, and the officers' view of it."""
