"""The room's people: workspaces, unlocking, accounts, and managing users."""
