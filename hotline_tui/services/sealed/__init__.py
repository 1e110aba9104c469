"""What the store keeps under a second layer, for the roles that need it: reporters'
contact details and the room's secret keys (see contact.py and rolekeys.py)."""
