"""Pictures for the demo territory, drawn with Pillow: nothing is downloaded.

Each theme is a simple landscape (a sky gradient, a sun, the sea, hills or dunes) with one
subject in front: a lighthouse, a chapel, a market hall... The drawing is deterministic, so a
picture of a given theme always looks the same.
"""

import random
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900

# sky top, sky bottom, sea, land
PALETTES = {
    "dawn": ((38, 70, 130), (250, 196, 150), (52, 104, 140), (96, 132, 86)),
    "day": ((70, 140, 210), (200, 228, 246), (30, 110, 160), (120, 160, 90)),
    "dusk": ((40, 34, 90), (240, 130, 90), (44, 60, 110), (70, 80, 70)),
    "grey": ((120, 138, 160), (214, 222, 228), (70, 100, 120), (110, 130, 100)),
}

THEMES = {
    "beach": "day",
    "dunes": "dawn",
    "path": "day",
    "lighthouse": "dusk",
    "island": "dawn",
    "market": "day",
    "oysters": "grey",
    "chapel": "dusk",
    "museum": "grey",
    "harbour": "dawn",
    "festival": "dusk",
    "regatta": "day",
}


def _gradient(top, bottom, height):
    """A vertical gradient, one pixel wide, stretched afterwards (fast)."""
    column = PILImage.new("RGB", (1, height))
    for y in range(height):
        t = y / max(height - 1, 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize((WIDTH, height))


def _shade(color, amount):
    return tuple(max(0, min(255, c + amount)) for c in color)


def _hills(draw, rng, base_y, color, amplitude, count=6):
    points = [(0, HEIGHT)]
    step = WIDTH / count
    for i in range(count + 1):
        points.append((i * step, base_y - rng.uniform(0.2, 1.0) * amplitude))
    points.append((WIDTH, HEIGHT))
    draw.polygon(points, fill=color)


def _lighthouse(draw, x, ground):
    draw.polygon(
        [(x - 40, ground), (x + 40, ground), (x + 24, ground - 330), (x - 24, ground - 330)],
        fill=(245, 245, 240),
    )
    for k in range(3):
        top = ground - 60 - k * 100
        draw.polygon(
            [
                (x - 38 + k * 5, top),
                (x + 38 - k * 5, top),
                (x + 35 - k * 5, top - 40),
                (x - 35 + k * 5, top - 40),
            ],
            fill=(200, 40, 40),
        )
    draw.rectangle([x - 30, ground - 380, x + 30, ground - 330], fill=(60, 60, 70))
    draw.ellipse([x - 18, ground - 372, x + 18, ground - 338], fill=(255, 230, 120))
    draw.polygon(
        [(x - 36, ground - 380), (x + 36, ground - 380), (x, ground - 420)], fill=(200, 40, 40)
    )


def _chapel(draw, x, ground):
    stone = (170, 160, 150)
    draw.rectangle([x - 150, ground - 160, x + 110, ground], fill=stone)
    draw.polygon(
        [(x - 170, ground - 160), (x + 130, ground - 160), (x - 20, ground - 260)],
        fill=(80, 80, 95),
    )
    draw.rectangle([x + 60, ground - 330, x + 120, ground - 160], fill=_shade(stone, -15))
    draw.polygon(
        [(x + 55, ground - 330), (x + 125, ground - 330), (x + 90, ground - 440)], fill=(80, 80, 95)
    )
    draw.rectangle([x - 45, ground - 90, x - 5, ground], fill=(90, 60, 40))
    draw.ellipse([x - 100, ground - 130, x - 70, ground - 100], fill=(230, 200, 120))


def _market(draw, x, ground):
    draw.rectangle([x - 260, ground - 170, x + 260, ground], fill=(190, 140, 90))
    draw.polygon(
        [(x - 300, ground - 170), (x + 300, ground - 170), (x, ground - 300)], fill=(110, 70, 50)
    )
    for k in range(-3, 4):
        draw.rectangle([x + k * 70 - 12, ground - 170, x + k * 70 + 12, ground], fill=(120, 85, 55))
    colors = [(230, 80, 70), (250, 200, 80), (90, 170, 90), (240, 240, 230)]
    for k in range(8):
        left = x - 250 + k * 62
        draw.rectangle([left, ground - 40, left + 50, ground], fill=colors[k % len(colors)])


def _museum(draw, x, ground):
    draw.rectangle([x - 230, ground - 190, x + 230, ground], fill=(225, 220, 205))
    draw.polygon(
        [(x - 260, ground - 190), (x + 260, ground - 190), (x, ground - 280)], fill=(205, 198, 180)
    )
    for k in range(-3, 4):
        draw.rectangle(
            [x + k * 60 - 14, ground - 180, x + k * 60 + 14, ground - 10], fill=(245, 242, 232)
        )
    draw.rectangle([x - 250, ground - 12, x + 250, ground], fill=(160, 150, 140))


def _boats(draw, rng, horizon, count):
    for _ in range(count):
        x = rng.uniform(100, WIDTH - 100)
        y = horizon + rng.uniform(30, 160)
        size = rng.uniform(0.6, 1.3)
        draw.polygon(
            [
                (x - 50 * size, y),
                (x + 50 * size, y),
                (x + 35 * size, y + 18 * size),
                (x - 35 * size, y + 18 * size),
            ],
            fill=(250, 250, 250),
        )
        sail = rng.choice([(240, 240, 235), (220, 70, 60), (250, 190, 70)])
        draw.polygon([(x, y - 5), (x, y - 120 * size), (x + 55 * size, y - 5)], fill=sail)
        draw.line([(x, y), (x, y - 125 * size)], fill=(60, 60, 60), width=3)


def _oyster_tables(draw, horizon):
    for row in range(4):
        y = horizon + 70 + row * 55
        for k in range(10):
            left = 80 + k * 150 + row * 20
            draw.rectangle([left, y, left + 110, y + 14], fill=(70, 70, 60))
            draw.line([(left + 10, y + 14), (left + 10, y + 40)], fill=(50, 50, 45), width=4)
            draw.line([(left + 100, y + 14), (left + 100, y + 40)], fill=(50, 50, 45), width=4)


def landscape_jpeg(theme: str, variant: int = 0) -> bytes:
    """A 1600×900 JPEG of the theme; `variant` moves the shapes for a second picture."""
    palette = PALETTES[THEMES.get(theme, "day")]
    sky_top, sky_bottom, sea, land = palette
    rng = random.Random(f"{theme}-{variant}")  # noqa: S311 - drawing, not secrets

    horizon = int(HEIGHT * rng.uniform(0.48, 0.58))
    picture = PILImage.new("RGB", (WIDTH, HEIGHT))
    picture.paste(_gradient(sky_top, sky_bottom, horizon), (0, 0))
    picture.paste(_gradient(sea, _shade(sea, -40), HEIGHT - horizon), (0, horizon))

    # The sun's halo, blurred at an eighth of the size: blurring the full picture is slow.
    sun_x, sun_y = rng.uniform(200, WIDTH - 200), horizon - rng.uniform(120, 300)
    glow = PILImage.new("RGB", (WIDTH // 8, HEIGHT // 8), (0, 0, 0))
    ImageDraw.Draw(glow).ellipse(
        [(sun_x - 160) / 8, (sun_y - 160) / 8, (sun_x + 160) / 8, (sun_y + 160) / 8],
        fill=(120, 90, 40),
    )
    glow = glow.filter(ImageFilter.GaussianBlur(8)).resize((WIDTH, HEIGHT), PILImage.BILINEAR)
    picture = ImageChops.add(picture, glow)

    draw = ImageDraw.Draw(picture)
    draw.ellipse([sun_x - 70, sun_y - 70, sun_x + 70, sun_y + 70], fill=(255, 236, 190))
    for _ in range(4):  # clouds
        cx, cy = rng.uniform(0, WIDTH), rng.uniform(60, horizon - 150)
        for k in range(4):
            r = rng.uniform(35, 70)
            draw.ellipse(
                [cx + k * 45 - r, cy - r * 0.6, cx + k * 45 + r, cy + r * 0.6],
                fill=_shade(sky_bottom, 25),
            )
    for k in range(12):  # light on the water
        y = horizon + 20 + k * 30
        half = rng.uniform(40, 160)
        draw.line([(sun_x - half, y), (sun_x + half, y)], fill=_shade(sea, 45), width=3)

    ground = HEIGHT - 120
    if theme in {"beach", "dunes", "regatta", "festival"}:
        draw.polygon(
            [
                (0, HEIGHT),
                (0, HEIGHT - 210),
                (WIDTH * 0.45, HEIGHT - 150),
                (WIDTH, HEIGHT - 240),
                (WIDTH, HEIGHT),
            ],
            fill=(232, 210, 160),
        )
        if theme == "dunes":
            _hills(draw, rng, HEIGHT - 120, (214, 190, 130), 160, count=5)
            for _ in range(40):  # marram grass on the dunes
                x, y = rng.uniform(0, WIDTH), rng.uniform(HEIGHT - 200, HEIGHT - 20)
                for k in range(5):
                    draw.line(
                        [(x, y), (x + (k - 2) * 9, y - rng.uniform(35, 70))],
                        fill=(110, 140, 70),
                        width=3,
                    )
    elif theme == "island":
        draw.ellipse([WIDTH * 0.35, horizon - 90, WIDTH * 0.85, horizon + 60], fill=land)
        draw.rectangle([0, horizon + 30, WIDTH, horizon + 60], fill=sea)
    else:
        _hills(draw, rng, ground, land, 180)
        _hills(draw, rng, ground + 80, _shade(land, -25), 80, count=9)

    if theme in {"regatta", "harbour", "island", "beach"}:
        _boats(draw, rng, horizon, 6 if theme == "regatta" else 3)
    if theme == "oysters":
        _oyster_tables(draw, horizon)
    subject_x = int(rng.uniform(WIDTH * 0.3, WIDTH * 0.7))
    if theme == "lighthouse":
        _lighthouse(draw, subject_x, ground + 20)
    elif theme == "chapel":
        _chapel(draw, subject_x, ground + 40)
    elif theme == "market":
        _market(draw, subject_x, ground + 60)
    elif theme == "museum":
        _museum(draw, subject_x, ground + 60)
    elif theme == "path":
        draw.line(
            [(WIDTH * 0.1, HEIGHT), (WIDTH * 0.45, ground), (WIDTH * 0.7, ground - 80)],
            fill=(200, 180, 140),
            width=28,
            joint="curve",
        )
    elif theme == "festival":
        for k in range(30):  # lanterns
            x = 40 + k * 53
            y = 120 + 40 * ((k % 5) - 2) ** 2 / 4
            draw.ellipse(
                [x - 14, y - 14, x + 14, y + 14],
                fill=rng.choice([(255, 210, 90), (250, 120, 90), (150, 220, 250)]),
            )

    out = BytesIO()
    picture.save(out, "JPEG", quality=82)
    return out.getvalue()


def get_or_create_image(*, title: str, theme: str, variant: int = 0, collection=None):
    """The Wagtail image called `title`, drawn once: a second call returns the same image."""
    from wagtail.images import get_image_model

    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    filename = f"morvellec-{theme}-{variant}.jpg"
    image = Image(title=title)
    if collection is not None:
        image.collection = collection
    image.file = ImageFile(BytesIO(landscape_jpeg(theme, variant)), name=filename)
    image.save()
    return image
