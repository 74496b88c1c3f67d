"""Render the PWA's PNG icons from ``static/icons/gem.svg`` with Chromium; run after editing it.

    python -m amethyst.web.render_icons

The PNGs are committed, so the app needs no build step; this only makes them reproducible.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).parent / "static" / "icons"
BACKGROUND = "linear-gradient(135deg, #2b2140, #100c17)"
# name: (size in px, corner radius as a share of the size, gem width as a share of the size)
# Maskable and Apple icons are full-bleed squares: the platform cuts its own shape, and a
# maskable icon keeps its content inside the central 80% circle.
VARIANTS = {
    "icon-192.png": (192, 0.225, 0.64),
    "icon-512.png": (512, 0.225, 0.64),
    "icon-maskable-512.png": (512, 0.0, 0.5),
    "apple-touch-icon.png": (180, 0.0, 0.6),
}


def icon_page(svg: str, size: int, radius: float, gem: float) -> str:
    """An HTML page that is exactly the icon: the gem centred on the app's dark gradient."""
    return f"""<!doctype html><html><body style="margin:0;background:transparent">
<div style="width:{size}px;height:{size}px;border-radius:{radius * size}px;background:{BACKGROUND};
display:grid;place-items:center">
<div style="width:{gem * size}px;height:{gem * size}px;margin-top:{0.03 * size}px">{svg}</div>
</div></body></html>"""


def main() -> None:
    svg = (ICONS / "gem.svg").read_text().replace("<svg ", '<svg width="100%" height="100%" ')
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, (size, radius, gem) in VARIANTS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(icon_page(svg, size, radius, gem))
            page.screenshot(path=str(ICONS / name), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
