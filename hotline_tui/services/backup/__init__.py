"""Backups of the room's store and restoring one (make.py, restore.py, status.py)."""
