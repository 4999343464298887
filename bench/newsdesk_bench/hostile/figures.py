"""Figures as the report gives them: percentiles, milliseconds."""

import statistics


def percentile(values, p):
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)
