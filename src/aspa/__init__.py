"""Aspa: one front door for a city's customer service."""
