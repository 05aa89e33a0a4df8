"""Messages of the optional-model panel (enabling InceptionV3 / MobileNetV2 / ResNet50 from a downloaded
file), and the engine's sentences about weights files checked by their pinned SHA-256."""

MESSAGES = {
    # app/weights_panel.py, the operator's panel
    "weights.intro": {
        "en": "These models need their ImageNet weights file. Download it once (the link works in any browser), "
              "then give its path below: the app installs it only if it is the exact published file.",
        "zh": "这些模型需要各自的 ImageNet 权重文件。在任意浏览器里用下面的链接下载一次，再在下面填写它的路径："
              "只有与官方发布的文件完全一致时，应用才会安装它。",
    },
    "weights.choose": {"en": "Enable a model", "zh": "启用一个模型"},
    "weights.file": {"en": "File: `{file}`", "zh": "文件：`{file}`"},
    "weights.download": {"en": "Download ({size})", "zh": "下载（{size}）"},
    "weights.folder": {"en": "Or put it in `{folder}` yourself.", "zh": "也可以自己把它放进 `{folder}`。"},
    "weights.path": {"en": "Path of the downloaded file on this computer",
                     "zh": "下载的文件在这台电脑上的路径"},
    "weights.path.help": {
        "en": "The .h5 file from the link above, unchanged. Its SHA-256 fingerprint is compared with the published "
              "file's before anything reads it; any other file is refused and nothing is written.",
        "zh": "上面链接下载的 .h5 文件，不要修改。在读取任何内容之前，会先把它的 SHA-256 指纹与官方发布的文件比对；"
              "其他任何文件都会被拒绝，不会写入任何内容。",
    },
    "weights.install": {"en": "Check and install", "zh": "检查并安装"},
    "weights.checking": {"en": "Checking the file's SHA-256 fingerprint…", "zh": "正在检查文件的 SHA-256 指纹……"},
    "weights.no_path": {"en": "Type the path of the downloaded file first.", "zh": "请先填写下载的文件的路径。"},
    "weights.installed": {"en": "{model} is ready: its weights were checked and saved to `{path}`.",
                          "zh": "{model} 已可使用：权重已通过检查并保存到 `{path}`。"},
    "weights.save_failed": {"en": "The file could not be read or saved in {folder}: {detail}",
                            "zh": "无法读取该文件或把它保存到 {folder}：{detail}"},
    # the audience's panel: no control, no path
    "weights.audience": {
        "en": "Not installed on this server: {models}. The person running the app can enable them.",
        "zh": "这台服务器上尚未安装：{models}。运行这个应用的人可以启用它们。",
    },
    # attack/models/registry.py
    "error.model.weights_hash": {
        "en": "That file is not {title}'s published weights file {file}, so nothing was installed: only the "
              "exact published file is accepted (compared by its SHA-256).",
        "zh": "该文件不是{title}官方发布的权重文件 {file}，因此没有安装任何内容：只接受与官方发布完全一致的文件"
              "（按 SHA-256 比对）。",
    },
    "error.model.weights_unknown": {
        "en": "That file is not the published weights file of any model here ({titles}), so nothing was installed.",
        "zh": "该文件不是这里任何一个模型（{titles}）官方发布的权重文件，因此没有安装任何内容。",
    },
    "error.model.weights_broken": {
        "en": "{title}'s weights file {path} is not the published file (its SHA-256 differs: damaged, truncated "
              "or replaced), so it is not used; delete it or install the right file.",
        "zh": "{title}的权重文件 {path} 与官方发布的文件不一致（SHA-256 不同：已损坏、不完整或被替换），因此不会使用它；"
              "请删除它，或安装正确的文件。",
    },
    "model.availability.broken": {
        "en": "The weights file {path} is not the published file (its SHA-256 differs), so it is not used.",
        "zh": "权重文件 {path} 与官方发布的文件不一致（SHA-256 不同），因此不会使用它。",
    },
    # attack/experiments/robustness.py: transfer_check's notes (shown to everyone: no server paths)
    "model.transfer_skipped.missing": {
        "en": "{model} was not asked: it is not installed on this server.",
        "zh": "没有询问{model}：这台服务器上没有安装它。",
    },
    "model.transfer_skipped.broken": {
        "en": "{model} was not asked: its weights file on this server is not the published one.",
        "zh": "没有询问{model}：这台服务器上它的权重文件不是官方发布的版本。",
    },
}
