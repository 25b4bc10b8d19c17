"""Builds world-map.svg, the land of the public directory's map
(templates/chapters/directory.html), from Natural Earth's admin-0 countries
at 1:50m (public domain; https://www.naturalearthdata.com/), as packaged in
TopoJSON by the npm package world-atlas (ISC; see ATTRIBUTION.md and LICENSE
beside this script). Python only, standard library only: no Node.js, no
GIS library, at build time or at run time.

What it does:

- decodes the TopoJSON's arcs (quantized, delta-encoded longitudes and
  latitudes) and projects them with the Natural Earth projection (the
  polynomial of d3-geo's geoNaturalEarth1), scaled to WIDTH units wide;
  Antarctica is left out; a shape across the antimeridian (Chukotka, Fiji)
  is cut in two, one on each edge of the map;
- simplifies each arc once (Douglas-Peucker, TOLERANCE units, or DETAIL of
  the size of the smallest shape it borders, so that Palestine or Lebanon
  keep their form), before the countries are put together from them, so
  that two neighbours keep the same border and no gap opens between them;
  an arc's ends are kept, and a closed arc (an island) keeps at least a
  triangle;
- drops an island (or exclave) smaller than MIN_AREA square units, unless it
  is a country's largest shape or at least PART of it: a small state
  (Bahrain, Malta, Singapore, the island states) is kept as a dot, however
  small, and a small part of a small country (Gaza beside the West Bank)
  too;
- every country is one `<path>` whose id is the lowercase ISO 3166-1 alpha-2
  code (`<path id="ps">`; a country of several shapes is one path of several
  closed subpaths), the code found from the ISO numeric code of the source
  (`id="275"`) with django-countries' table; all of them sit in one
  `<g id="world">`, which the page draws as the land. The few shapes with no
  ISO code in the source (Kosovo, Northern Cyprus, Somaliland, the Siachen
  Glacier, Australia's Indian Ocean territories) are land without an id;
- coordinates are rounded to a tenth of a unit and each path is written with
  the shortest commands; the file has no title, classes, width or height: it
  is only ever drawn by reference.

The viewBox is `0 0 WIDTH height`, the height following from the projection;
the page's `<svg>` (templates/chapters/directory.html) must use the same.

Run from the repository root, with the package fetched into a temporary
folder (the version in static/vendor/README.md):

    TMP=$(mktemp -d)
    (cd "$TMP" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz)
    .venv/bin/python static/vendor/world-map/build_map.py \\
        "$TMP/package/countries-50m.json"
    # LICENSE holds the package's LICENSE as its second part: compare.
    sed -n '/^Copyright/,/^THIS SOFTWARE\\./p' static/vendor/world-map/LICENSE \\
        | diff - "$TMP/package/LICENSE"
    rm -rf "$TMP"
"""

import heapq
import itertools
import json
import math
import sys
from pathlib import Path

from django_countries.data import ALT_CODES

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "world-map.svg"
# The map's width in units; its height follows from the projection.
WIDTH = 800
# Coordinates are kept as whole tenths of a unit.
SCALE = 10
# Douglas-Peucker tolerance and the smallest island kept, in units.
TOLERANCE = 0.6
MIN_AREA = 2
# At most this share of the size of the smallest shape an arc borders.
DETAIL = 0.08
# A part of a country at least this share of its largest part is always kept,
# however small (Gaza beside the West Bank).
PART = 0.04
ANTARCTICA = 10  # ISO 3166-1 numeric
# ISO numeric code -> alpha-2, from django-countries (ISO 3166-1).
ALPHA2 = {numeric: alpha2 for alpha2, (_, numeric) in ALT_CODES.items()}

Point = tuple[int, int]
XY = tuple[float, float]


