"""Everything that exists only for the demo school: data, names, events, camera frames, deck."""
