"""Key slots, password derivation and personal keys: no store, no UI."""
