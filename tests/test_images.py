"""Tests for attack.images; every fixture is generated here with Pillow, none is stored in the repo."""
from __future__ import annotations

import io
import struct
import time
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile


from attack.inputs import images  # noqa: E402
from attack.inputs.images import MAX_BYTES, ImageError, LoadedImage, encode_png, load_image, save_png  # noqa: E402


def encode(im: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=fmt, **kw)
    return buf.getvalue()


def noise(w: int, h: int, seed: int = 0) -> Image.Image:
    """Random pixels, so compressed data is long enough to cut in half meaningfully."""
    return Image.fromarray(np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8))


def png_declaring(width: int, height: int) -> bytes:
    """A tiny valid PNG whose IHDR is patched to claim width x height (CRC recomputed)."""
    data = bytearray(encode(Image.new("RGB", (4, 4), "red")))
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def px(img: LoadedImage, x: int, y: int) -> tuple[int, ...]:
    return tuple(int(v) for v in img.pixels[y, x])


# --- output contract -------------------------------------------------------------------------


def test_output_array_contract():
    img = load_image(encode(noise(50, 30)))
    assert img.pixels.dtype == np.uint8
    assert img.pixels.shape == (30, 50, 3)
    assert img.pixels.flags.c_contiguous
    assert not img.pixels.flags.writeable
    with pytest.raises(ValueError):
        img.pixels[0, 0, 0] = 1
    assert (img.width, img.height) == (50, 30)
    assert img.original_size == (50, 30)
    assert img.format == "PNG"
    assert img.notes == ()


def test_rgb_pixels_are_exact_for_lossless_input():
    src = noise(40, 25, seed=3)
    img = load_image(encode(src))
    np.testing.assert_array_equal(img.pixels, np.asarray(src))


def test_loaded_image_is_frozen():
    img = load_image(encode(Image.new("RGB", (2, 2))))
    with pytest.raises(AttributeError):
        img.format = "JPEG"  # type: ignore[misc]


# --- colour modes ----------------------------------------------------------------------------


def test_rgba_transparent_pixel_becomes_white_and_opaque_red_stays():
    im = Image.new("RGBA", (2, 1), (255, 0, 0, 255))
    im.putpixel((1, 0), (0, 0, 255, 0))  # fully transparent blue
    img = load_image(encode(im))
    assert px(img, 0, 0) == (255, 0, 0)
    assert px(img, 1, 0) == (255, 255, 255)
    assert "Transparent areas were placed on white." in img.notes


def test_rgba_half_transparent_black_is_mid_grey():
    img = load_image(encode(Image.new("RGBA", (1, 1), (0, 0, 0, 128))))
    assert all(abs(v - 127) <= 1 for v in px(img, 0, 0))


def test_fully_opaque_rgba_gets_no_transparency_note():
    img = load_image(encode(Image.new("RGBA", (32, 32), (10, 20, 30, 255))))
    assert px(img, 1, 1) == (10, 20, 30)
    assert img.notes == ()


def test_la_mode():
    im = Image.new("LA", (2, 1), (40, 255))
    im.putpixel((1, 0), (0, 0))
    img = load_image(encode(im))
    assert px(img, 0, 0) == (40, 40, 40)
    assert px(img, 1, 0) == (255, 255, 255)


def test_palette_with_transparency_index():
    im = Image.new("P", (2, 1), 0)
    im.putpalette([0, 200, 0] + [0, 0, 0] * 255)  # index 0 green, index 1 black
    im.putpixel((1, 0), 1)
    data = encode(im, transparency=1)
    assert Image.open(io.BytesIO(data)).info.get("transparency") == 1  # fixture sanity
    img = load_image(data)
    assert px(img, 0, 0) == (0, 200, 0)
    assert px(img, 1, 0) == (255, 255, 255)
    assert any("white" in n for n in img.notes)


def test_palette_without_transparency():
    im = Image.new("P", (20, 20), 0)
    im.putpalette([12, 34, 56] * 256)
    img = load_image(encode(im))
    assert px(img, 0, 0) == (12, 34, 56)
    assert img.notes == ()


def test_cmyk_tiff():
    im = Image.new("CMYK", (2, 2), (0, 255, 255, 0))  # no cyan, full magenta + yellow: red
    img = load_image(encode(im, "TIFF"))
    assert px(img, 0, 0) == (255, 0, 0)
    assert "CMYK converted to RGB." in img.notes
    assert img.format == "TIFF"


def test_cmyk_jpeg():
    img = load_image(encode(Image.new("CMYK", (16, 16), (0, 0, 0, 0)), "JPEG", quality=95))
    assert img.pixels.shape == (16, 16, 3)
    assert img.pixels.min() >= 250  # no ink: white
    assert "CMYK converted to RGB." in img.notes


