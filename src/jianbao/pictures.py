"""Picture files: found safely inside the series folder, checked, and prepared for embedding.

A picture path is data from the issue file: it is refused when it is absolute, leads out of the series folder
(`..`, a symbolic link), is not a regular file, is not a picture of a format allowed here, is truncated or corrupt,
or has more pixels than `MAX_PIXELS` (a decompression bomb: a few kilobytes that decode to gigabytes). Each refusal
is a `PictureError` with a message; the schema turns it into a located error.

`prepare` gives the bytes a writer embeds: a JPEG at most `jpeg_max` times the wanted resolution, upright and in
RGB or greyscale, goes in as it is (its bytes are embedded without re-encoding); anything else is turned upright
(EXIF orientation), flattened onto white (transparency), converted to RGB (CMYK) and scaled down to the wanted
resolution at its printed size, then encoded as JPEG (photographs) or PNG (the rest).
"""
from __future__ import annotations

import io
from struct import error as struct_error
import math
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from .i18n import _

# Pillow refuses images over twice this many pixels and warns above it; the warning is an error here (`_open`).
# 60 megapixels: a 12-megapixel photograph five times over, about 240 MB decoded as RGBA.
MAX_PIXELS = 60_000_000
FORMATS = ("JPEG", "PNG", "GIF", "BMP", "TIFF", "WEBP")   # never EPS/PDF (Ghostscript) or other plug-ins
_EXIF_ORIENTATION = 0x0112
_TRANSPOSED = {5, 6, 7, 8}            # orientations that swap width and height


class PictureError(ValueError):
    """A picture that cannot be used; the message says why."""


@dataclass(frozen=True)
class Info:
    path: Path            # the resolved file, inside the series folder
    width: int            # pixels, upright (after the EXIF orientation)
    height: int
    format: str           # Pillow's name: JPEG, PNG, …
    mode: str             # Pillow's mode: RGB, L, CMYK, RGBA, P, …
    orientation: int      # EXIF orientation (1: upright)
    size: int             # bytes of the file
    mtime: int


def _pil():
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS       # explicit, whatever Pillow's default is
    return Image


def resolve(root: Path, written: str) -> Path:
    """The file `written` (a path relative to the series folder `root`) names; PictureError when it is outside the
    folder or not a regular file."""
    if not written:
        raise PictureError(_("expected the path of a picture inside the series folder"))
    if PurePosixPath(written).is_absolute() or PureWindowsPath(written).is_absolute() or PureWindowsPath(written).drive:
        raise PictureError(_("'{path}' is an absolute path; give the picture's path inside the series folder "
                             "(such as photos/0215.jpg)").format(path=written))
    base = root.resolve()
    target = (base / written).resolve()
    if target != base and base not in target.parents:
        raise PictureError(_("'{path}' leads outside the series folder {folder}; pictures must be inside it").format(
            path=written, folder=base))
    if not target.exists():
        raise PictureError(_("'{path}': no such file in the series folder").format(path=written))
    if not target.is_file():
        raise PictureError(_("'{path}' is not a file").format(path=written))
    return target


_INFO: dict[tuple, Info] = {}


def inspect(root: Path, written: str) -> Info:
    """The picture `written` names, checked all the way through (every pixel decoded, at a reduced scale for a
    JPEG); kept per process for each file, size and modification time."""
    path = resolve(root, written)
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    info = _INFO.get(key)
    if info is None:
        info = _INFO[key] = _inspect(path, written, st.st_size, st.st_mtime_ns)
    return info


def _open(path: Path, written: str):
    Image = _pil()
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path, formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError(_("'{path}' has too many pixels to be a picture (more than {limit}): refused as a "
                             "possible decompression bomb").format(path=written, limit=f"{MAX_PIXELS:,}")) from None
    except UnidentifiedImageError:
        raise PictureError(_("'{path}' is not a picture jianbao can print ({formats})").format(
            path=written, formats=", ".join(FORMATS))) from None
    except OSError as e:
        raise PictureError(_("'{path}' cannot be read: {reason}").format(path=written, reason=e)) from None
    w, h = img.size
    if w * h > MAX_PIXELS:
        img.close()
        raise PictureError(_("'{path}' is {width} × {height} pixels, more than {limit}: refused as a possible "
                             "decompression bomb").format(path=written, width=w, height=h, limit=f"{MAX_PIXELS:,}"))
    if w < 1 or h < 1:
        img.close()
        raise PictureError(_("'{path}' has no pixels").format(path=written))
    return img


