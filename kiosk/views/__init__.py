"""Read models for audiences: the staff desk and the stage board."""
