"""Image input: decode untrusted uploads with Pillow into small, read-only RGB uint8 arrays."""
from __future__ import annotations

import errno
import io
import os
import re
import struct
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps

from ..plumbing.errors import UserError
from ..plumbing.phrases import Phrase

MAX_SIDE = 1024  # default cap on the working size (longest side, px)
MAX_PIXELS = 40_000_000  # decompression-bomb limit on the *declared* size, checked before decoding
MAX_BYTES = 25 * 1024 * 1024  # upload limit in bytes (the app's config matches it)
# Below these the classifiers (which scale every image to a 224-ish square) see a few blurred blocks
# or a smear, and an attack on it means nothing: such images are accepted, with a warning note.
MIN_SIDE = 16  # px, shortest side of the working image
MAX_ASPECT = 8  # longest side / shortest side

# Pillow's own guard covers every Image.open in the process, not just ours: it warns above
# this many pixels and raises above twice as many, in both cases before decoding anything.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_ANIMATED_FORMATS = {"GIF", "PNG", "WEBP"}  # other multi-frame files (MPO, TIFF) are not animations
# A file that starts like one of these but cannot be opened is damaged rather than "not an image".
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")


class ImageError(UserError, ValueError):
    """Raised for any input we cannot use; `.message` is one human sentence for the user (also str(e))."""

    code = "image"


@dataclass(frozen=True)
class LoadedImage:
    """A decoded image ready for the model, plus what was done to it on the way."""

    pixels: np.ndarray  # H x W x 3 uint8 RGB, C-contiguous, read-only
    original_size: tuple[int, int]  # (width, height) as decoded, after EXIF rotation
    format: str  # e.g. "PNG", "JPEG"
    notes: tuple[Phrase, ...]  # English sentences about what was done, each sayable in any language

    @property
    def width(self) -> int:
        """Working width in pixels."""
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        """Working height in pixels."""
        return int(self.pixels.shape[0])


# What Pillow raises on junk, truncated or hostile input: its decoders signal trouble with OSError
# (UnidentifiedImageError, "image file is truncated"), SyntaxError (bad PNG chunks, bad GIF/TIFF headers),
# ValueError, TypeError and IndexError (nonsense header values), struct.error (short binary fields),
# EOFError (data that stops mid-frame), ZeroDivisionError (a zero-sized tile or resolution) and
# MemoryError (a header that asks for more than this machine has). Anything else is a bug.
PILLOW_ERRORS = (OSError, SyntaxError, ValueError, TypeError, IndexError, KeyError, struct.error, EOFError,
                 ZeroDivisionError, MemoryError)
# The OS's reasons for not reading a file that a user can act on, by errno (not by their English text).
_OS_REASONS = {errno.ENOENT: "phrase.no_such_file", errno.EACCES: "phrase.permission",
               errno.EPERM: "phrase.permission", errno.EISDIR: "phrase.is_directory"}


def _label(name: str | None) -> str:
    return f"“{name}”" if name else Phrase("phrase.the_file")


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB"  # MiB, as Streamlit's server.maxUploadSize counts them


def _too_big(name: str | None, size: int | None) -> ImageError:
    if size is None:
        return ImageError.coded("image.too_large_unknown", file=_label(name), limit=_mb(MAX_BYTES))
    return ImageError.coded("image.too_large", file=_label(name), size=_mb(size), limit=_mb(MAX_BYTES))


def check_size(size: int, name: str | None = None) -> None:
    """Refuse a file of `size` bytes above MAX_BYTES with load_image's own sentence, for a caller that
    knows the size before it reads anything (an upload the server already holds, a file on disk)."""
    if size > MAX_BYTES:
        raise _too_big(name, size)


def _bomb(name: str | None, size: tuple[int, int] | None, err: Exception | None = None) -> ImageError:
    if size is not None:
        declared = Phrase("phrase.declared_pixels", width=size[0], height=size[1],
                          megapixels=f"{size[0] * size[1] / 1e6:.0f}")
    else:  # Pillow refused inside open(), so its message is the only place the count survives
        found = re.search(r"\((\d+) pixels\)", str(err))
        declared = (Phrase("phrase.megapixels", megapixels=f"{int(found.group(1)) / 1e6:.0f}") if found
                    else Phrase("phrase.too_many_pixels"))
    return ImageError.coded("image.too_many_pixels", file=_label(name), declared=declared,
                            limit=f"{MAX_PIXELS / 1e6:.0f}")


