"""Settle ledger entries against the bank feed."""

__version__ = "0.3.1"