def test_16_bit_grey_scales_not_clips():
    im = Image.new("I;16", (3, 1))
    for x, v in enumerate((65535, 0, 32896)):
        im.putpixel((x, 0), v)
    data = encode(im)
    assert Image.open(io.BytesIO(data)).mode == "I;16"  # fixture sanity
    img = load_image(data)
    assert px(img, 0, 0) == (255, 255, 255)
    assert px(img, 1, 0) == (0, 0, 0)
    assert px(img, 2, 0) == (128, 128, 128)
    assert "16-bit image converted to 8-bit." in img.notes


def test_16_bit_big_endian_tiff():
    im = Image.new("I;16B", (2, 1))
    im.putpixel((0, 0), 65535)
    im.putpixel((1, 0), 257 * 100)
    data = encode(im, "TIFF")
    assert Image.open(io.BytesIO(data)).mode.startswith("I;16")
    img = load_image(data)
    assert px(img, 0, 0) == (255, 255, 255)
    assert px(img, 1, 0) == (100, 100, 100)


def test_mode_i_scaled_by_its_max():
    im = Image.new("I", (3, 1))
    for x, v in enumerate((100_000, 0, 50_000)):
        im.putpixel((x, 0), v)
    data = encode(im, "TIFF")
    assert Image.open(io.BytesIO(data)).mode == "I"
    img = load_image(data)
    assert [px(img, x, 0)[0] for x in range(3)] == [255, 0, 128]
    assert any("32-bit" in n for n in img.notes)


def test_mode_i_small_values_kept():
    im = Image.new("I", (2, 1))
    im.putpixel((0, 0), 200)
    im.putpixel((1, 0), 7)
    img = load_image(encode(im, "TIFF"))
    assert [px(img, x, 0)[0] for x in range(2)] == [200, 7]


def test_mode_f_scaled_by_range():
    im = Image.new("F", (3, 1))
    for x, v in enumerate((-1.0, 1.0, 0.0)):
        im.putpixel((x, 0), v)
    data = encode(im, "TIFF")
    assert Image.open(io.BytesIO(data)).mode == "F"
    img = load_image(data)
    assert [px(img, x, 0)[0] for x in range(3)] == [0, 255, 128]
    assert any("Floating-point" in n for n in img.notes)


def test_mode_1_bilevel():
    im = Image.new("1", (2, 1), 0)
    im.putpixel((1, 0), 1)
    img = load_image(encode(im))
    assert px(img, 0, 0) == (0, 0, 0)
    assert px(img, 1, 0) == (255, 255, 255)


def test_grey_l_mode():
    img = load_image(encode(Image.new("L", (2, 2), 77)))
    assert px(img, 1, 1) == (77, 77, 77)


@pytest.mark.parametrize("mode", ["YCbCr", "LAB"])
def test_tiff_in_other_colour_spaces_becomes_rgb(mode):
    data = encode(Image.new("RGB", (4, 4), (200, 30, 60)).convert(mode), "TIFF")
    assert Image.open(io.BytesIO(data)).mode == mode  # fixture sanity: Pillow decodes it as that mode
    img = load_image(data)
    assert all(abs(a - b) <= 12 for a, b in zip(px(img, 1, 1), (200, 30, 60)))


def test_hsv_mode_becomes_rgb():
    # No Pillow writer stores HSV, so exercise the conversion step directly.
    rgb = images._to_rgb(Image.new("RGB", (2, 2), (200, 30, 60)).convert("HSV"), [])
    assert rgb.mode == "RGB"
    assert all(abs(a - b) <= 3 for a, b in zip(rgb.getpixel((0, 0)), (200, 30, 60)))


# --- EXIF, animation, size -------------------------------------------------------------------


def test_exif_orientation_6_rotates():
    im = Image.new("RGB", (40, 20), (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, 10, 20))  # red on the left edge
    exif = Image.Exif()
    exif[0x0112] = 6
    img = load_image(encode(im, "JPEG", exif=exif, quality=95))
    assert (img.width, img.height) == (20, 40)
    assert img.original_size == (20, 40)
    assert any("EXIF orientation" in n for n in img.notes)
    # orientation 6 means "rotate 90° clockwise to view": the left edge ends up on top
    r, g, b = px(img, 10, 2)
    assert r > 200 and b < 60


def test_exif_orientation_1_no_note():
    exif = Image.Exif()
    exif[0x0112] = 1
    img = load_image(encode(Image.new("RGB", (40, 20)), "JPEG", exif=exif))
    assert (img.width, img.height) == (40, 20)
    assert img.notes == ()


