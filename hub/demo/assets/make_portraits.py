"""Draw the demo authors' portraits into hub/demo/assets/portraits/<name>.png (run once; files are
committed).

    .venv/bin/python hub/demo/assets/make_portraits.py

No faces, real or generated: each portrait is the author's initials over an abstract bust and a
few circles, in colours derived from the name, so that every author is recognisable at a glance.
Output is deterministic for a given Pillow version and small (a palette PNG of a few kilobytes); the
font is the one Pillow ships.
"""

import hashlib
import os
import sys
import unicodedata
from pathlib import Path

SIZE = 256  # pixels; the "About the author" box shows it at 96 px or less
SCALE = 2  # drawn larger, then reduced, for smooth edges
OUTPUT = Path(__file__).resolve().parent / "portraits"

# Dark enough for white initials (contrast above 4.5:1), light enough to tell apart.
BACKGROUNDS = ["#1d4f91", "#6b21a8", "#0f766e", "#9a3412", "#166534", "#334155", "#9d174d"]


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _mix(colour, other, amount):
    return tuple(round(a + (b - a) * amount) for a, b in zip(colour, other, strict=True))


def initials(name):
    """First name and surname, without accents: the font Pillow ships has no "É"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = plain.replace("-", " ").split()
    return (words[0][0] + words[1][0]).upper() if len(words) > 1 else plain[:2].upper()


def draw_portrait(name, index):
    from PIL import Image, ImageDraw, ImageFont

    digest = hashlib.sha256(name.encode()).digest()
    background = _rgb(BACKGROUNDS[index % len(BACKGROUNDS)])
    light = _mix(background, (255, 255, 255), 0.08)
    lighter = _mix(background, (255, 255, 255), 0.25)
    big = SIZE * SCALE
    image = Image.new("RGB", (big, big), background)
    draw = ImageDraw.Draw(image)

    # A few large circles, placed by the name's hash, for texture.
    for i in range(3):
        x, y = digest[i * 2] / 255 * big, digest[i * 2 + 1] / 255 * big
        radius = big * (0.18 + digest[10 + i] / 255 * 0.22)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=light)

    # An abstract bust: a head and shoulders, no face.
    head = big * 0.16
    cx, cy = big / 2, big * 0.42
    draw.ellipse((cx - head, cy - head, cx + head, cy + head), fill=lighter)
    draw.ellipse((big * 0.16, big * 0.66, big * 0.84, big * 1.3), fill=lighter)

    font = ImageFont.load_default(size=big * 0.2)
    draw.text(
        (cx, big * 0.86),
        initials(name),
        font=font,
        fill=(255, 255, 255),
        anchor="mm",
        stroke_width=SCALE * 2,
        stroke_fill=background,
    )
    small = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    return small.quantize(colors=24, method=Image.Quantize.MEDIANCUT)


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")
    import django

    django.setup()
    from hub.demo.blog import AUTHORS

    OUTPUT.mkdir(parents=True, exist_ok=True)
    for index, author in enumerate(AUTHORS):
        path = OUTPUT / author.photo_name
        draw_portrait(author.name, index).save(path, optimize=True)
        shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        print(f"{shown}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
