"""The room's own keys and the keys it trusts."""