def _orientation(img) -> int:
    try:
        value = img.getexif().get(_EXIF_ORIENTATION, 1)
    except (OSError, ValueError, KeyError, TypeError, SyntaxError, struct_error):
        return 1                   # a damaged EXIF block only loses the orientation
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _inspect(path: Path, written: str, size: int, mtime: int) -> Info:
    img = _open(path, written)
    try:
        fmt, mode = img.format, img.mode
        w, h = img.size
        if fmt == "JPEG":
            # every block decoded, at half the size (as fast as at an eighth: the entropy decoding is the cost),
            # which is what `prepare` needs of a large photo
            img.draft(img.mode, (max(1, w // 2), max(1, h // 2)))
        with warnings.catch_warnings():
            warnings.simplefilter("error", _pil().DecompressionBombWarning)
            img.load()
        orientation = _orientation(img)        # (after the pixels: reading a PNG's EXIF may load them)
    except PictureError:
        img.close()
        raise
    except (OSError, ValueError, SyntaxError, EOFError, _pil().DecompressionBombWarning) as e:
        img.close()
        raise PictureError(_("'{path}' is damaged or truncated ({reason})").format(path=written, reason=e)) from None
    if orientation in _TRANSPOSED:
        w, h = h, w
    info = Info(path, w, h, fmt, mode, orientation, size, mtime)
    _keep_decoded(info, img)
    return info


# Pixels decoded while checking a picture, kept for `prepare` (up to DECODED_PIXELS in all: ~90 MB).
DECODED_PIXELS = 30_000_000
_DECODED: dict[Info, object] = {}


def _keep_decoded(info: Info, img) -> None:
    pixels = img.width * img.height
    held = sum(i.width * i.height for i in _DECODED.values())
    if pixels > DECODED_PIXELS:
        img.close()
        return
    while _DECODED and held + pixels > DECODED_PIXELS:
        oldest = next(iter(_DECODED))
        held -= _DECODED[oldest].width * _DECODED[oldest].height
        _DECODED.pop(oldest).close()
    _DECODED[info] = img


@dataclass(frozen=True)
class Prepared:
    data: bytes
    format: str           # "jpeg" or "png"
    width: int            # pixels of `data`
    height: int


_PREPARED: dict[tuple, Prepared] = {}


def prepare(info: Info, wanted: tuple[int, int], jpeg_max: float, quality: int) -> Prepared:
    """The bytes to embed for `info` printed at `wanted` pixels (its printed size at the wanted resolution)."""
    key = (info, wanted, jpeg_max, quality)
    if key not in _PREPARED:
        if len(_PREPARED) > 64:
            _PREPARED.clear()
        _PREPARED[key] = _prepare(info, wanted, jpeg_max, quality)
    return _PREPARED[key]


def _prepare(info: Info, wanted: tuple[int, int], jpeg_max: float, quality: int) -> Prepared:
    if (info.format == "JPEG" and info.mode in ("RGB", "L") and info.orientation == 1
            and info.width <= jpeg_max * wanted[0] + 0.5):
        data = info.path.read_bytes()
        if _plain_jpeg(data):
            return Prepared(data, "jpeg", info.width, info.height)
    Image = _pil()
    from PIL import ImageOps

    upright = (wanted[1], wanted[0]) if info.orientation in _TRANSPOSED else wanted
    kept = _DECODED.get(info)
    fresh = kept is None or kept.width < upright[0] or kept.height < upright[1]
    img = _open(info.path, str(info.path.name)) if fresh else kept.copy()    # (the pixels `inspect` decoded)
    try:
        if fresh and info.format == "JPEG":
            # decode at the smallest DCT scale still at least the wanted size (a 12-megapixel photo at a half)
            img.draft(img.mode, upright)
        img.load()
        if info.orientation != 1:
            img = ImageOps.exif_transpose(img)
        img = _flattened(img, Image)
        target = (min(wanted[0], img.width), min(wanted[1], img.height))
        if target != img.size:
            img = img.resize(target, Image.BILINEAR)      # a small step down (the JPEG decoder took the big one)
        out = io.BytesIO()
        if info.format == "JPEG":
            img.save(out, "JPEG", quality=quality, optimize=False, progressive=False, subsampling="4:2:0")
            fmt = "jpeg"
        else:
            img.save(out, "PNG", compress_level=6)
            fmt = "png"
        return Prepared(out.getvalue(), fmt, img.width, img.height)
    except OSError as e:
        raise PictureError(_("'{path}' is damaged or truncated ({reason})").format(path=info.path, reason=e)) from None
    finally:
        img.close()


def _plain_jpeg(data: bytes) -> bool:
    """A JPEG every PDF reader shows: baseline, extended or progressive Huffman coding (SOF0–SOF2), 8 bits."""
    i = 2
    while i + 9 < len(data) and data[i] == 0xFF:
        marker = data[i + 1]
        if marker == 0xFF:                      # fill byte
            i += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return marker in (0xC0, 0xC1, 0xC2) and data[i + 4] == 8
        i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    return False


def _flattened(img, Image):
    """RGB or L: transparency flattened onto white paper, CMYK and palettes converted."""
    if img.mode in ("RGB", "L"):
        return img
    if img.mode in ("1", "I;16", "I;16B", "I;16L", "I", "F"):
        return img.convert("L") if img.mode != "1" else img.convert("L")
    if img.mode == "P" or img.mode == "PA":
        img = img.convert("RGBA")
    if img.mode in ("LA", "La"):
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "RGBa"):
        white = Image.new("RGB", img.size, (255, 255, 255))
        white.paste(img, mask=img.getchannel("A"))
        return white
    return img.convert("RGB")          # CMYK, YCbCr, LAB, …


def wanted_pixels(width_pt: float, height_pt: float, dpi: float) -> tuple[int, int]:
    """Pixels for a picture printed `width_pt` × `height_pt` at `dpi`."""
    return max(1, math.ceil(width_pt / 72 * dpi - 1e-6)), max(1, math.ceil(height_pt / 72 * dpi - 1e-6))
