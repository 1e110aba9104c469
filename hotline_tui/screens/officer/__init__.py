"""The security officer's desk: audit log, backup, keyring, users, retention."""
