"""Deliver parcels over the network."""

__version__ = "0.5.2"
