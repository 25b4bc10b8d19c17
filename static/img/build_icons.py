"""Writes the portal's mark and its icons from one geometry, so the SVGs and
the PNG/ICO fallbacks cannot drift apart.

The mark: three community circles joined by a ring, one of them in the
warm accent. It holds no text and is symmetric about its vertical axis, so
it reads the same in right-to-left and left-to-right pages.

Run from the repository root after changing the geometry or the colours
(they are the palette's, see static/css/portal.css and docs/design.md):

    .venv/bin/python static/img/build_icons.py

Needs only Pillow (a dependency of the portal): the PNG and ICO files are
drawn with Pillow at 8x and scaled down, not rasterised from the SVG.
"""

import math
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw

HERE = Path(__file__).resolve().parent

GREEN = "#0b6e4f"  # --portal-green-700, the portal's primary colour
GREEN_LIGHT = "#8cc7ae"  # --portal-green-300
MINT = "#cfe9dd"  # --portal-green-100
GOLD = "#e0a526"  # --portal-gold-500, the warm accent
WHITE = "#ffffff"

SIZE = 64  # the SVGs' user units


def geometry(scale: float = 1.0, centre: tuple[float, float] = (32, 32)):
    """Centre and radius of the ring and of the three circles on it."""
    ring = 19 * scale
    node = 9 * scale
    # Centre the whole mark's box vertically: the top circle reaches higher
    # above the ring's centre than the two lower ones reach below it.
    cx = centre[0]
    cy = centre[1] + (ring + node - (ring / 2 + node)) / 2
    nodes = []
    for degrees in (-90, 150, 30):
        angle = math.radians(degrees)
        nodes.append((cx + ring * math.cos(angle), cy + ring * math.sin(angle)))
    return (cx, cy), ring, node, nodes


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def mark_svg(*, ring_colour, ring_width, colours, scale=1.0, background=None):
    (cx, cy), ring, node, nodes = geometry(scale)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" '
        'width="64" height="64">'
    ]
    if background:
        parts.append(f'<rect width="64" height="64" rx="14" fill="{background}"/>')
    parts.append(
        f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(ring)}" fill="none" '
        f'stroke="{ring_colour}" stroke-width="{_n(ring_width)}"/>'
    )
    for (x, y), colour in zip(nodes, colours, strict=True):
        parts.append(
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(node)}" fill="{colour}"/>'
        )
    parts.append("</svg>\n")
    return "".join(parts)


def mark_png(
    pixels: int,
    *,
    ring_colour,
    ring_width,
    colours,
    scale=1.0,
    background=None,
    rounded=True,
):
    factor = 8
    big = pixels * factor
    unit = big / SIZE
    # Transparent pixels take the tile's colour, so that scaling down does
    # not darken the anti-aliased corners (Pillow does not premultiply).
    clear = (*ImageColor.getrgb(background), 0) if background else (0, 0, 0, 0)
    image = Image.new("RGBA", (big, big), clear)
    draw = ImageDraw.Draw(image)
    if background:
        radius = 14 * unit if rounded else 0
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius, fill=background)
    (cx, cy), ring, node, nodes = geometry(scale)
    half = ring_width / 2
    draw.ellipse(
        [
            (cx - ring - half) * unit,
            (cy - ring - half) * unit,
            (cx + ring + half) * unit,
            (cy + ring + half) * unit,
        ],
        outline=ring_colour,
        width=round(ring_width * unit),
    )
    for (x, y), colour in zip(nodes, colours, strict=True):
        draw.ellipse(
            [
                (x - node) * unit,
                (y - node) * unit,
                (x + node) * unit,
                (y + node) * unit,
            ],
            fill=colour,
        )
    return image.resize((pixels, pixels), Image.Resampling.LANCZOS)


# The header's mark: on the page's own background.
LOGO = {"ring_colour": GREEN_LIGHT, "ring_width": 4, "colours": (GOLD, GREEN, GREEN)}
# Browser tabs and home screens: on a green tile, heavier for 16 px.
TILE = {
    "ring_colour": MINT,
    "ring_width": 5,
    "colours": (GOLD, WHITE, WHITE),
    "background": GREEN,
}


def main() -> None:
    (HERE / "logo.svg").write_text(mark_svg(**LOGO), encoding="utf-8")
    (HERE / "favicon.svg").write_text(mark_svg(**TILE, scale=1.12), encoding="utf-8")
    sizes = [16, 32]
    icons = [mark_png(size, **TILE, scale=1.12) for size in sizes]
    icons[-1].save(
        HERE / "favicon.ico",
        format="ICO",
        sizes=[(size, size) for size in sizes],
        append_images=icons[:-1],
    )
    # iOS rounds the corners itself and shows transparency as black.
    # A 32-colour palette keeps it to a few KB (every page links it).
    touch = mark_png(180, **TILE, scale=0.8, rounded=False).convert("RGB")
    touch = touch.quantize(32, method=Image.Quantize.MEDIANCUT)
    touch.save(HERE / "apple-touch-icon.png", optimize=True)
    # The installed meeting-day app (its manifest): Android masks the
    # corners itself ("maskable"), so the mark keeps to the safe circle.
    app_icons = []
    for size in (192, 512):
        icon = mark_png(size, **TILE, scale=0.7, rounded=False).convert("RGB")
        icon = icon.quantize(32, method=Image.Quantize.MEDIANCUT)
        icon.save(HERE / f"app-icon-{size}.png", optimize=True)
        app_icons.append(f"app-icon-{size}.png")
    for name in (
        "logo.svg",
        "favicon.svg",
        "favicon.ico",
        "apple-touch-icon.png",
        *app_icons,
    ):
        print(f"{name}: {(HERE / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
