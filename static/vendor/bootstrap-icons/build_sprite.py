"""Builds sprite.svg: the Bootstrap Icons the portal's templates use, and no
other, as <symbol id="name"> elements for {% icon "name" %}
(chapters/templatetags/icons.py).

The icons used are found by reading every template for {% icon "name" %}
(a name written as a literal string: that is the rule, so that this script
and tests/design/ can find them). Run from the repository root, with the
package fetched once by npm into a temporary folder (Node is not needed at
run time):

    TMP=$(mktemp -d) && (cd "$TMP" && npm pack --silent bootstrap-icons@1.13.2 \\
        && tar -xzf bootstrap-icons-1.13.2.tgz)
    .venv/bin/python static/vendor/bootstrap-icons/build_sprite.py "$TMP/package"
    cp "$TMP/package/LICENSE" static/vendor/bootstrap-icons/LICENSE
    rm -rf "$TMP"

Run it again after adding or removing an icon in a template
(tests/design/test_icons.py fails until the sprite matches the templates).
"""

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
TEMPLATES = ROOT / "templates"
SPRITE = HERE / "sprite.svg"

ICON_TAG = re.compile(r"""\{%\s*icon\s+["']([a-z0-9-]+)["']""")
SVG_BODY = re.compile(r"<svg[^>]*>(.*)</svg>", re.DOTALL)


def icons_used(templates: Path = TEMPLATES) -> set[str]:
    names = set()
    for path in templates.rglob("*.html"):
        names.update(ICON_TAG.findall(path.read_text(encoding="utf-8")))
    return names


def symbol(package: Path, name: str) -> str:
    source = (package / "icons" / f"{name}.svg").read_text(encoding="utf-8")
    body = SVG_BODY.search(source).group(1)
    body = re.sub(r">\s+<", "><", body.strip())
    return f'<symbol id="{name}" viewBox="0 0 16 16">{body}</symbol>'


def main(package: Path) -> None:
    version = json.loads((package / "package.json").read_text())["version"]
    names = sorted(icons_used())
    missing = [n for n in names if not (package / "icons" / f"{n}.svg").exists()]
    if missing:
        sys.exit(f"Not in Bootstrap Icons {version}: {', '.join(missing)}")
    lines = [
        '<svg xmlns="http://www.w3.org/2000/svg">',
        f"<!-- Bootstrap Icons {version} (MIT, see LICENSE): the icons the "
        "portal uses, built by build_sprite.py. Do not edit by hand. -->",
        *(symbol(package, name) for name in names),
        "</svg>",
    ]
    SPRITE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"{SPRITE.relative_to(ROOT)}: {len(names)} icons, {SPRITE.stat().st_size} bytes"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
