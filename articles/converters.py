"""Path converters that refuse out-of-range values, so the URL simply does not match: a 404.

Django's `int` converter accepts any number of digits. `/photos/10**30/telecharger/`
then reached the database with an integer it cannot hold (OverflowError on SQLite,
DataError on PostgreSQL: a 500), and `/archives/0001/` a date the year lookup cannot
turn into a UTC range. Checking here covers every view behind the pattern at once.
"""

# Releases are dated within these years: the archives and the search's year filter
# (discovery_views.SearchForm) accept no other.
FIRST_YEAR = 1900
LAST_YEAR = 2999
# The primary keys are BigAutoField: a signed 64-bit integer, from 1.
MAX_ID = 2**63 - 1


class IdConverter:
    """A primary key: 1 to 2⁶³ − 1, written in digits."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"id out of range: {value}")
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class YearConverter:
    """A year of the archives, four digits, FIRST_YEAR to LAST_YEAR."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"year out of range: {value}")
        return year

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class MonthConverter:
    """A month, two digits, 01 to 12."""

    regex = "[0-9]{2}"

    def to_python(self, value: str) -> int:
        month = int(value)
        if not 1 <= month <= 12:
            raise ValueError(f"month out of range: {value}")
        return month

    def to_url(self, value) -> str:
        return f"{int(value):02d}"
