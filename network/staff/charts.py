"""Geometry of the staff dashboard's server-rendered SVG bar charts (no script, no library).

Horizontal positions are percentages of the chart's width, vertical ones are pixels: the SVG
stretches to its container while its text keeps a readable size, from a phone to a wide screen.
"""

from dataclasses import dataclass

# Where bars start and the widest bar ends, in percent of the width: labels sit on the left,
# totals on the right.
BAR_START = 30.0
BAR_SPAN = 58.0
ROW_HEIGHT = 30
BAR_HEIGHT = 20


@dataclass(frozen=True)
class Segment:
    """One rectangle of a bar."""

    x: str
    y: int
    width: str
    height: int
    color: str
    label: str
    value: int


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: a label, its rectangles, totals at the end."""

    label: str
    text_y: int
    segments: list[Segment]
    # (x, y, text) of the figures written after the bar(s).
    totals: list[tuple[str, int, int]]


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart ready for templates/network/_bar_chart.html."""

    bars: list[Bar]
    height: int
    legend: list[tuple[str, str]]


def _percent(value: float) -> str:
    return f"{value:.2f}%"


def bar_chart(
    rows: list[tuple[str, list[int]]], series: list[tuple[str, str]], *, stacked: bool = True
) -> BarChart:
    """Lay out rows of values: stacked in one bar, or one thinner bar per series (grouped).

    `series` gives each value's (label, color), in the order of the values.
    """
    if stacked:
        longest = max((sum(values) for _, values in rows), default=0)
    else:
        longest = max((max(values, default=0) for _, values in rows), default=0)
    scale = BAR_SPAN / longest if longest else 0
    lanes = 1 if stacked else len(series)
    lane_height = BAR_HEIGHT if stacked else 14
    row_height = lane_height * lanes + 10
    bars = []
    for index, (label, values) in enumerate(rows):
        top = index * row_height + 4
        segments, totals = [], []
        start = BAR_START
        for lane, (value, (series_label, color)) in enumerate(zip(values, series, strict=True)):
            width = value * scale
            y = top if stacked else top + lane * lane_height
            if value:
                segments.append(
                    Segment(
                        x=_percent(start),
                        y=y,
                        width=_percent(width),
                        height=lane_height - (0 if stacked else 2),
                        color=color,
                        label=series_label,
                        value=value,
                    )
                )
            if stacked:
                start += width
            else:
                totals.append((_percent(BAR_START + width + 1), y + lane_height - 3, value))
        if stacked:
            totals.append((_percent(start + 1), top + lane_height // 2 + 5, sum(values)))
        bars.append(
            Bar(
                label=label,
                text_y=top + (lane_height * lanes) // 2 + 5,
                segments=segments,
                totals=totals,
            )
        )
    return BarChart(bars=bars, height=len(rows) * row_height + 8, legend=series)