def natural_earth(longitude: float, latitude: float) -> XY:
    """The Natural Earth projection (Šavrič, Jenny, Patterson, Jenny 2011),
    as d3-geo's geoNaturalEarth1Raw, in radians of the unit sphere; y up."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707
        - 0.131979 * phi2
        + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226
        + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


def arcs_in_degrees(topology: dict) -> list[list[XY]]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            point = (x * scale_x + shift_x, y * scale_y + shift_y)
            if points and abs(point[0] - points[-1][0]) > 180 > max(
                abs(point[0]), abs(points[-1][0])
            ):
                # Across the antimeridian (Chukotka, Fiji): on to the edge of
                # the map, and on from the other edge, at the same latitude.
                (lon0, lat0), (lon1, lat1) = points[-1], point
                side = math.copysign(180, lon0)
                t = (side - lon0) / (lon1 + 2 * side - lon0)
                lat = lat0 + t * (lat1 - lat0)
                points += [(side, lat), (-side, lat)]
            points.append(point)
        arcs.append(points)
    return arcs


def jumps(points: list[XY], gap: float) -> list[int]:
    """Where a line would cross the whole map: the i of each edge-to-edge
    jump from points[i] to points[i + 1]."""
    return [
        i
        for i, (a, b) in enumerate(itertools.pairwise(points))
        if abs(b[0] - a[0]) > gap
    ]


def split_at_antimeridian(ring: list[XY], gap: float) -> list[list[XY]]:
    """A ring that crosses the antimeridian as one ring on each edge of the
    map, each closed along its edge."""
    if ring and ring[0] == ring[-1]:
        ring = ring[:-1]
    cyclic = ring + ring[:1]
    found = jumps(cyclic, gap)
    if not found:
        return [ring]
    start = found[0] + 1
    ring = ring[start:] + ring[:start]
    pieces = [[ring[0]]]
    for a, b in itertools.pairwise(ring):
        if abs(b[0] - a[0]) > gap:
            pieces.append([b])
        else:
            pieces[-1].append(b)
    west = [p for piece in pieces if piece[0][0] < gap for p in piece]
    east = [p for piece in pieces if piece[0][0] >= gap for p in piece]
    return [side for side in (west, east) if side]


def distance_to_segment(p: XY, a: XY, b: XY) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if not length2:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: list[XY], tolerance: float) -> list[XY]:
    """The points kept, the two ends always among them."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, 0
        for i in range(first + 1, last):
            d = distance_to_segment(points[i], points[first], points[last])
            if d > farthest:
                farthest, index = d, i
        if farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify(points: list[XY], tolerance: float) -> list[XY]:
    """An arc simplified; a closed arc (first point = last) is cut in two at
    its point farthest from the start and keeps at least a triangle; an arc
    across the antimeridian keeps the points on each edge."""
    cuts = jumps(points, WIDTH / 2)
    if cuts:
        ends = [0, *(i for cut in cuts for i in (cut, cut + 1)), len(points) - 1]
        return [
            point
            for first, last in itertools.batched(ends, 2)
            for point in douglas_peucker(points[first : last + 1], tolerance)
        ]
    if len(points) < 4 or points[0] != points[-1]:
        return douglas_peucker(points, tolerance)
    start = points[0]
    far = max(range(len(points)), key=lambda i: math.dist(points[i], start))
    kept = douglas_peucker(points[: far + 1], tolerance)[:-1] + douglas_peucker(
        points[far:], tolerance
    )
    if len(kept) < 4:  # a triangle and its closing point: the arc's corners
        corners = heapq.nlargest(
            2,
            range(1, len(points) - 1),
            key=lambda i: (
                distance_to_segment(points[i], start, points[far])
                + math.dist(points[i], start)
            ),
        )
        kept = [points[i] for i in sorted({0, far, *corners, len(points) - 1})]
    return kept


def ring_points(ring: list[int], arcs: list[list[XY]]) -> list[XY]:
    points: list[XY] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc[1:] if points else arc
    return points


def area(points: list[Point]) -> float:
    """The shape's area, in square units (points in tenths)."""
    twice = sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in itertools.pairwise(points + points[:1])
    )
    return abs(twice) / 2 / SCALE / SCALE


def rounded(points: list[XY]) -> list[Point]:
    kept: list[Point] = []
    for x, y in points:
        point = (round(x * SCALE), round(y * SCALE))
        if not kept or point != kept[-1]:
            kept.append(point)
    while len(kept) > 1 and kept[-1] == kept[0]:
        kept.pop()  # Z closes the shape
    return kept


def number(tenths: int) -> str:
    """12.3 as "12.3", 0.5 as ".5", -0.5 as "-.5", 4.0 as "4"."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), SCALE)
    text = f"{whole}.{tenth}" if tenth else f"{whole}"
    return sign + (text[1:] if text.startswith("0.") else text)


def serialise(tokens: list[str]) -> str:
    """Commands and numbers, with a separator only where one is needed:
    between two numbers, unless the second starts with a sign ("1-2") or is
    a second fraction (".5" after "1.5")."""
    out = ""
    last = ""
    for token in tokens:
        needs_space = (
            last
            and not last.isalpha()
            and not token.isalpha()
            and not (token[0] == "-" or (token[0] == "." and "." in last))
        )
        out += (" " if needs_space else "") + token
        last = token
    return out


def shortest(*options: tuple[str, list[str]]) -> tuple[str, list[str]]:
    return min(options, key=lambda option: len(serialise(option[1])))


def segment(previous: Point, point: Point) -> tuple[str, list[str]]:
    """The shortest command for a line from `previous` to `point`."""
    dx, dy = point[0] - previous[0], point[1] - previous[1]
    if dy == 0:
        return shortest(("h", [number(dx)]), ("H", [number(point[0])]))
    if dx == 0:
        return shortest(("v", [number(dy)]), ("V", [number(point[1])]))
    return shortest(
        ("l", [number(dx), number(dy)]),
        ("L", [number(point[0]), number(point[1])]),
    )


def path_data(shapes: list[list[Point]]) -> str:
    tokens: list[str] = []
    current: Point | None = None
    for shape in shapes:
        first = shape[0]
        absolute = ("M", [number(first[0]), number(first[1])])
        if current is None:
            command, numbers = absolute
        else:
            move = [number(first[0] - current[0]), number(first[1] - current[1])]
            command, numbers = shortest(("m", move), absolute)
        tokens += [command, *numbers]
        # After a move, further pairs are lines of its kind: "m1 2 3 4".
        last = "l" if command == "m" else "L"
        for previous, point in itertools.pairwise(shape):
            command, numbers = segment(previous, point)
            tokens += numbers if command == last else [command, *numbers]
            last = command
        tokens.append("z")
        current = first  # Z goes back to the start of the shape
    return serialise(tokens)


def shapes(
    polygons: list, arcs: dict[int, list[XY]], simplified: dict[int, list[XY]]
) -> list[list[Point]]:
    """A country's closed shapes, from its polygons' rings of arcs: each
    polygon's outer ring first, then its holes."""
    found = []  # (area of its outer ring, rings)
    for polygon in polygons:
        rings = [
            rounded(part)
            for ring in polygon
            for part in split_at_antimeridian(ring_points(ring, simplified), WIDTH / 2)
        ]
        rings = [r for r in rings if len(r) >= 3]
        if rings:
            found.append((area(rings[0]), rings))
    if not found:
        # A state that simplification leaves without a shape (Andorra,
        # Liechtenstein): its shapes as the source draws them, or, smaller than
        # a tenth of a unit (Monaco, the Vatican), a dot where it is.
        for polygon in polygons:
            points = ring_points(polygon[0], arcs)
            ring = rounded(points)
            if len(ring) < 3:
                x = round(sum(p[0] for p in points) / len(points) * SCALE)
                y = round(sum(p[1] for p in points) / len(points) * SCALE)
                ring = [(x - 1, y), (x, y - 1), (x + 1, y), (x, y + 1)]
            found.append((area(ring), [ring]))
    found.sort(key=lambda shape: -shape[0])
    largest = found[0][0]
    # An island smaller than MIN_AREA is dropped, unless a large enough part
    # of the country; a hole smaller than MIN_AREA is filled.
    return [
        ring
        for size, rings in found
        if size >= min(MIN_AREA, largest * PART) or size == largest
        for j, ring in enumerate(rings)
        if j == 0 or area(ring) >= MIN_AREA
    ]


