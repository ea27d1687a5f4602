"""The kernel: what every stage and application stands on.

Settings, message formats, the error tree, metrics, durations, and the one door to each
outside system (``kafka``, ``redis_client``, ``config_files``). Nothing here imports the
stages (``connectors``, ``streams``, ``alerts``) or the applications (``marsad``).
"""

__version__ = "0.1.0"
