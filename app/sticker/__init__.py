"""The sticker page's parts (app/pages/sticker.py puts them in order): the photo (photo.py), the sticker
placed on it and the universal noise (place.py), training your own on the shared worker (train.py),
and the bounds every input is checked against before any work (bounds.py).

Session-state keys start with `stickerpage.`; containers the stylesheet or browser tests find with
`stickerpage-`.
"""