def main(source: Path) -> None:
    # The package's file, fetched by a developer at the version pinned.
    topology = json.loads(source.read_text(encoding="utf-8"))
    countries = [
        g
        for g in topology["objects"]["countries"]["geometries"]
        if g.get("type") and int(g.get("id") or 0) != ANTARCTICA
    ]
    used = {
        abs(i) if i >= 0 else ~i
        for g in countries
        for polygon in (g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]])
        for ring in polygon
        for i in ring
    }
    # Projected, y down, then fitted to WIDTH units with a unit of margin.
    projected = [
        [(x, -y) for x, y in (natural_earth(*p) for p in arc)]
        for arc in arcs_in_degrees(topology)
    ]
    xs = [x for i in used for x, _ in projected[i]]
    ys = [y for i in used for _, y in projected[i]]
    fit = (WIDTH - 2) / (max(xs) - min(xs))
    left, top = min(xs) - 1 / fit, min(ys) - 1 / fit
    height = math.ceil((max(ys) - min(ys)) * fit + 2)
    arcs = {
        i: [((x - left) * fit, (y - top) * fit) for x, y in projected[i]] for i in used
    }
    # A small shape keeps its form: an arc's tolerance is at most DETAIL of
    # the size of the smallest shape it borders (Palestine, Lebanon, Gaza).
    tolerance = dict.fromkeys(arcs, TOLERANCE)
    for g in countries:
        for polygon in g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]:
            indices = {i if i >= 0 else ~i for i in polygon[0]}
            points = [p for i in indices for p in arcs[i]]
            size = math.dist(
                (min(x for x, _ in points), min(y for _, y in points)),
                (max(x for x, _ in points), max(y for _, y in points)),
            )
            for i in indices:
                tolerance[i] = min(tolerance[i], size * DETAIL)
    simplified = {i: simplify(arc, tolerance[i]) for i, arc in arcs.items()}

    # Country code -> its polygons (Australia's include the Ashmore and
    # Cartier Islands, which the source has apart under the same code).
    polygons: dict[str, list] = {}
    for n, g in enumerate(countries):
        code = ALPHA2.get(int(g["id"])) if g.get("id") else None
        key = code.lower() if code else f"~{n}"
        polygons.setdefault(key, []).extend(
            g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        )
    paths = [
        (code, path_data(shapes(parts, arcs, simplified)))
        for code, parts in polygons.items()
    ]
    paths.sort()
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}">',
        "<!-- Natural Earth admin-0 countries 1:50m (public domain), from the "
        "npm package world-atlas (ISC, Mike Bostock); projected and simplified "
        "by build_map.py (see LICENSE and ATTRIBUTION.md). Do not edit by hand. -->",
        '<g id="world">',
        *(
            f'<path d="{data}"/>'
            if code[0] == "~"
            else f'<path id="{code}" d="{data}"/>'
            for code, data in paths
        ),
        "</g>",
        "</svg>",
    ]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    named = sum(code[0] != "~" for code, _ in paths)
    print(
        f"{OUTPUT.name}: viewBox 0 0 {WIDTH} {height}, {named} countries "
        f"and {len(paths) - named} shapes without a code, {OUTPUT.stat().st_size} bytes"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
