"""Send a heartbeat while the work runs."""
