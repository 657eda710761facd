# Dates are typed as YYYY-MM-DD in every language: 03/04/2023 means March to some
# readers and April to others, so no form accepts it.
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