def test_animated_gif_uses_first_frame():
    frames = [Image.new("RGB", (8, 8), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(buf.getvalue())).n_frames == 3  # fixture sanity
    img = load_image(buf.getvalue())
    assert px(img, 4, 4) == (255, 0, 0)
    assert "Animated image: the first frame is used." in img.notes
    assert img.format == "GIF"


def test_animated_png_uses_first_frame():
    frames = [Image.new("RGB", (8, 8), c) for c in ((0, 0, 255), (255, 255, 0))]
    buf = io.BytesIO()
    frames[0].save(buf, "PNG", save_all=True, append_images=frames[1:])
    img = load_image(buf.getvalue())
    assert px(img, 0, 0) == (0, 0, 255)
    assert any("first frame" in n for n in img.notes)


def test_downscale_to_default_working_size():
    img = load_image(encode(Image.new("RGB", (3000, 1500), (9, 99, 199))))
    assert (img.width, img.height) == (1024, 512)
    assert img.original_size == (3000, 1500)
    assert "Downscaled from 3000 × 1500 to 1024 × 512 px (the working size limit)." in img.notes
    assert px(img, 500, 250) == (9, 99, 199)


def test_custom_max_side_and_rounding():
    img = load_image(encode(Image.new("RGB", (300, 200))), max_side=100)
    assert (img.width, img.height) == (100, 67)  # 66.67 rounds to nearest
    thin = load_image(encode(Image.new("RGB", (1000, 1))), max_side=10)
    assert (thin.width, thin.height) == (10, 1)  # never collapses to 0 px


def test_no_downscale_at_exactly_max_side():
    img = load_image(encode(Image.new("RGB", (1024, 128))))
    assert (img.width, img.height) == (1024, 128)
    assert img.notes == ()


def test_tiny_image_accepted():
    img = load_image(encode(Image.new("RGB", (1, 1), (1, 2, 3))))
    assert img.pixels.shape == (1, 1, 3) and px(img, 0, 0) == (1, 2, 3)


@pytest.mark.parametrize("size, word", [((1, 1), "too small"), ((15, 300), "too small"), ((4000, 10), "too small"),
                                        ((900, 100), "too thin"), ((100, 900), "too thin")])
def test_tiny_or_thin_images_are_accepted_with_a_warning_note(size, word):
    from attack.inputs.images import size_warning

    img = load_image(encode(Image.new("RGB", size)))
    warning = size_warning(img.width, img.height)
    assert warning is not None and word in warning
    assert f"{img.width} × {img.height} px" in warning  # the size the model will get (4000 × 10 → 1024 × 3)
    assert warning in img.notes


@pytest.mark.parametrize("size", [(16, 16), (224, 224), (800, 100), (451, 300)])
def test_ordinary_images_get_no_size_warning(size):
    from attack.inputs.images import size_warning

    assert size_warning(*size) is None
    assert load_image(encode(Image.new("RGB", size))).notes == ()


def test_invalid_max_side():
    with pytest.raises(ValueError):
        load_image(encode(Image.new("RGB", (2, 2))), max_side=0)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"hello, this is just a text file\n" * 10,
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        np.random.default_rng(1).integers(0, 256, 4096, dtype=np.uint8).tobytes(),
    ],
    ids=["text", "pdf", "random"],
)
def test_non_image_bytes(data):
    with pytest.raises(ImageError) as exc:
        load_image(data, name="x.txt")
    assert exc.value.message == str(exc.value)
    assert exc.value.message == "“x.txt” is not an image Pillow can read (PNG, JPEG, WebP, BMP, GIF or TIFF)."


def test_non_image_without_name_still_a_sentence():
    with pytest.raises(ImageError, match=r"^The file is not an image"):
        load_image(b"not an image")


def test_empty_input():
    with pytest.raises(ImageError, match="empty"):
        load_image(b"", name="e.png")


