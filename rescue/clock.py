"""The one place that says what time it is. Stored times are naive UTC."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
