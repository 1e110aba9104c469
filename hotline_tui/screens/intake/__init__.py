"""Screens for bundles coming in: importing from media, quarantine, verifying any bundle."""
