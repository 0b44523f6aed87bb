# One date style in French, wherever a date is shown: "6 décembre 2026", "6 décembre 2026, 14:30".
# Templates use |date (DATE_FORMAT) or |date:"DATETIME_FORMAT", never a format of their own.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
