"""Dates as Party documents print them."""

from datetime import date


def document_date(day: date) -> str:
    """ "ngày 05 tháng 02 năm 2026": days below 10 and the months January and February are
    written with a leading zero (Hướng dẫn 36-HD/VPTW), other months without."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    """ "Khánh Hòa, ngày 05 tháng 02 năm 2026", the line under the national motto."""
    return f"{place}, {document_date(day)}"


def short_date(day: date | None) -> str:
    """ "05/02/2026" in tables; empty for no date."""
    return day.strftime("%d/%m/%Y") if day else ""
