"""Draw the feed's growth curve from bench/network.py's results, as docs/img/feed-curve.png.

    .venv/bin/python bench/network_plot.py [results.json ...] [--output docs/img/feed-curve.png]

By default it reads bench/results/network-sqlite.json and network-postgresql.json. One line per
database (and per SQLite statistics variant): at the top the median of GET /feed/ at each data
size, and dotted, the bare view's median in the same run (the reference of the 5x goal); below,
the server's CPU time per request, which a noisy neighbour moves much less than latency. Both
axes are logarithmic. Drawn with Pillow (a Wagtail dependency), so it needs nothing more.
"""

import argparse
import json
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
DEFAULT_INPUTS = [
    HERE / "results" / "network-sqlite.json",
    HERE / "results" / "network-postgresql.json",
]
DEFAULT_OUTPUT = HERE.parent / "docs" / "img" / "feed-curve.png"

WIDTH, PANEL = 1200, 560
LEFT, RIGHT, TOP, BOTTOM = 110, 330, 70, 90
METRICS = [
    ("p50_ms", "GET /feed/ (benchviewer) through Daphne: median latency, ms"),
    ("server_cpu_ms_per_req", "The same requests: server CPU time per request, ms"),
]
COLOURS = {
    "postgresql": (37, 99, 235),
    "sqlite ANALYZE": (22, 163, 74),
    "sqlite no stats": (220, 38, 38),
}
GREY = (120, 120, 120)
INK = (30, 30, 30)


def font(size):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: the small bitmap font
        return ImageFont.load_default()


def series_from(path):
    """{label: {"feed": [(posts, p50)], "bare": [(posts, p50)]}} from one results file."""
    report = json.loads(Path(path).read_text())
    found = {}
    for step in report["steps"]:
        results = step["results"]
        if "feed" not in results:
            continue
        label = report["vendor"] if report["vendor"] != "sqlite" else f"sqlite {step['variant']}"
        line = found.setdefault(label, {})
        # The nominal size (100k, 1M): the bench's own posts add a few hundred to the count.
        posts = float(f"{step['posts']:.2g}")
        for metric, _title in METRICS:
            line.setdefault(metric, {"feed": [], "bare": []})
            line[metric]["feed"].append((posts, results["feed"][metric]))
            line[metric]["bare"].append((posts, results["bare"][metric]))
    return found


def nice_ticks(low, high):
    ticks = []
    for exponent in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10**exponent
            if low <= value <= high:
                ticks.append(value)
    return ticks


def draw(series, output):
    image = Image.new("RGB", (WIDTH, PANEL * len(METRICS)), "white")
    for index, (metric, title) in enumerate(METRICS):
        panel = Image.new("RGB", (WIDTH, PANEL), "white")
        draw_panel(
            ImageDraw.Draw(panel), {label: line[metric] for label, line in series.items()}, title
        )
        image.paste(panel, (0, index * PANEL))
    output.parent.mkdir(parents=True, exist_ok=True)
    image.save(output, optimize=True)


def draw_panel(pen, series, title):
    HEIGHT = PANEL
    xs = [x for line in series.values() for kind in line.values() for x, _y in kind]
    ys = [y for line in series.values() for kind in line.values() for _x, y in kind if y]
    x_low, x_high = min(xs) / 1.3, max(xs) * 1.3
    y_low, y_high = min(ys) / 1.5, max(ys) * 1.5
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def at(x, y):
        px = LEFT + plot_w * (math.log(x) - math.log(x_low)) / (math.log(x_high) - math.log(x_low))
        py = TOP + plot_h * (
            1 - (math.log(y) - math.log(y_low)) / (math.log(y_high) - math.log(y_low))
        )
        return px, py

    small, normal, big = font(16), font(18), font(24)
    pen.text((LEFT, 20), title, fill=INK, font=big)
    for y in nice_ticks(y_low, y_high):
        _px, py = at(x_low, y)
        pen.line([(LEFT, py), (LEFT + plot_w, py)], fill=(230, 230, 230))
        pen.text((LEFT - 10, py), f"{y:g}", fill=INK, font=small, anchor="rm")
    for x in sorted({x for x in xs}):
        px, _py = at(x, y_low)
        pen.line([(px, TOP), (px, TOP + plot_h)], fill=(230, 230, 230))
        pen.text((px, TOP + plot_h + 12), f"{x / 1000:g}k", fill=INK, font=small, anchor="mt")
    pen.rectangle([LEFT, TOP, LEFT + plot_w, TOP + plot_h], outline=INK)
    pen.text(
        (LEFT + plot_w / 2, HEIGHT - 35),
        "bench posts (log scale)",
        fill=INK,
        font=normal,
        anchor="mm",
    )
    pen.text((20, TOP - 30), "ms (log scale)", fill=INK, font=normal)

    legend_y = TOP + 10
    for label, line in sorted(series.items()):
        colour = COLOURS.get(label, INK)
        points = [at(x, y) for x, y in sorted(line["feed"])]
        if len(points) > 1:
            pen.line(points, fill=colour, width=4)
        for px, py in points:
            pen.ellipse([px - 6, py - 6, px + 6, py + 6], fill=colour)
        for x, y in sorted(line["feed"]):
            px, py = at(x, y)
            pen.text((px + 10, py - 22), f"{y:.0f}", fill=colour, font=small)
        bare = [at(x, y) for x, y in sorted(line["bare"])]
        for (x1, y1), (x2, y2) in zip(bare, bare[1:], strict=False):
            steps = 30
            for i in range(0, steps, 2):
                pen.line(
                    [
                        (x1 + (x2 - x1) * i / steps, y1 + (y2 - y1) * i / steps),
                        (x1 + (x2 - x1) * (i + 1) / steps, y1 + (y2 - y1) * (i + 1) / steps),
                    ],
                    fill=colour,
                    width=2,
                )
        for px, py in bare:
            pen.rectangle([px - 3, py - 3, px + 3, py + 3], fill=colour)
        lx = LEFT + plot_w + 25
        pen.line([(lx, legend_y + 10), (lx + 40, legend_y + 10)], fill=colour, width=4)
        pen.text((lx + 50, legend_y), f"/feed/ - {label}", fill=INK, font=normal)
        pen.text((lx + 50, legend_y + 24), "dotted: bare view, same run", fill=GREY, font=small)
        legend_y += 70


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=DEFAULT_INPUTS)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    series = {}
    for path in args.inputs:
        if path.exists():
            series.update(series_from(path))
        else:
            print(f"(no {path}: skipped)")
    if not series:
        raise SystemExit("No results to draw.")
    draw(series, args.output)
    print(f"Written {args.output}")


if __name__ == "__main__":
    main()
