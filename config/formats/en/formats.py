"""The English pages write a date-time as the Vietnamese ones do ("02/12/2026 21:04"): one
format across the product, whatever the language."""

DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
