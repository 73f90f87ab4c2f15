"""Pictures put into the PDF the fast way (see `jianbao.speed`).

reportlab's `Canvas.drawImage` names every picture it is given as an `ImageReader` by a hash of its decoded pixels:
it decodes a JPEG in full (and hashes ~40 MB of pixels for a 12-megapixel photo) only to pass the file's own bytes
through afterwards. Here a JPEG's image XObject is made from its header and bytes alone (`DCTDecode`, as
reportlab's `loadImageFromJPEG` makes it) and every picture is named by a hash of the file's bytes; a PNG is
decoded once, by reportlab, as `drawImage` would. The drawing operators are `drawImage`'s own.

Private interfaces: `Canvas._doc` (`getXObjectName`, `idToObject`, `Reference`, `addForm`), `Canvas._code`,
`Canvas._formsinuse`, `Canvas._setXObjects`, `PDFImageXObject`'s fields. With the speed-ups off, `draw_image` is
`Canvas.drawImage`.
"""
from __future__ import annotations

import hashlib
import io

from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfutils
from reportlab.pdfgen.canvas import Canvas

from . import ENABLED

_SPACES = {1: "DeviceGray", 3: "DeviceRGB", 4: "DeviceCMYK"}


def draw_image(c: Canvas, data: bytes, fmt: str, x: float, y: float, width: float, height: float) -> None:
    """The picture file `data` (JPEG or PNG) drawn in the box (x, y: its lower-left corner, in PDF units), stored
    without ASCII85 (a quarter larger) and, for a JPEG, as the file's own bytes."""
    a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        if not ENABLED:
            c.drawImage(ImageReader(io.BytesIO(data)), x, y, width, height)
            return
        name = "Img" + hashlib.md5(data).hexdigest()
        doc = c._doc
        reg = doc.getXObjectName(name)
        if not doc.idToObject.get(reg):
            obj = pdfdoc.PDFImageXObject(name)
            if fmt == "jpeg":
                w, h, components = pdfutils.readJPEGInfo(io.BytesIO(data))[:3]
                obj.width, obj.height, obj.bitsPerComponent = w, h, 8
                obj.colorSpace = _SPACES[components]
                obj.streamContent = data
                obj._filters = ("DCTDecode",)
                obj.mask = None
            else:
                obj.loadImageFromSRC(ImageReader(io.BytesIO(data)))
            obj.name = name
            c._setXObjects(obj)
            doc.Reference(obj, reg)
            doc.addForm(name, obj)
        c.saveState()
        c.translate(x, y)
        c.scale(width, height)
        c._code.append("/%s Do" % reg)
        c.restoreState()
        c._formsinuse.append(name)
    finally:
        rl_config.useA85 = a85
