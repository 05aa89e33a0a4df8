"""The public ImageNet sample photos (EliSchwartz/imagenet-sample-images: one JPEG per class, 1000 files
`nXXXXXXXX_name.JPEG`; sorted by file name, a file's position is its class index), split in two:

- held out: the 200 classes whose index is divisible by 5 — every figure is reported on these;
- tune: the other 800 — training and tuning use only these.

    python bench/imagenet_split.py data/imagenet-sample-images data/imagenet-split

makes `tune/` and `held-out/` folders of symbolic links under the second folder, for the CLI's
`sticker train` / `universal train` / `eval` (which take a folder). Never commit or ship the photos.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def sample_files(folder: str | Path) -> list[Path]:
    """The 1000 photos in class order; refuses a folder that is not the sample set."""
    files = sorted(p for p in Path(folder).iterdir() if p.suffix.upper() == ".JPEG")
    if len(files) != 1000 or not all(p.name.startswith("n") for p in files):
        sys.exit(f"{folder} does not hold the 1000 ImageNet sample JPEGs (found {len(files)})")
    return files


def split(folder: str | Path) -> tuple[list[Path], list[Path]]:
    """(tune: class index % 5 != 0, held out: class index % 5 == 0), each in class order."""
    files = sample_files(folder)
    return ([p for i, p in enumerate(files) if i % 5], [p for i, p in enumerate(files) if i % 5 == 0])


def class_index(path: Path, folder: str | Path) -> int:
    return sample_files(folder).index(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    parser.add_argument("out")
    args = parser.parse_args()
    tune, held = split(args.folder)
    for name, files in (("tune", tune), ("held-out", held)):
        target = Path(args.out) / name
        target.mkdir(parents=True, exist_ok=True)
        for path in files:
            link = target / path.name
            if not link.exists():
                link.symlink_to(path.resolve())
        print(f"{target}: {len(files)} photos")


if __name__ == "__main__":
    main()
