"""Colour maths for the brand colour: WCAG 2.2 contrast, and the nearest shade that has enough of it.

No installed library computes WCAG contrast, and the formula is ten lines, so
it is written here (WCAG 2.2, "relative luminance" and "contrast ratio").
Shades are found in OKLab (Björn Ottosson's perceptual space), changing only
lightness, so the suggestion keeps the colour's hue and looks like the brand.
"""

from __future__ import annotations

import re
from typing import Callable

HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

RGB = tuple[float, float, float]
"""Red, green and blue, 0 to 1, in sRGB."""


def parse_hex(text: str) -> RGB | None:
    """``#rgb`` or ``#rrggbb`` as an RGB, or None if it is not one."""
    if not HEX.match(text):
        return None
    digits = text[1:] if len(text) == 7 else "".join(c * 2 for c in text[1:])
    return tuple(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def to_hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(1, max(0, c)) * 255):02x}" for c in rgb)


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _to_oklab(rgb: RGB) -> RGB:
    r, g, b = (_linear(c) for c in rgb)
    l = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    m = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    s = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    return (0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
            1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
            0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s)


def _from_oklab(lab: RGB) -> RGB:
    L, a, b = lab
    l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s = (L - 0.0894841775 * a - 1.2914855480 * b) ** 3
    linear = (4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
              -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
              -0.0041960863 * l - 0.7034186147 * m + 1.7076146010 * s)
    gamma = lambda c: 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055  # noqa: E731
    return tuple(min(1.0, max(0.0, gamma(min(1.0, max(0.0, c))))) for c in linear)  # type: ignore[return-value]


def nearest_passing(rgb: RGB, passes: Callable[[RGB], bool]) -> RGB | None:
    """The shade of ``rgb`` nearest in OKLab lightness (same hue and chroma, clipped to sRGB) that ``passes``;
    None if no lightness does. Rounded to what a hex colour can say, so the suggestion passes as written."""
    L, a, b = _to_oklab(rgb)
    for step in range(1, 101):
        for candidate in (L - step / 100, L + step / 100):
            if 0 <= candidate <= 1:
                shade = parse_hex(to_hex(_from_oklab((candidate, a, b))))
                if shade is not None and passes(shade):
                    return shade
    return None
