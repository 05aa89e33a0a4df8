"""The sticker page (app/pages/sticker.py, app/sticker/): the adversarial patch and the universal noise."""

MESSAGES = {
    "nav.sticker": {"en": "Sticker", "zh": "贴纸"},
    "stickerpage.title": {"en": "A sticker that fools the model", "zh": "骗过模型的贴纸"},
    "stickerpage.tagline": {
        "en": "Leave the screen: one printed patch turns a photo into a toaster wherever it sits, and one faint "
              "noise fools most photos it was never made for.",
        "zh": "走出屏幕：一张打印出来的贴纸，贴在照片哪里都能让模型把它认成烤面包机；一份淡淡的噪声，"
              "能骗过大多数从没见过的照片。",
    },
    # --- the photo -------------------------------------------------------------------------------
    "stickerpage.source": {"en": "Photo", "zh": "照片"},
    "stickerpage.source.sample": {"en": "Sample", "zh": "示例"},
    "stickerpage.source.upload": {"en": "Upload", "zh": "上传"},
    "stickerpage.source.camera": {"en": "Camera", "zh": "相机"},
    "stickerpage.sample": {"en": "Sample photo", "zh": "示例照片"},
    "stickerpage.upload": {"en": "Your photo", "zh": "你的照片"},
    "stickerpage.camera": {"en": "Take a photo", "zh": "拍一张照片"},
    "stickerpage.camera.waiting": {
        "en": "Take a photo with the camera above; until then the sample is shown.",
        "zh": "请用上方的相机拍一张照片；拍好之前先显示示例照片。",
    },
    "stickerpage.upload.waiting": {
        "en": "Choose a photo above; until then the sample is shown.",
        "zh": "请在上方选择一张照片；选好之前先显示示例照片。",
    },
    "stickerpage.camera.label": {"en": "Camera photo", "zh": "相机照片"},
    "stickerpage.change_photo": {"en": "Photo", "zh": "照片"},
    # --- placing the sticker ---------------------------------------------------------------------
    "stickerpage.click": {"en": "Click on the photo to place the sticker.", "zh": "点击照片即可放置贴纸。"},
    "stickerpage.area": {"en": "Size (% of the photo)", "zh": "大小（照片面积的 %）"},
    "stickerpage.angle": {"en": "Rotation (degrees)", "zh": "旋转（度）"},
    "stickerpage.x": {"en": "Across (%)", "zh": "水平位置（%）"},
    "stickerpage.y": {"en": "Down (%)", "zh": "垂直位置（%）"},
    "stickerpage.position": {"en": "Position by numbers", "zh": "用数值定位"},
    "stickerpage.on": {"en": "Sticker on", "zh": "贴上贴纸"},
    "stickerpage.which": {"en": "Which sticker", "zh": "用哪张贴纸"},
    "stickerpage.which.shipped": {"en": "The toaster sticker (shipped)", "zh": "烤面包机贴纸（自带）"},
    "stickerpage.which.trained": {"en": "The one you trained", "zh": "你训练的贴纸"},
    "stickerpage.top5": {"en": "{model} says", "zh": "{model} 的判断"},
    "stickerpage.verdict.flipped": {
        "en": "Without the sticker: **{before}**. With it: **{after}**.",
        "zh": "不贴贴纸：**{before}**。贴上之后：**{after}**。",
    },
    "stickerpage.verdict.same": {
        "en": "Still **{label}**: move the sticker, make it bigger, or try another photo.",
        "zh": "仍是 **{label}**：换个位置、放大贴纸，或换一张照片试试。",
    },
    "stickerpage.verdict.off": {"en": "No sticker: **{label}** ({p:.0%}).", "zh": "没有贴纸：**{label}**（{p:.0%}）。"},
    "stickerpage.hint": {
        "en": "In the room: print the sticker (download below), hold it up next to something and take a camera "
              "photo — the model is fooled on paper too.",
        "zh": "现场试试：打印贴纸（下方可下载），把它举到物体旁边，用相机拍一张——纸上的贴纸同样能骗过模型。",
    },
    "stickerpage.missing.sticker": {
        "en": "The shipped sticker is not in this installation (assets/stickers/toaster.png): train one below.",
        "zh": "此安装中没有自带的贴纸（assets/stickers/toaster.png）：请在下方训练一张。",
    },
    "stickerpage.missing.engine": {
        "en": "This installation has no sticker engine (attack/physical/sticker.py); the page cannot work without it.",
        "zh": "此安装中没有贴纸引擎（attack/physical/sticker.py），本页无法使用。",
    },
    # --- the universal noise ---------------------------------------------------------------------
    "stickerpage.noise": {"en": "One noise for every photo", "zh": "一份噪声骗过所有照片"},
    "stickerpage.noise.help": {
        "en": "A universal perturbation: the same faint noise added to any photo changes the model's answer on "
              "most of them.",
        "zh": "通用对抗扰动：把同一份淡淡的噪声加到任何照片上，模型对大多数照片的判断都会改变。",
    },
    "stickerpage.noise.which.shipped": {"en": "The shipped noise (ε = 10)", "zh": "自带的噪声（ε = 10）"},
    "stickerpage.noise.which.trained": {"en": "The noise you trained", "zh": "你训练的噪声"},
    "stickerpage.noise.original": {"en": "Original: {label} ({p:.0%})", "zh": "原图：{label}（{p:.0%}）"},
    "stickerpage.noise.magnified": {
        "en": "The noise ×{factor}, to be seen (ε = {eps:# level|# levels})",
        "zh": "噪声放大 {factor} 倍以便看清（ε = {eps} 级）",
    },
    "stickerpage.noise.result": {"en": "With the noise: {label} ({p:.0%})", "zh": "加噪声后：{label}（{p:.0%}）"},
    "stickerpage.noise.fooled": {"en": "The noise changed the answer.", "zh": "噪声改变了模型的判断。"},
    "stickerpage.noise.kept": {
        "en": "The answer held on this photo: the noise fools most photos, not all.",
        "zh": "这张照片的判断没变：这份噪声能骗过大多数照片，但不是全部。",
    },
    "stickerpage.noise.missing": {
        "en": "The shipped noise is not in this installation (assets/stickers/universal-eps10.png): train one below.",
        "zh": "此安装中没有自带的噪声（assets/stickers/universal-eps10.png）：请在下方训练一份。",
    },
    # --- training ---------------------------------------------------------------------------------
    "stickerpage.train": {"en": "Train your own", "zh": "训练你自己的"},
    "stickerpage.train.kind": {"en": "What to train", "zh": "训练什么"},
    "stickerpage.train.kind.sticker": {"en": "A sticker", "zh": "贴纸"},
    "stickerpage.train.kind.noise": {"en": "A universal noise", "zh": "通用噪声"},
    "stickerpage.train.target": {"en": "The sticker's class", "zh": "贴纸的目标类别"},
    "stickerpage.train.eps": {"en": "ε of the noise (levels out of 255)", "zh": "噪声的 ε（0–255 中的级数）"},
    "stickerpage.train.steps": {"en": "Steps", "zh": "步数"},
    "stickerpage.train.photos": {"en": "Your photos to train on (at most {n})", "zh": "用于训练的照片（最多 {n} 张）"},
    "stickerpage.train.data": {
        "en": "Trains on {train:# photo|# photos}; success is measured on {held:# photo|# photos} it never sees.",
        "zh": "用 {train} 张照片训练；成功率在另外 {held} 张它从没见过的照片上测量。",
    },
    "stickerpage.train.budget": {
        "en": "At most {steps:# step|# steps} and {seconds} s of the shared worker's time.",
        "zh": "最多 {steps} 步、共享计算线程 {seconds} 秒。",
    },
    "stickerpage.train.start": {"en": "Train", "zh": "开始训练"},
    "stickerpage.train.stop": {"en": "Stop (keep the best)", "zh": "停止（保留最好的）"},
    "stickerpage.train.progress": {"en": "Step {step} of {steps}", "zh": "第 {step} 步，共 {steps} 步"},
    "stickerpage.train.curve": {"en": "Success on held-out photos", "zh": "未参与训练的照片上的成功率"},
    "stickerpage.train.step_axis": {"en": "step", "zh": "步"},
    "stickerpage.train.done": {
        "en": "Done after {step:# step|# steps}: the best is kept (held-out success {rate}).",
        "zh": "训练了 {step} 步：已保留最好的结果（未见照片上的成功率 {rate}）。",
    },
    "stickerpage.train.stopped": {
        "en": "Stopped at step {step}: the best so far is kept (held-out success {rate}).",
        "zh": "在第 {step} 步停止：已保留目前最好的结果（未见照片上的成功率 {rate}）。",
    },
    "stickerpage.train.nothing": {"en": "Stopped before the first step: nothing to keep.",
                                  "zh": "在第一步之前就停止了：没有可保留的结果。"},
    "stickerpage.train.emerging": {"en": "The sticker, step {step}", "zh": "第 {step} 步的贴纸"},
    "stickerpage.train.noise_now": {"en": "The noise ×{factor}, step {step}", "zh": "第 {step} 步的噪声（放大 {factor} 倍）"},
    # --- downloads --------------------------------------------------------------------------------
    "stickerpage.download.sticker": {"en": "Sticker (PNG)", "zh": "贴纸（PNG）"},
    "stickerpage.download.sheet": {"en": "Printable sheet (PDF)", "zh": "打印页（PDF）"},
    "stickerpage.download.noise": {"en": "Noise (PNG)", "zh": "噪声（PNG）"},
    # --- bounds (app/sticker/bounds.py), shown with app.i18n.error_text ----------------------------
    "error.stickerpage.area": {"en": "The sticker's size must be between {low}% and {high}% of the photo.",
                               "zh": "贴纸大小必须在照片面积的 {low}% 到 {high}% 之间。"},
    "error.stickerpage.angle": {"en": "The rotation must be between {low}° and {high}°.",
                                "zh": "旋转角度必须在 {low}° 到 {high}° 之间。"},
    "error.stickerpage.position": {"en": "The sticker's position must lie inside the photo.",
                                   "zh": "贴纸的位置必须在照片之内。"},
    "error.stickerpage.steps": {"en": "The number of training steps must be from {low} to {high}.",
                                "zh": "训练步数必须在 {low} 到 {high} 之间。"},
    "error.stickerpage.epsilon": {"en": "The noise's ε must be from {low} to {high} (levels out of 255).",
                                  "zh": "噪声的 ε 必须在 {low} 到 {high} 级之间。"},
    "error.stickerpage.uploads": {"en": "At most {limit} photos can be used for training; {count} were given.",
                                  "zh": "最多只能用 {limit} 张照片训练，你提供了 {count} 张。"},
}
