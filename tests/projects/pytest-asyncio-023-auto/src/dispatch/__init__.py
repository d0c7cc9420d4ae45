"""Dispatch jobs to workers."""