def test_image_error_is_value_error():
    assert issubclass(ImageError, ValueError)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_file(fmt):
    data = encode(noise(200, 200), fmt)
    flag = ImageFile.LOAD_TRUNCATED_IMAGES
    with pytest.raises(ImageError, match="truncated or corrupt") as exc:
        load_image(data[: len(data) // 2], name=f"x.{fmt.lower()}")
    assert f"“x.{fmt.lower()}”" in exc.value.message
    assert ImageFile.LOAD_TRUNCATED_IMAGES is flag  # the global was not touched


def test_png_cut_inside_header_is_corrupt_not_alien():
    data = encode(Image.new("RGB", (10, 10)))
    with pytest.raises(ImageError, match="truncated or corrupt"):
        load_image(data[:20])


def test_zero_size_image_rejected():
    with pytest.raises(ImageError):
        load_image(png_declaring(0, 5))


def test_decompression_bomb_rejected_fast():
    data = png_declaring(30000, 30000)
    assert len(data) < 200
    start = time.perf_counter()
    with pytest.raises(ImageError, match="megapixels") as exc:
        load_image(data, name="big.png")
    assert time.perf_counter() - start < 0.5  # 900 MP was never allocated or decoded
    assert "“big.png” declares 900 megapixels; the limit is 40 megapixels." == exc.value.message


def test_bomb_just_over_limit_reports_dimensions():
    # 7000 x 7000 = 49 MP: Pillow only warns at this size, so our own pre-decode check answers.
    with pytest.warns(Image.DecompressionBombWarning):
        with pytest.raises(ImageError) as exc:
            load_image(png_declaring(7000, 7000), name="big.png")
    assert exc.value.message == "“big.png” declares 7000 × 7000 pixels (49 megapixels); the limit is 40 megapixels."


def test_bomb_warning_as_error_still_image_error():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ImageError, match="megapixels"):
            load_image(png_declaring(7000, 7000))


def test_pillow_limit_is_ours():
    assert Image.MAX_IMAGE_PIXELS == images.MAX_PIXELS


def test_oversize_bytes_rejected():
    data = b"\x89PNG\r\n\x1a\n" + b"\0" * MAX_BYTES
    with pytest.raises(ImageError) as exc:
        load_image(data, name="huge.png")
    assert exc.value.message == "“huge.png” is 25.0 MB; the upload limit is 25.0 MB."


def test_oversize_file_rejected_before_reading(tmp_path):
    path = tmp_path / "huge.png"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 10 * 2**20)  # sparse: cheap on disk
    with pytest.raises(ImageError, match=r"“huge.png” is 35.0 MB; the upload limit is 25.0 MB"):
        load_image(path)


def test_oversize_stream_without_getvalue(tmp_path):
    path = tmp_path / "huge.bin"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)
    with open(path, "rb") as f, pytest.raises(ImageError, match="upload limit"):
        load_image(f)


class _HeldUpload(io.BytesIO):
    """Like Streamlit's UploadedFile: the server already holds the bytes and says how many there are."""

    def __init__(self, size: int, name: str = "held.png") -> None:
        super().__init__(b"")
        self.size, self.name = size, name

    def getvalue(self) -> bytes:
        raise AssertionError("read an upload the size already refused")


def test_oversize_upload_is_refused_by_its_size_before_its_bytes_are_copied():
    with pytest.raises(ImageError) as exc:
        load_image(_HeldUpload(MAX_BYTES + 2**20))
    assert exc.value.code == "image.too_large"
    assert exc.value.message == "“held.png” is 26.0 MB; the upload limit is 25.0 MB."
    with pytest.raises(ImageError, match="“big.webp” is 25.0 MB"):
        images.check_size(MAX_BYTES + 1, "big.webp")
    images.check_size(MAX_BYTES, "at-the-limit.png")  # the limit itself is allowed


def test_missing_path_is_image_error(tmp_path):
    with pytest.raises(ImageError, match="“nope.png”"):
        load_image(tmp_path / "nope.png")


def test_wrong_source_type():
    with pytest.raises(TypeError):
        load_image(12345)  # type: ignore[arg-type]


# --- sources ---------------------------------------------------------------------------------


def test_path_input_str_and_pathlike(tmp_path):
    path = tmp_path / "pic.png"
    Image.new("RGB", (5, 4), (1, 2, 3)).save(path)
    for src in (path, str(path)):
        img = load_image(src)
        assert img.pixels.shape == (4, 5, 3) and px(img, 0, 0) == (1, 2, 3)


