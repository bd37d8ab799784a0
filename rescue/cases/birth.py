"""A date of birth with unknown parts, or an approximate age. Pure."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

ADULT_AGE = 18


@dataclass(frozen=True)
class Birth:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    approximate_age: int | None = None
    age_assessed_on: date | None = None

    @property
    def is_complete(self) -> bool:
        return None not in (self.year, self.month, self.day)

    def age_on(self, today: date) -> int | None:
        """The age in whole years, the lowest possible when parts are unknown."""
        if self.year is not None:
            # Unknown parts are taken as late as they could be, so a possible minor is never aged up.
            month = self.month or 12
            day = self.day or calendar.monthrange(self.year, month)[1]
            age = today.year - self.year - ((today.month, today.day) < (month, day))
            return max(age, 0)
        if self.approximate_age is not None:
            assessed = self.age_assessed_on or today
            return self.approximate_age + max(today.year - assessed.year, 0)
        return None

    def is_minor(self, today: date) -> bool | None:
        age = self.age_on(today)
        return None if age is None else age < ADULT_AGE

    def mrz(self) -> str:
        """YYMMDD with unknown parts filled with '<' (ICAO Doc 9303)."""
        year = f"{self.year % 100:02d}" if self.year is not None else "<<"
        month = f"{self.month:02d}" if self.month else "<<"
        day = f"{self.day:02d}" if self.day else "<<"
        return year + month + day
