"""Berths and the ships that take them."""
