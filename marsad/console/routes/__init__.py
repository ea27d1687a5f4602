"""One router per area of the console API, included in this order by ``create_app``."""
