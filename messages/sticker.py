"""The sticker's and the universal noise's sentences: their errors (attack/physical/sticker.py, attack/physical/universal.py,
attack/physical/training.py, the CLI) and the printable sheet's text (attack/render/sheet.py)."""

MESSAGES = {
    # attack/physical/sticker.py: a sticker file, and where it goes
    "error.sticker.not_square": {
        "en": "{file} is {width} × {height}; a sticker must be square.",
        "zh": "{file}的尺寸为 {width} × {height}；贴纸必须是正方形。",
    },
    "error.sticker.too_big": {
        "en": "{file} is {width} × {height}; a sticker may be at most {limit} px a side.",
        "zh": "{file}的尺寸为 {width} × {height}；贴纸每边最多 {limit} 像素。",
    },
    "error.sticker.area": {
        "en": "The sticker's area must be more than 0 and at most {limit} of the photo's (got {area}).",
        "zh": "贴纸面积必须大于 0，且不超过照片面积的 {limit}（收到 {area}）。",
    },
    "error.sticker.at": {
        "en": "The sticker's position must be two fractions X,Y from 0 to 1 (got {value}).",
        "zh": "贴纸位置必须是 0 到 1 之间的两个比例 X,Y（收到 {value}）。",
    },
    "error.sticker.angle": {
        "en": "The sticker's angle must be from -180 to 180 degrees (got {value}).",
        "zh": "贴纸角度必须在 -180 到 180 度之间（收到 {value}）。",
    },
    "error.sticker.does_not_fit": {
        "en": "At {area} of the photo's area, the sticker does not fit inside this {width} × {height} photo.",
        "zh": "按照片面积的 {area}，贴纸放不进这张 {width} × {height} 的照片。",
    },
    "error.sticker.size": {
        "en": "The sticker's side must be from {low} to {high} px (got {value}).",
        "zh": "贴纸边长必须在 {low} 到 {high} 像素之间（收到 {value}）。",
    },
    # attack/physical/universal.py: a noise file and its strength
    "error.noise.not_png": {
        "en": "{file} is in {format} format; a noise file is a lossless PNG (128 + δ).",
        "zh": "{file}是 {format} 文件；噪声文件必须是无损 PNG（128 + δ）。",
    },
    "error.noise.size": {
        "en": "{file} is {width} × {height}; a noise file is {side} × {side}.",
        "zh": "{file}的尺寸为 {width} × {height}；噪声文件应为 {side} × {side}。",
    },
    "error.noise.too_strong": {
        "en": "{file} holds a noise of ε = {eps:# level|# levels}; at most {limit} is allowed.",
        "zh": "{file}中的噪声为 ε = {eps} 级；最多允许 {limit} 级。",
    },
    "error.noise.eps": {
        "en": "ε must be a whole number of levels from 1 to {limit} (got {eps}).",
        "zh": "ε 必须是 1 到 {limit} 之间的整数级（收到 {eps}）。",
    },
    # attack/physical/training.py: the bounds of a training run
    "error.training.range": {
        "en": "{name} must be from {low} to {high} (got {value}).",
        "zh": "{name} 必须在 {low} 到 {high} 之间（收到 {value}）。",
    },
    "error.training.no_photos": {
        "en": "There are no photos to train on.",
        "zh": "没有可用于训练的照片。",
    },
    "error.training.too_many_photos": {
        "en": "{count:# photo|# photos} is too many to train on; the limit is {limit}.",
        "zh": "{count} 张照片太多，无法训练；上限为 {limit} 张。",
    },
    "error.training.target": {
        "en": "The target must be an ImageNet class from 0 to 999 (got {value}).",
        "zh": "目标必须是 0 到 999 之间的 ImageNet 类别（收到 {value}）。",
    },
    "error.training.no_images_in_folder": {
        "en": "{folder} holds no image files (PNG, JPEG, WebP, BMP, GIF or TIFF).",
        "zh": "{folder} 中没有图片文件（PNG、JPEG、WebP、BMP、GIF 或 TIFF）。",
    },
    "error.training.validate": {
        "en": "--validate {value} leaves no photos to train on: {folder} holds {count}.",
        "zh": "--validate {value} 后没有剩下可训练的照片：{folder} 只有 {count} 张。",
    },
    # attack/render/sheet.py: the printable sheet
    "sheet.title": {
        "en": "Adversarial sticker: the model sees “{label}”",
        "zh": "对抗贴纸：模型看到的是“{label}”",
    },
    "sheet.howto": {
        "en": "Print at 100 % (no scaling), cut along the marks, and hold a sticker up to the camera beside any object.",
        "zh": "按 100% 比例打印（不要缩放），沿裁切线剪下，把贴纸举到镜头前、放在任意物体旁边。",
    },
    "sheet.size": {"en": "{cm} cm", "zh": "{cm} 厘米"},
}