def _read(source: bytes | str | os.PathLike | BinaryIO, name: str | None) -> tuple[bytes, str | None]:
    """Return the raw bytes and a display name, never reading more than MAX_BYTES + 1."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        name = name or os.path.basename(path)
        try:
            size = os.path.getsize(path)
            if size > MAX_BYTES:  # checked before reading so a huge file never reaches memory
                raise _too_big(name, size)
            with open(path, "rb") as f:
                data = f.read(MAX_BYTES + 1)
        except OSError as e:
            reason = Phrase(_OS_REASONS[e.errno]) if e.errno in _OS_REASONS else str(e.strerror or e)
            raise ImageError.coded("image.unreadable", file=_label(name), reason=reason) from e
    elif hasattr(source, "read"):
        raw_name = getattr(source, "name", None)
        name = name or (os.path.basename(raw_name) if isinstance(raw_name, str) else None)
        size = getattr(source, "size", None)  # Streamlit's UploadedFile knows it: refuse before copying
        if isinstance(size, int) and not isinstance(size, bool):
            check_size(size, name)
        # getvalue() (BytesIO, Streamlit's UploadedFile) ignores the read position, so a rerun
        # that already read the upload still gets the whole file.
        data = source.getvalue() if hasattr(source, "getvalue") else source.read(MAX_BYTES + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("load_image needs a binary file object, not a text one")
        data = bytes(data)
        if len(data) > MAX_BYTES and not hasattr(source, "getvalue"):
            raise _too_big(name, None)  # we stopped reading, so the true size is unknown
    else:
        raise TypeError(f"load_image cannot read a {type(source).__name__}")
    if len(data) > MAX_BYTES:
        raise _too_big(name, len(data))
    return data, name


def _grey_to_u8(im: Image.Image, notes: list[Phrase]) -> Image.Image:
    """Scale a 16-bit, 32-bit or float grey image to 8 bits (Pillow's own convert clips instead)."""
    if im.mode.startswith("I;16"):
        # Integer rounding of x / 257 maps 0..65535 exactly onto 0..255 without a float copy.
        out = (np.asarray(im).astype(np.uint32) + 128) // 257
        notes.append(Phrase("note.image.16bit"))
    else:
        a = np.nan_to_num(np.asarray(im, dtype=np.float32), nan=0.0, posinf=0.0, neginf=0.0)
        if im.mode == "I":
            lo, hi = min(0.0, float(a.min())), max(255.0, float(a.max()))
            notes.append(Phrase("note.image.32bit"))
        else:  # "F": floats have no natural scale, so stretch the range actually present
            lo, hi = float(a.min()), float(a.max())
            notes.append(Phrase("note.image.float"))
        out = np.rint((a - lo) * (255.0 / (hi - lo))) if hi > lo else a
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8)).convert("RGB")


def _to_rgb(im: Image.Image, notes: list[Phrase]) -> Image.Image:
    """Convert any Pillow mode to RGB, compositing transparency on white."""
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        return _grey_to_u8(im, notes)
    if im.mode == "CMYK":
        notes.append(Phrase("note.image.cmyk"))
        return im.convert("RGB")
    if im.mode in ("RGBA", "LA", "PA", "RGBa") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        if rgba.getextrema()[3][0] < 255:  # only mention it when something was see-through
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            rgba = Image.alpha_composite(white, rgba)
            notes.append(Phrase("note.image.transparent"))
        return rgba.convert("RGB")
    return im.convert("RGB")  # 1, L, P, RGB, YCbCr, LAB, HSV


def read_bytes(path: str | os.PathLike) -> bytes:
    """A file's bytes for load_image elsewhere (another process, a Ray worker): same size limit and errors."""
    return _read(path, None)[0]


