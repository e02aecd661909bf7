"""Session ids: one per writer opening (`YY-MM-DD_<n>`), and stand-ins for old records."""

import time

# Records without `_session_id` (tubs from Donkey before sessions existed, v1 tubs) are grouped
# into sessions split wherever recording paused for longer than this.
LEGACY_SESSION_GAP_MS = 60_000


def new_session_id(sessions: dict) -> str:
    """Donkey's rule: `last_id + 1` (0 for the first), prefixed with today's date."""
    last_id = sessions.get("last_id")
    valid = isinstance(last_id, int) and not isinstance(last_id, bool) and last_id >= 0
    return f"{time.strftime('%y-%m-%d')}_{last_id + 1 if valid else 0}"


class LegacySessions:
    """Session ids for records written before Donkey stamped `_session_id`: `legacy_<n>`, a new
    one whenever the timestamps jump by more than LEGACY_SESSION_GAP_MS."""

    def __init__(self) -> None:
        self.number = -1
        self.last_timestamp: int | None = None

    def session_of(self, timestamp: int | None) -> str:
        if self.number < 0 or (timestamp is not None and self.last_timestamp is not None
                               and abs(timestamp - self.last_timestamp) > LEGACY_SESSION_GAP_MS):
            self.number += 1
        if timestamp is not None:
            self.last_timestamp = timestamp
        return f"legacy_{self.number}"
