"""Marsad: Arabic-first streaming news ingestion and alerting."""

__version__ = "0.1.0"
