"""Restricted-party list sources: specs, format parsers, downloads."""
