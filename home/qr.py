"""The two-step sign-in QR code, drawn on the server as inline SVG (the `qrcode` package): the
setup key never leaves for a third-party image service, and the page needs no script or
image request (the CSP allows neither)."""

import io

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, label: str) -> SafeString:
    """`data` as an inline `<svg>` QR code, scaled by CSS, named for screen readers."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # no XML declaration inside HTML
    # The label is ours (a translated sentence), escaped for an attribute all the same.
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="qr" ', 1)
    return mark_safe(svg)  # noqa: S308 (generated markup, no user input but the escaped label)
