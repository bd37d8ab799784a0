"""How long a spreadsheet too long for one import takes to be refused: the rows are read as a stream and the
reading stops past the limit, so the time does not grow with the file.

    python -m bench.imports
"""
from __future__ import annotations

import io
import time

from openpyxl import Workbook

from rescue.operations import people


def _xlsx(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["tag", "family_name", "given_names", "nationality", "sex"])
    for n in range(rows):
        sheet.append([str(n), f"FAMILY{n}", f"Given {n}", "PHL", "F"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    print(f"{'rows in the file':>18} {'file KB':>8} {'refused or read in ms':>22}")
    for rows in (1_000, 20_000, 200_000):
        data = _xlsx(rows)
        started = time.perf_counter()
        try:
            people.read_spreadsheet(data, "list.xlsx")
            outcome = "read"
        except people.TooManyRows:
            outcome = "refused"
        elapsed = (time.perf_counter() - started) * 1000
        print(f"{rows:>18,} {len(data) // 1024:>8,} {elapsed:>15.0f} ({outcome})")


if __name__ == "__main__":
    main()
