"""Count things, concurrently."""
