"""Verifying any bundle for a security officer, and reporting it to media."""
