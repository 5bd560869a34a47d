"""Check-in at the door: the decision service, its read lists, the door view."""
