# One date style in English, wherever a date is shown: "6 December 2026", "6 December 2026, 14:30"
# (British, as the site's og:locale en_GB). Templates use |date or |date:"DATETIME_FORMAT".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
