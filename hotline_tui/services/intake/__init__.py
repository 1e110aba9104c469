"""Bringing bundles in from removable media: reading, verifying, storing, quarantining."""
