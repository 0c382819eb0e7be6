"""Layout of horizontal bar charts that the HTML templates draw as inline SVG.

The layout is computed here and the SVG elements are written by the template, so every
label passes through Jinja2's autoescaping.
"""

from __future__ import annotations

from dataclasses import dataclass

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 200
BAR_AREA = 360


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as printed beside the bar
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def bar_chart(items: list[tuple[str, float, str]], maximum: float | None = None,
              label_width: int = LABEL_WIDTH) -> BarChart:
    """Lay out one bar per `(label, value, text)`; bars scale to `maximum`, or to the largest value.

    `label_width` is in pixels; at the templates' 12 px font, allow about 7 px per character.
    """
    top = maximum if maximum is not None else max((value for _, value, _ in items), default=0)
    bars = []
    for index, (label, value, text) in enumerate(items):
        width = (value / top * BAR_AREA) if top else 0.0
        bars.append(Bar(label=label, value=value, text=text, y=index * (BAR_HEIGHT + BAR_GAP), width=round(width, 1)))
    height = max(len(items) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, 0)
    return BarChart(bars=bars, width=label_width + BAR_AREA + 90, height=height, label_width=label_width,
                    bar_height=BAR_HEIGHT)
