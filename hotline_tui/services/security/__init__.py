"""Security events the store cannot take when they happen, and the per-user unlock guard.

A failed unlock happens before the store is open (the password is what opens it), so it
is kept in ``unlock-guard.json`` beside the store, with the per-user count of failed
tries that slows and then holds further tries; the next successful unlock moves the
events into the audit log. Nothing of a password is ever written, and a name the room
does not know is never written either (it may be a password typed in the wrong field).
"""
