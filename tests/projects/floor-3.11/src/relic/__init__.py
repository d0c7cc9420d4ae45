"""Keep old things running."""
