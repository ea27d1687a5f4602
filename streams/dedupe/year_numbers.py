"""Which numbers read as Gregorian years in news text.

Three readers need the same answer: years.py (the years a text names), figures.py (a
year is no count of an event) and ordinals.py («دورة 2024» is an edition named by its
year, not its number). It lives here, below all three, so that none imports another for it.
"""

from __future__ import annotations

import re

GREGORIAN_YEARS = range(1900, 2100)
# four ASCII digits in that range (figures and story terms test a number's digits as written)
YEAR_DIGITS = re.compile(r"^(?:19|20)\d\d$")
