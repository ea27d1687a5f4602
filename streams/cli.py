"""Stream-side commands: `marsad rules …`, `marsad dedupe …`."""

from streams.dedupe.cli import dedupe_app
from streams.rules.cli import rules_app

__all__ = ["dedupe_app", "rules_app"]
