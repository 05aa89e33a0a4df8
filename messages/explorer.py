MESSAGES = {
    # --- the checks panel (app/checks_panel.py), also shown on the lab page ---
    "checks.title": {"en": "Does it survive?", "zh": "它能挺过去吗？"},
    "checks.summary": {"en": "Still read as {label} after {passed} of {total:# change|# changes}",
                       "zh": "{total} 种处理中，有 {passed} 种处理后仍被认成{label}"},
    "checks.summary_untargeted": {"en": "No longer read as {label} after {passed} of {total:# change|# changes}",
                                  "zh": "{total} 种处理中，有 {passed} 种处理后仍不再被认成{label}"},
    "checks.help": {
        "en": "Each row changes the adversarial image the way the world (or a defence) would, then asks the "
              "model again. “Still fooled?” says yes when the target is still the model's top answer — however "
              "unsure the model is; the probability columns show how sure (untargeted: yes when the original "
              "class is no longer the top answer).",
        "zh": "每一行都像现实世界（或某种防御）那样处理对抗图像，然后再问一次模型。只要目标类别仍是模型的第一答案，"
              "“仍被骗？”就为“是”——不论模型有多不确定；概率列显示它有多确定（无目标攻击：原类别不再是第一答案即为“是”）。"},
    "checks.skipped": {
        "en": "No survival checks: the attack did not fool the model, so there is nothing to survive. "
              "Make it succeed first (see the tips above).",
        "zh": "不做存活检验：这次攻击没有骗过模型，也就谈不上“挺过去”。请先让攻击成功（见上面的建议）。"},
    "checks.col.ok": {"en": "Still fooled?", "zh": "仍被骗？"},
    "checks.col.ok.help": {"en": "Yes when {label} is still the model's top answer, at whatever probability.",
                           "zh": "只要{label}仍是模型的第一答案就为“是”，不论概率高低。"},
    "checks.col.ok.help_untargeted": {"en": "Yes when {label} is no longer the model's top answer.",
                                      "zh": "只要{label}不再是模型的第一答案就为“是”。"},
    "checks.yes": {"en": "✓ yes", "zh": "✓ 是"},
    "checks.no": {"en": "✗ no", "zh": "✗ 否"},
    "checks.col.check": {"en": "Change", "zh": "处理"},
    "checks.defence_help": {"en": "🛡 marks a deliberate defence (the book's chapter 8); the rest happen to "
                                  "images every day.",
                            "zh": "🛡 表示专门的防御手段（书中第 8 章）；其余是图片日常会经历的处理。"},
    "checks.col.target": {"en": "{label}: probability", "zh": "{label}的概率"},
    "checks.col.original": {"en": "{label}: probability", "zh": "{label}的概率"},
    "checks.col.top1": {"en": "Model's top answer now", "zh": "模型现在的第一答案"},
    "check.png": {"en": "Saved as PNG", "zh": "保存为 PNG"},
    "check.jpeg95": {"en": "JPEG quality 95", "zh": "JPEG 质量 95"},
    "check.jpeg75": {"en": "JPEG quality 75", "zh": "JPEG 质量 75"},
    "check.jpeg50": {"en": "JPEG quality 50", "zh": "JPEG 质量 50"},
    "check.half": {"en": "Half size and back", "zh": "缩小一半再放大"},
    "check.blur": {"en": "Slight blur", "zh": "轻微模糊"},
    "check.rotate": {"en": "Rotated 3°", "zh": "旋转 3°"},
    "check.noise": {"en": "Gaussian noise (σ 4)", "zh": "高斯噪声（σ 4）"},
    "check.median": {"en": "Median filter 3×3", "zh": "中值滤波 3×3"},
    "check.bilateral": {"en": "Bilateral filter 5×5", "zh": "双边滤波 5×5"},
    "check.squeeze": {"en": "4-bit colour (squeezing)", "zh": "4 位色深（特征压缩）"},
    "check.jpeg_defence": {"en": "JPEG re-compression 75", "zh": "JPEG 重新压缩 75"},
    "transfer.title": {"en": "Does it fool other models?", "zh": "能骗过其他模型吗？"},
    "transfer.line": {"en": "{verdict}; top 3: {top3}", "zh": "{verdict}，前三名：{top3}"},
    "transfer.fooled": {"en": "fooled", "zh": "被骗了"},
    "transfer.not_fooled": {"en": "not fooled", "zh": "没被骗"},
    "transfer.clean": {"en": "On the clean photo: {label} ({p})", "zh": "原图上：{label}（{p}）"},
    "transfer.none": {"en": "No other model is available offline.", "zh": "离线状态下没有其他可用模型。"},
    "transfer.rate": {"en": "Fools {fooled} of {total:# other model|# other models}", "zh": "骗过 {fooled} / {total} 个其他模型"},
    # --- the explorer page ---
    "explorer.title": {"en": "Robustness explorer", "zh": "鲁棒性探索"},
    "explorer.intro": {
        "en": "Would the attack survive being posted online? Does it fool other models? What would defend "
              "against it? Run a plain attack and a robust one side by side and find out.",
        "zh": "攻击在图片发到网上之后还有效吗？能骗过其他模型吗？什么能防住它？"
              "把普通攻击和鲁棒攻击并排运行，一看便知。"},
    "explorer.image": {"en": "Image", "zh": "图像"},
    "explorer.sample": {"en": "Sample photo", "zh": "示例照片"},
    "explorer.upload": {"en": "…or upload your own", "zh": "……或上传你自己的图片"},
    "explorer.working_size": {"en": "Working size (longest side, px)", "zh": "处理尺寸（最长边，像素）"},
    "explorer.working_size_help": {
        "en": "Attacks run on a copy this size so they finish in seconds on a laptop CPU.",
        "zh": "攻击在缩放到该尺寸的副本上运行，这样在笔记本电脑 CPU 上几秒即可完成。"},
    "explorer.target": {"en": "Target class (empty: any wrong class)", "zh": "目标类别（留空：任意错误类别）"},
    "explorer.target_help": {"en": "A class name or index, e.g. toaster or 859.",
                             "zh": "类别名称或编号，例如 toaster 或 859。"},
    "explorer.target_is": {"en": "Target: {label}", "zh": "目标：{label}"},
    "explorer.untargeted": {"en": "Untargeted: any wrong class will do.", "zh": "无目标：任意错误类别都行。"},
    "explorer.method": {"en": "Method", "zh": "方法"},
    "explorer.max_steps": {"en": "Step budget", "zh": "步数上限"},
    "explorer.stop_at": {"en": "Stop at confidence", "zh": "达到该置信度即停止"},
    "explorer.plain": {"en": "Plain attack", "zh": "普通攻击"},
    "explorer.robust": {"en": "Robust attack (EOT)", "zh": "鲁棒攻击（EOT）"},
    "explorer.epsilon": {"en": "ε (pixel levels out of 255)", "zh": "ε（像素级，共 255 级）"},
    "explorer.eot_samples": {"en": "Random transformations per step", "zh": "每步随机变换次数"},
    "explorer.eot_help": {
        "en": "Expectation over transformation: each step averages the gradient over this many random "
              "JPEG / resize / blur / rotation / noise draws. More draws: steadier, slower.",
        "zh": "变换期望（EOT）：每一步都对这么多次随机的 JPEG / 缩放 / 模糊 / 旋转 / 噪声变换求平均梯度。"
              "次数越多越稳定，也越慢。"},
    "explorer.ensemble": {"en": "Also attack model", "zh": "同时攻击模型"},
    "explorer.ensemble_none": {"en": "none", "zh": "无"},
    "explorer.ensemble_help": {
        "en": "An ensemble attack fools two models at once; the image then transfers better to others.",
        "zh": "集成攻击同时欺骗两个模型，这样生成的图像更容易迁移到其他模型。"},
    "explorer.tab.compare": {"en": "Plain vs robust", "zh": "普通 vs 鲁棒"},
    "explorer.tab.sweep": {"en": "ε sweep", "zh": "ε 扫描"},
    "explorer.run": {"en": "Run both attacks", "zh": "运行两种攻击"},
    "explorer.running": {"en": "{which}: step {step} of at most {budget}", "zh": "{which}：第 {step} 步（最多 {budget} 步）"},
    "explorer.checking": {"en": "Checking transformations and other models…", "zh": "正在检验各种变换和其他模型……"},
    "explorer.nothing_yet": {"en": "Choose an image and a target, then press “Run both attacks”.",
                             "zh": "选择图像和目标，然后点击“运行两种攻击”。"},
    "explorer.result": {
        "en": "{verdict} in {steps:# step|# steps}, {seconds:.1f} s · L∞ {linf:.0f} · PSNR {psnr}",
        "zh": "{verdict}，用了 {steps} 步、{seconds:.1f} 秒 · L∞ {linf:.0f} · PSNR {psnr}"},
    "explorer.success": {"en": "Fooled", "zh": "成功欺骗"},
    "explorer.failure": {"en": "Not fooled yet", "zh": "尚未骗过"},
    "explorer.says": {"en": "The model says: {label} ({p})", "zh": "模型认为：{label}（{p}）"},
    "explorer.clean": {"en": "Clean photo: {label} ({p})", "zh": "原图：{label}（{p}）"},
    "explorer.download": {"en": "Download PNG", "zh": "下载 PNG"},
    "explorer.tradeoff": {
        "en": "Robust: {steps_r:# step|# steps} vs {steps_p}, L∞ {linf_r:.0f} vs {linf_p:.0f}, "
              "still fooled after {passed_r} vs {passed_p} of {total:# change|# changes}.",
        "zh": "鲁棒攻击：{steps_r} 步 vs {steps_p} 步，L∞ {linf_r:.0f} vs {linf_p:.0f}，"
              "{total} 种处理中仍被骗的：{passed_r} 种 vs {passed_p} 种。"},
    "explorer.tradeoff.skipped": {"en": "(– : that attack failed, so there was nothing to check.)",
                                  "zh": "（–：该攻击没有成功，因此无需检验。）"},
    "explorer.sweep_levels": {"en": "ε levels (comma-separated)", "zh": "ε 取值（用逗号分隔）"},
    "explorer.sweep_robust": {"en": "Use the robust attack's settings", "zh": "使用鲁棒攻击的设置"},
    "explorer.sweep_run": {"en": "Run sweep", "zh": "开始扫描"},
    "explorer.stop": {"en": "Stop", "zh": "停止"},
    "explorer.sweep_progress": {"en": "ε = {eps:g}: {done} of {total:# level|# levels} done",
                                "zh": "ε = {eps:g}：已完成 {done} / {total} 个取值"},
    "explorer.sweep_done": {"en": "Sweep finished: {done} of {total:# level|# levels}.", "zh": "扫描完成：{done} / {total} 个取值。"},
    "explorer.sweep_partial": {"en": "Stopped after {done} of {total:# level|# levels}.", "zh": "已在完成 {done} / {total} 个取值后停止。"},
    "explorer.sweep_empty": {"en": "Press “Run sweep” to draw the robustness curve.", "zh": "点击“开始扫描”绘制鲁棒性曲线。"},
    "explorer.sweep_help": {
        "en": "The same attack at each ε: where does it start to work, and how confident does it get? "
              "Below one pixel level no change is possible on an 8-bit image.",
        "zh": "在每个 ε 下运行同一种攻击：从哪里开始奏效？置信度能达到多高？"
              "ε 小于一个像素级时，8 位图像上无法做出任何改动。"},
    "explorer.col.eps": {"en": "ε", "zh": "ε"},
    "explorer.col.success": {"en": "Fooled", "zh": "成功"},
    "explorer.col.steps": {"en": "Steps", "zh": "步数"},
    "explorer.col.seconds": {"en": "Seconds", "zh": "秒"},
    "explorer.col.probability": {"en": "Target probability", "zh": "目标概率"},
    "explorer.col.original": {"en": "Original-class probability", "zh": "原类别概率"},
    "explorer.col.top1": {"en": "Top-1", "zh": "第一名"},
    "explorer.col.linf": {"en": "L∞", "zh": "L∞"},
    "explorer.plot.title": {"en": "Robustness curve", "zh": "鲁棒性曲线"},
    "explorer.plot.x": {"en": "ε (pixel levels, log scale)", "zh": "ε（像素级，对数坐标）"},
    "explorer.plot.y": {"en": "Probability", "zh": "概率"},
    "explorer.plot.success": {"en": "fooled", "zh": "成功"},
    "explorer.plot.failure": {"en": "not fooled", "zh": "失败"},
}
