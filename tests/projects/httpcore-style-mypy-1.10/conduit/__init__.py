"""A minimal low-level HTTP client."""
