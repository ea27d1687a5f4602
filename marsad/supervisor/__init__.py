"""`marsad run`'s process supervision: what to start (specs), restarts with backoff
(backoff, supervisor) and the live status of the children (status)."""