def load_image(
    source: bytes | str | os.PathLike | BinaryIO, *, max_side: int = MAX_SIDE, name: str | None = None
) -> LoadedImage:
    """Decode an image upload into a read-only RGB uint8 array no larger than max_side."""
    if max_side < 1:
        raise ValueError(f"max_side must be at least 1, got {max_side}")
    data, name = _read(source, name)
    label = _label(name)
    if not data:
        raise ImageError.coded("image.empty", file=label)
    with _open(data, name, label) as im:
        notes: list[Phrase] = []
        _decode(im, name, label, notes)
        fmt = "JPEG" if im.format == "MPO" else (im.format or "unknown")  # MPO is a phone JPEG
        im = _upright(im, notes)
        original_size = im.size
        try:
            rgb = _to_rgb(im, notes)
        except PILLOW_ERRORS as e:
            raise ImageError.coded("image.colour_mode", file=label, mode=im.mode) from e
    w, h = original_size
    if max(w, h) > max_side:
        scale = max_side / max(w, h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        rgb = rgb.resize(size, Image.Resampling.LANCZOS)
        notes.append(Phrase("note.image.downscaled", width=w, height=h, new_width=size[0], new_height=size[1]))
    pixels = np.array(rgb, dtype=np.uint8, order="C")  # a fresh copy we own
    warning = size_warning(pixels.shape[1], pixels.shape[0])  # the working size is what the model gets
    if warning:
        notes.append(warning)
    pixels.setflags(write=False)
    return LoadedImage(pixels=pixels, original_size=original_size, format=fmt, notes=tuple(notes))


def _open(data: bytes, name: str | None, label: str) -> Image.Image:
    """Pillow's lazy open (the header only), refused before a pixel is decoded when it declares too many."""
    try:
        im = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise _bomb(name, None, e) from e
    except PILLOW_ERRORS as e:
        if data.startswith(_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
            raise ImageError.coded("image.bad_header", file=label) from e
        raise ImageError.coded("image.not_image", file=label) from e
    w, h = im.size
    if w * h > MAX_PIXELS:  # the declared size, before a single pixel is decoded
        im.close()
        raise _bomb(name, (w, h))
    if w < 1 or h < 1:
        im.close()
        raise ImageError.coded("image.no_pixels", file=label, width=w, height=h)
    return im


def _decode(im: Image.Image, name: str | None, label: str, notes: list[Phrase]) -> None:
    """Decode the first frame (noting an animation), with one sentence for each way the data can fail."""
    try:
        frames = getattr(im, "n_frames", 1)
        if frames > 1:
            im.seek(0)
            notes.append(Phrase("note.image.animated") if im.format in _ANIMATED_FORMATS
                         else Phrase("note.image.frames", frames=frames))
        im.load()  # ImageFile.LOAD_TRUNCATED_IMAGES stays False, so short data raises here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise _bomb(name, None, e) from e
    except PILLOW_ERRORS as e:
        # Pillow says "image file is truncated" (an OSError) when the data stops short; its wording
        # is the only sign, and a miss only costs the finer of two true sentences.
        if "truncated" in str(e).lower():
            raise ImageError.coded("image.ends_early", file=label) from e
        raise ImageError.coded("image.undecodable", file=label) from e


def _upright(im: Image.Image, notes: list[Phrase]) -> Image.Image:
    """The photo as its EXIF orientation says it was taken (a phone's portrait shot stands up)."""
    try:
        orientation = im.getexif().get(0x0112, 1)
    except PILLOW_ERRORS:  # a damaged EXIF block should not cost the user a good image
        orientation = 1
    if orientation in range(2, 9):
        notes.append(Phrase("note.image.rotated"))
        return ImageOps.exif_transpose(im)
    return im


def size_warning(width: int, height: int) -> Phrase | None:
    """A sentence when a width × height image is too small or too thin for a classifier to see anything.

    The models scale every image to a square of about 224 px: a 1 × 1 image becomes one flat colour,
    a 4000 × 10 strip a smear. `load_image` adds this sentence to its notes; the app shows it as a warning."""
    short, long = min(width, height), max(width, height)
    if short < MIN_SIDE:
        return Phrase("note.image.too_small", width=width, height=height, side=MIN_SIDE)
    if long > MAX_ASPECT * short:
        return Phrase("note.image.too_thin", width=width, height=height, ratio=MAX_ASPECT)
    return None


def encode_png(pixels: np.ndarray) -> bytes:
    """Encode an H x W x 3 uint8 array as lossless 8-bit RGB PNG bytes."""
    # Refuse rather than coerce: silently clipping floats or dropping alpha would hide a bug upstream.
    if not (isinstance(pixels, np.ndarray) and pixels.dtype == np.uint8 and pixels.ndim == 3
            and pixels.shape[2] == 3):
        got = f"{pixels.dtype} {pixels.shape}" if isinstance(pixels, np.ndarray) else type(pixels).__name__
        raise ValueError(f"expected an H x W x 3 uint8 array, got {got}")
    buf = io.BytesIO()
    # zlib level 1, not Pillow's 6: many times faster on a perturbed photo for a somewhat larger file,
    # and every run encodes several (verification, checks, downloads).
    Image.fromarray(np.ascontiguousarray(pixels)).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def save_png(pixels: np.ndarray, path: str | os.PathLike) -> None:
    """Write the same bytes as encode_png to path."""
    with open(path, "wb") as f:
        f.write(encode_png(pixels))
