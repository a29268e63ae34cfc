"""Geometry of the ranking's server-rendered SVG pictures, computed here so templates only
place it (no script, no inline style: the CSP forbids both). Each picture's numbers are also
shown in a table beside it."""

from dataclasses import dataclass


@dataclass
class Row:
    label: str
    y: float
    low90: float
    high90: float
    low50: float
    high50: float
    dot: float
    title: str = ""


@dataclass
class Tick:
    label: str
    x: float


@dataclass
class Picture:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    rows: list[Row]
    ticks: list[Tick]
    marker: float | None = None  # the cut line, or zero leniency


WIDTH = 640
LABEL_WIDTH = 180
ROW_HEIGHT = 18


def _scale(low: float, high: float, left: float, right: float):
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return round(left + (value - low) / span * (right - left), 2)

    return x


def _ticks(low: float, high: float, x, count: int = 5, integer: bool = False) -> list[Tick]:
    ticks = []
    for i in range(count):
        value = low + (high - low) * i / (count - 1)
        label = str(round(value)) if integer else f"{value:+.2f}"
        ticks.append(Tick(label=label, x=x(value)))
    return ticks


def rank_intervals(estimates, k: int) -> Picture:
    """The top applications' 90% (thin) and 50% (thick) rank intervals and expected rank,
    with the cut line between place k and k + 1."""
    last = max([e.rank_90_high for e in estimates] + [k + 1])
    left, right, top = LABEL_WIDTH, WIDTH - 16, 24
    x = _scale(0.5, last + 0.5, left, right)
    rows = [
        Row(label=e.application.startup.name, y=top + i * ROW_HEIGHT + ROW_HEIGHT / 2,
            low90=x(e.rank_90_low - 0.4), high90=x(e.rank_90_high + 0.4),
            low50=x(e.rank_50_low - 0.4), high50=x(e.rank_50_high + 0.4), dot=x(e.expected_rank))
        for i, e in enumerate(estimates)
    ]  # fmt: skip
    bottom = top + len(rows) * ROW_HEIGHT
    step = max(1, last // 8)
    ticks = [Tick(label=str(r), x=x(r)) for r in range(1, last + 1, step)]
    return Picture(width=WIDTH, height=bottom + 30, left=left, right=right, top=top,
                   bottom=bottom, rows=rows, ticks=ticks, marker=x(k + 0.5))  # fmt: skip


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass
class Histogram:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    peak: int


def score_histogram(bins: list[dict]) -> Histogram:
    left, right, top, bottom = 40, WIDTH - 16, 16, 170
    peak = max([b["count"] for b in bins] + [1])
    slot = (right - left) / max(len(bins), 1)
    bars = [
        Bar(x=round(left + i * slot + 1, 2),
            y=round(bottom - (bottom - top) * b["count"] / peak, 2),
            width=round(slot - 2, 2), height=round((bottom - top) * b["count"] / peak, 2),
            title=f"{b['low']:.2f}–{b['high']:.2f}: {b['count']}")
        for i, b in enumerate(bins)
    ]  # fmt: skip
    ticks = []
    if bins:
        x = _scale(bins[0]["low"], bins[-1]["high"], left, right)
        low, high = bins[0]["low"], bins[-1]["high"]
        ticks = [Tick(label=f"{v:.2f}", x=x(v)) for v in (low, (low + high) / 2, high)]
    return Histogram(width=WIDTH, height=bottom + 30, left=left, right=right, top=top,
                     bottom=bottom, bars=bars, ticks=ticks, peak=peak)  # fmt: skip


def leniencies(rows_in, names: dict) -> Picture:
    """Each reviewer's leniency (dot) and 90% interval (line), zero marked."""
    low = min([r.low_90 for r in rows_in] + [0.0])
    high = max([r.high_90 for r in rows_in] + [0.0])
    left, right, top = LABEL_WIDTH, WIDTH - 16, 24
    x = _scale(low, high, left, right)
    rows = [
        Row(label=names.get(r.reviewer_id, ""), y=top + i * ROW_HEIGHT + ROW_HEIGHT / 2,
            low90=x(r.low_90), high90=x(r.high_90), low50=x(r.leniency), high50=x(r.leniency),
            dot=x(r.leniency))
        for i, r in enumerate(rows_in)
    ]  # fmt: skip
    bottom = top + len(rows) * ROW_HEIGHT
    return Picture(width=WIDTH, height=bottom + 30, left=left, right=right, top=top,
                   bottom=bottom, rows=rows, ticks=_ticks(low, high, x), marker=x(0.0))  # fmt: skip


@dataclass
class RowBar:
    """The small interval bar of one table row: ranks 1..N across BAR_WIDTH. Coordinates are
    text with a dot, whatever the language (the template prints them without localising)."""

    low90: str
    width90: str
    low50: str
    width50: str
    dot: str
    cut: str


BAR_WIDTH = 120


def row_bar(estimate, ranked: int, k: int) -> RowBar | None:
    if estimate.rank_90_low is None or ranked < 1:
        return None
    x = _scale(0.5, ranked + 0.5, 2, BAR_WIDTH - 2)
    low90, high90 = x(estimate.rank_90_low - 0.5), x(estimate.rank_90_high + 0.5)
    low50, high50 = x(estimate.rank_50_low - 0.5), x(estimate.rank_50_high + 0.5)
    return RowBar(low90=str(low90), width90=str(round(high90 - low90, 2)), low50=str(low50),
                  width50=str(round(high50 - low50, 2)), dot=str(x(estimate.expected_rank)),
                  cut=str(x(k + 0.5)))  # fmt: skip
