"""Looking after the store: retention, whole-store checks, loss of an open store."""
