"""Messages of the optional-model panel: enabling InceptionV3 / MobileNetV2 / ResNet50 by upload."""

MESSAGES = {
    "weights.intro": {
        "en": "These models need their ImageNet weights file. Download it once (the link works in any browser), "
              "then drop it here: the app checks it and keeps it for next time.",
        "zh": "这些模型需要各自的 ImageNet 权重文件。在任意浏览器里用下面的链接下载一次，再拖到这里：应用会先检查，"
              "确认无误后保存，下次启动直接可用。",
    },
    "weights.choose": {"en": "Enable a model", "zh": "启用一个模型"},
    "weights.file": {"en": "File: `{file}`", "zh": "文件：`{file}`"},
    "weights.download": {"en": "Download ({size})", "zh": "下载（{size}）"},
    "weights.folder": {"en": "Or put it in `{folder}` yourself.", "zh": "也可以自己把它放进 `{folder}`。"},
    "weights.upload": {"en": "Drop the downloaded file here", "zh": "把下载的文件拖到这里"},
    "weights.upload.help": {
        "en": "The .h5 file from the link above, unchanged. It is checked by loading it into the model before "
              "anything is saved; a wrong file is refused and nothing is written.",
        "zh": "上面链接下载的 .h5 文件，不要修改。保存前会先把它载入模型进行检查；文件不对会被拒绝，不会写入任何内容。",
    },
    "weights.checking": {"en": "Checking the file by loading it into {model}…",
                         "zh": "正在把文件载入 {model} 进行检查……"},
    "weights.installed": {"en": "{model} is ready: its weights were checked and saved to `{path}`.",
                          "zh": "{model} 已可使用：权重已通过检查并保存到 `{path}`。"},
    "weights.save_failed": {"en": "The file could not be saved in {folder}: {detail}",
                            "zh": "无法把文件保存到 {folder}：{detail}"},
}