def test_path_name_used_in_errors(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just text")
    with pytest.raises(ImageError, match="“notes.txt”"):
        load_image(path)


def test_name_argument_overrides_path_name(tmp_path):
    path = tmp_path / "tmp123"
    path.write_text("just text")
    with pytest.raises(ImageError, match="“holiday.jpg”"):
        load_image(path, name="holiday.jpg")


def test_file_object_input(tmp_path):
    path = tmp_path / "pic.jpg"
    Image.new("RGB", (6, 3), (250, 250, 250)).save(path, quality=95)
    with open(path, "rb") as f:
        img = load_image(f)
    assert img.format == "JPEG" and img.pixels.shape == (3, 6, 3)
    assert all(v >= 245 for v in px(img, 3, 1))


def test_file_object_name_used_in_errors(tmp_path):
    path = tmp_path / "readme.txt"
    path.write_text("not a picture")
    with open(path, "rb") as f, pytest.raises(ImageError, match="^“readme.txt” is not an image"):
        load_image(f)


def test_bytesio_read_position_ignored():
    buf = io.BytesIO(encode(Image.new("RGB", (3, 3), (5, 6, 7))))
    buf.read()  # e.g. a Streamlit rerun already consumed the upload
    assert px(load_image(buf), 0, 0) == (5, 6, 7)


def test_bytearray_and_memoryview_input():
    data = encode(Image.new("RGB", (2, 2), (8, 9, 10)))
    assert px(load_image(bytearray(data)), 0, 0) == (8, 9, 10)
    assert px(load_image(memoryview(data)), 0, 0) == (8, 9, 10)


# --- PNG output ------------------------------------------------------------------------------


def test_encode_png_round_trips_exactly():
    arr = np.asarray(noise(33, 17, seed=7))
    data = encode_png(arr)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    back = Image.open(io.BytesIO(data))
    assert back.mode == "RGB" and back.size == (33, 17)
    np.testing.assert_array_equal(np.asarray(back), arr)
    np.testing.assert_array_equal(load_image(data).pixels, arr)


def test_encode_png_accepts_read_only_and_non_contiguous():
    img = load_image(encode(noise(20, 10)))
    assert Image.open(io.BytesIO(encode_png(img.pixels))).size == (20, 10)
    view = img.pixels[:, ::2]
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(encode_png(view)))), view)


@pytest.mark.parametrize(
    "bad",
    [np.zeros((4, 4, 3), np.float32), np.zeros((4, 4), np.uint8), np.zeros((4, 4, 4), np.uint8), [[0]]],
    ids=["float", "grey", "rgba", "list"],
)
def test_encode_png_rejects_wrong_arrays(bad):
    with pytest.raises(ValueError):
        encode_png(bad)


def test_save_png_writes_same_bytes(tmp_path):
    arr = np.asarray(noise(9, 9, seed=2))
    path = tmp_path / "out.png"
    save_png(arr, path)
    assert path.read_bytes() == encode_png(arr)


# --- errors and notes by code (the app says them in the user's language from these) ---------------

def test_errors_carry_a_code_and_the_values_of_their_sentence():
    from attack.plumbing.phrases import Phrase

    with pytest.raises(ImageError) as exc:
        load_image(b"", name="empty.png")
    assert exc.value.code == "image.empty" and exc.value.params == {"file": "“empty.png”"}
    with pytest.raises(ImageError) as exc:
        load_image(b"")
    file = exc.value.params["file"]
    assert isinstance(file, Phrase) and file.key == "phrase.the_file" and file.in_language("zh") == "该文件"
    with pytest.raises(ImageError) as exc:
        load_image("/no/such/dir/pig.jpg")
    assert exc.value.code == "image.unreadable" and exc.value.params["reason"].key == "phrase.no_such_file"


def test_notes_are_phrases_with_their_values():
    img = load_image(encode(Image.new("RGB", (3000, 1500))))
    (note,) = img.notes
    assert note.key == "note.image.downscaled"
    assert note.params == {"width": 3000, "height": 1500, "new_width": 1024, "new_height": 512}


def test_damaged_files_of_every_format_raise_image_error_only():
    """load_image names the exceptions Pillow raises on junk (no `except Exception`): flip, cut and
    insert bytes in small files of each format and check nothing but ImageError comes out."""
    import random

    rng = random.Random(0)
    pixels = np.random.default_rng(0).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    seeds = [encode(Image.fromarray(pixels).convert(mode), fmt) for fmt, mode in
             [("PNG", "RGB"), ("PNG", "RGBA"), ("PNG", "P"), ("JPEG", "RGB"), ("GIF", "P"), ("TIFF", "RGB"),
              ("TIFF", "CMYK"), ("BMP", "RGB"), ("WEBP", "RGB"), ("ICO", "RGB"), ("PPM", "RGB")]]
    seeds.append(encode(Image.fromarray(pixels[..., 0].astype(np.uint16))))
    seeds.append(encode(Image.fromarray(pixels[..., 0].astype(np.float32)), "TIFF"))
    for _ in range(600):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            i = rng.randrange(len(data))
            kind = rng.random()
            if kind < 0.6:
                data[i] = rng.randrange(256)
            elif kind < 0.8:
                del data[i:i + rng.randint(1, 50)]
            else:
                data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 20)))
        if rng.random() < 0.2:
            data = data[:rng.randrange(1, len(data))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                load_image(bytes(data), name="f")
            except ImageError:
                pass
