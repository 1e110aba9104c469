"""Hotline triage room: the secure workspace and the app that opens it."""
