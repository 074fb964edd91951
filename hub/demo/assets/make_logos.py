"""Draw the demo sites' logos into hub/demo/assets/logos/<slug>.png (run once; files are committed).

    .venv/bin/python hub/demo/assets/make_logos.py

Each logo is a mesh ("maillage") of nine nodes on the site's primary colour, in its text colour, one
node in its accent colour; which nodes are linked depends on the slug, so every site gets its own
mark. Output is deterministic and small (a palette PNG of a few kilobytes), and needs no font.
"""

import hashlib
import os
import sys
from pathlib import Path

SIZE = 128  # pixels; the header shows it at 48 px or less, the favicon at 32
SCALE = 4  # drawn larger, then reduced, for smooth edges
OUTPUT = Path(__file__).resolve().parent / "logos"


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _edges(slug):
    """A connected, slug-dependent set of links between the nodes of a 3 × 3 grid."""
    nodes = [(x, y) for y in range(3) for x in range(3)]
    candidates = []
    for x, y in nodes:
        for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
            if 0 <= x + dx < 3 and 0 <= y + dy < 3:
                candidates.append(((x, y), (x + dx, y + dy)))
    digest = hashlib.sha256(slug.encode()).digest()
    # A ring around the centre keeps the mark connected; the hash adds some spokes and diagonals.
    ring = [(0, 0), (1, 0), (2, 0), (2, 1), (2, 2), (1, 2), (0, 2), (0, 1)]
    edges = {tuple(sorted((ring[i], ring[(i + 1) % 8]))) for i in range(8)}
    for index, edge in enumerate(candidates):
        one_in = 3 if (1, 1) in edge else 4  # spokes to the centre a little more often
        if digest[index] % one_in == 0:
            edges.add(tuple(sorted(edge)))
    if not any((1, 1) in edge for edge in edges):
        edges.add(((1, 0), (1, 1)))
    return sorted(edges), digest[-1] % 9


def draw_logo(slug, primary, foreground, accent):
    from PIL import Image, ImageDraw

    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 6, fill=_rgb(primary))
    margin, step = big * 0.22, big * 0.28

    def centre(node):
        return (margin + node[0] * step, margin + node[1] * step)

    edges, accent_index = _edges(slug)
    for start, end in edges:
        draw.line((*centre(start), *centre(end)), fill=_rgb(foreground), width=big // 28)
    radius = big // 14
    for index, node in enumerate((x, y) for y in range(3) for x in range(3)):
        x, y = centre(node)
        colour = _rgb(accent) if index == accent_index else _rgb(foreground)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    small = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    return small.quantize(colors=32, method=Image.Quantize.FASTOCTREE)


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.dev")
    import django

    django.setup()
    from hub.demo.network import DEMO_SITES

    OUTPUT.mkdir(parents=True, exist_ok=True)
    for demo in DEMO_SITES:
        path = OUTPUT / f"{demo.slug}.png"
        logo = draw_logo(
            demo.slug, demo.primary_colour, demo.text_on_primary_colour, demo.accent_colour
        )
        logo.save(path, optimize=True)
        print(
            f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: "
            f"{path.stat().st_size} bytes"
        )


if __name__ == "__main__":
    main()
