"""Messages of the attack lab page (English / 简体中文)."""

MESSAGES = {
    "lab.loading_engine": {"en": "Loading TensorFlow and the attack engine…", "zh": "正在加载 TensorFlow 和攻击引擎……"},
    "lab.loading_model": {"en": "Loading {model}…", "zh": "正在加载 {model}……"},
    "lab.tagline": {
        "en": "Drop in a photo, pick an absurd target, press Attack — and watch a change too small to see "
              "turn the model's answer upside down, one gradient step at a time.",
        "zh": "拖入一张照片，选一个离谱的目标类别，按下“攻击”——看一个肉眼几乎看不见的改动，如何一步一步地让模型彻底改口。",
    },
    "lab.controls": {"en": "Attack settings", "zh": "攻击设置"},
    "lab.preset.tutorial": {"en": "Tutorial", "zh": "教程设置"},
    "lab.preset.tutorial.help": {
        "en": "Tutorial: gradient ascent, ε = 0.01 on [-1, 1] (1.275 levels), stop at 60 %. "
              "Faithful to the original tutorial — slow and fragile on purpose.",
        "zh": "教程：梯度上升，ε = 0.01（[-1, 1] 尺度，即 1.275 个像素级），60 % 即停止。忠实于原教程——刻意保留它的慢与脆弱。",
    },
    "lab.preset.fast": {"en": "Fast, 8-bit-safe", "zh": "快速稳妥"},
    "lab.preset.fast.help": {
        "en": "Fast and 8-bit-safe: PGD, ε = 2 pixel levels, stop at 90 %. Usually fools the model in seconds, "
              "and the saved PNG fools it too.",
        "zh": "快速且 8 位安全：PGD，ε = 2 个像素级，90 % 即停止。通常几秒内骗过模型，保存下来的 PNG 同样有效。",
    },
    "lab.model": {"en": "Model", "zh": "模型"},
    "lab.model.help": {
        "en": "The image classifier to fool. Bundled models work offline; the others need their weights file.",
        "zh": "要欺骗的图像分类器。内置模型可离线使用；其余模型需要先准备权重文件。",
    },
    "lab.model.unavailable": {"en": "{count:# more model needs|# more models need} weights", "zh": "另有 {count} 个模型缺少权重"},
    "lab.method": {"en": "Method", "zh": "攻击方法"},
    "lab.method.help": {
        "en": "How each step changes the pixels. APGD is a good default; gradient ascent is the tutorial's method.",
        "zh": "每一步如何修改像素。APGD 是稳妥的默认选择；梯度上升是原教程的方法。",
    },
    "lab.method.gradient-ascent": {"en": "Gradient ascent (tutorial)", "zh": "梯度上升（教程）"},
    "lab.method.fgsm": {"en": "FGSM", "zh": "FGSM"},
    "lab.method.bim": {"en": "BIM", "zh": "BIM"},
    "lab.method.pgd": {"en": "PGD", "zh": "PGD"},
    "lab.method.mi-fgsm": {"en": "MI-FGSM", "zh": "MI-FGSM"},
    "lab.method.apgd": {"en": "APGD (Auto-PGD)", "zh": "APGD（自适应 PGD）"},
    "lab.method.deepfool": {"en": "DeepFool", "zh": "DeepFool"},
    "lab.method.cw-l2": {"en": "Carlini–Wagner L2", "zh": "Carlini–Wagner L2"},
    "lab.method.square": {"en": "Square Attack (black-box)", "zh": "Square 攻击（黑盒）"},
    "lab.method.jsma": {"en": "JSMA (few pixels, L0)", "zh": "JSMA（少量像素，L0）"},
    "lab.method.gradient-ascent.summary": {
        "en": "The tutorial's method: nudge pixels along the gradient of the target's probability.",
        "zh": "原教程的方法：沿目标类别概率的梯度方向轻推像素。",
    },
    "lab.method.fgsm.summary": {
        "en": "Fast gradient sign: a single step of size ε in the direction that raises the loss.",
        "zh": "快速梯度符号法：朝损失上升的方向走一步，步长为 ε。",
    },
    "lab.method.bim.summary": {
        "en": "Iterated FGSM: many small sign-gradient steps, kept inside the ε box.",
        "zh": "迭代版 FGSM：许多小的符号梯度步，始终限制在 ε 范围内。",
    },
    "lab.method.pgd.summary": {
        "en": "Projected gradient descent: BIM from a random point in the ε box (seeded).",
        "zh": "投影梯度下降：从 ε 范围内的随机点（由种子决定）出发的 BIM。",
    },
    "lab.method.mi-fgsm.summary": {
        "en": "Momentum iterative FGSM: steps follow an average of past gradients, steadier and more transferable.",
        "zh": "动量迭代 FGSM：每一步沿过往梯度的平均方向，更稳定，也更容易迁移到其他模型。",
    },
    "lab.method.apgd.summary": {
        "en": "Auto-PGD: PGD with momentum that halves its own step size when progress stalls (AutoAttack).",
        "zh": "自适应 PGD：带动量的 PGD，进展停滞时自动把步长减半（AutoAttack 的方法）。",
    },
    "lab.method.deepfool.summary": {
        "en": "DeepFool: steps to the nearest decision boundary (untargeted, smallest L2 change).",
        "zh": "DeepFool：走向最近的决策边界（无目标攻击，L2 改动最小）。",
    },
    "lab.method.cw-l2.summary": {
        "en": "Carlini–Wagner: the smallest L2 change that flips the decision, found with Adam.",
        "zh": "Carlini–Wagner：用 Adam 优化器寻找能改变判断的最小 L2 改动。",
    },
    "lab.method.square.summary": {
        "en": "Square Attack: tries random ±ε squares and keeps those that lower the model's confidence, "
              "using nothing but its answers.",
        "zh": "Square 攻击：随机尝试 ±ε 的小方块，保留让模型更不确定的那些，只用到模型给出的回答。",
    },
    "lab.method.jsma.summary": {
        "en": "JSMA: changes a few pixels all the way to black or white, where the saliency map says they matter most (L0).",
        "zh": "JSMA：只改少量像素，但一改到底（变成全黑或全白），挑的是显著图认为最关键的位置（L0）。",
    },
    "lab.black_box": {
        "en": "Black-box: this attack never looks inside the model — it only sends images and reads the probabilities. "
              "The step budget counts queries.",
        "zh": "黑盒攻击：从不查看模型内部——只发送图像、读取返回的概率。步数上限按查询次数计算。",
    },
    "lab.epsilon.not_used": {
        "en": "ε does not apply to JSMA: it limits how many pixels change (L0), and each change goes all the way "
              "to 0 or 255.",
        "zh": "ε 对 JSMA 不适用：它限制的是改动的像素个数（L0），每个被改的值都直接变为 0 或 255。",
    },
    "lab.target": {"en": "Target class", "zh": "目标类别"},
    "lab.target.help": {
        "en": "What the model should say afterwards. Type to search the 1000 ImageNet classes, "
              "or choose “untargeted” to accept any wrong answer.",
        "zh": "攻击后希望模型给出的答案。输入文字即可搜索 1000 个 ImageNet 类别；选“无目标”则任何错误答案都算成功。",
    },
    "lab.target.untargeted": {"en": "untargeted (any wrong class)", "zh": "无目标（任何错误类别）"},
    "lab.target.untargeted_only": {
        "en": "{method} is untargeted only: it pushes the image over the nearest boundary, wherever that leads.",
        "zh": "{method} 只能做无目标攻击：它把图像推过最近的决策边界，结果是哪一类就是哪一类。",
    },
    "lab.target.needs_target": {
        "en": "{method} needs a target class; attacking toward {target}. Pick another target above.",
        "zh": "{method} 需要一个目标类别；现在以 {target} 为目标。可在上方另选目标。",
    },
    "lab.epsilon": {"en": "ε — largest change per pixel (levels of 255)", "zh": "ε——每个像素的最大改动（255 级中的级数）"},
    "lab.epsilon.help": {
        "en": "No colour value may move more than ε levels out of 255. 2 is invisible to the eye; "
              "1.275 is the tutorial's 0.01 on its [-1, 1] scale.",
        "zh": "任何颜色值的改动都不超过 ε 级（共 255 级）。2 级肉眼完全看不出；1.275 对应原教程在 [-1, 1] 尺度上的 0.01。",
    },
    "lab.epsilon.below_one": {
        "en": "ε below 1 level: an 8-bit image cannot change by less than one level, so the saved PNG will equal "
              "the original and no attack can succeed.",
        "zh": "ε 小于 1 级：8 位图像的最小改动就是 1 级，保存的 PNG 将与原图完全相同，任何攻击都无法成功。",
    },
    "lab.step.auto": {"en": "auto", "zh": "自动"},
    "lab.step.fgsm": {"en": "FGSM takes one step of size ε; there is no step size to choose.",
                      "zh": "FGSM 只走一步，步长就是 ε，无需设置。"},
    "lab.step.learning-rate": {"en": "Learning rate ([-1, 1] scale)", "zh": "学习率（[-1, 1] 尺度）"},
    "lab.step.learning-rate.help": {
        "en": "The tutorial used 0.1 on InceptionV3. On EfficientNet-Lite the probability's gradient is tiny "
              "(~10⁻⁶ per level), so it needs about 1000: with ε = 4 the espresso becomes a toaster in 17 steps. "
              "At the tutorial's ε = 1.275 it stalls near 37 %; above ~10⁵ the steps overshoot.",
        "zh": "原教程在 InceptionV3 上用的是 0.1。EfficientNet-Lite 上概率的梯度极小（每级约 10⁻⁶），大约需要 1000："
              "ε = 4 时 17 步就能把咖啡照片变成烤面包机。在原教程的 ε = 1.275 下会停滞在 37 % 左右；超过约 10⁵ 则步子过大、来回振荡。",
    },
    "lab.step.levels": {"en": "Step size (pixel levels)", "zh": "步长（像素级）"},
    "lab.step.levels.help": {
        "en": "How far each step moves a pixel. “auto” uses ε/4 (at least 0.25). Bigger is faster but coarser.",
        "zh": "每一步像素移动的幅度。“自动”取 ε/4（至少 0.25）。越大越快，但越粗糙。",
    },
    "lab.step.initial": {"en": "First step size (pixel levels)", "zh": "初始步长（像素级）"},
    "lab.step.initial.help": {
        "en": "APGD's first step; it halves the step on its own whenever progress stalls. “auto” uses ε/4 (at least 0.25).",
        "zh": "APGD 的第一步步长；之后每当进展停滞，它会自动把步长减半。“自动”取 ε/4（至少 0.25）。",
    },
    "lab.step.adam": {"en": "Adam learning rate", "zh": "Adam 学习率"},
    "lab.step.adam.help": {
        "en": "Carlini–Wagner's optimiser step in tanh space; “auto” is 0.1.",
        "zh": "Carlini–Wagner 在 tanh 空间中的优化步长；“自动”为 0.1。",
    },
    "lab.step.overshoot": {"en": "Overshoot", "zh": "越界系数"},
    "lab.step.overshoot.help": {
        "en": "How far DeepFool steps past the boundary it aims at; “auto” is 0.02.",
        "zh": "DeepFool 越过目标边界的幅度；“自动”为 0.02。",
    },
    "lab.step.square": {"en": "Square size (share of the image)", "zh": "方块大小（占图像的比例）"},
    "lab.step.square.help": {
        "en": "How much of the image the first squares cover; they shrink as queries add up (the paper's schedule). "
              "“auto” is 0.05.",
        "zh": "最初的方块覆盖图像的比例；随着查询次数增加逐渐缩小（论文中的调度）。“自动”为 0.05。",
    },
    "lab.step.pairs": {"en": "Pixel pairs per step", "zh": "每步修改的像素对数"},
    "lab.step.pairs.help": {
        "en": "How many pairs of (pixel, colour) JSMA changes before looking at the gradients again. "
              "Fewer: smaller L0 but slower. “auto” is 8.",
        "zh": "JSMA 每次重新计算梯度之前修改多少对（像素，颜色通道）。越少 L0 越小，但越慢。“自动”为 8。",
    },
    "lab.max_steps": {"en": "Max steps", "zh": "最大步数"},
    "lab.max_steps.help": {
        "en": "The attack gives up after this many steps. The tutorial needed 3,070.",
        "zh": "超过这个步数攻击就放弃。原教程用了 3,070 步。",
    },
    "lab.stop_at": {"en": "Stop at confidence", "zh": "达到此置信度即停止"},
    "lab.stop_at.help": {
        "en": "Success means the model is this sure of the target (untargeted: this unsure of the original). "
              "The tutorial stopped at 0.60.",
        "zh": "成功的标准：模型对目标类别的把握达到该值（无目标攻击：对原类别的把握降到 1 减该值以下）。原教程为 0.60。",
    },
    "lab.seed": {"en": "Seed", "zh": "随机种子"},
    "lab.seed.help": {"en": "Fixes PGD's random start, so a run can be repeated exactly.",
                      "zh": "固定 PGD 的随机起点，使每次运行结果完全可复现。"},
    "lab.seed.fixed": {"en": "Presenter mode: seed fixed at 0, so the demo repeats exactly.",
                       "zh": "演示模式：随机种子固定为 0，演示可完全重现。"},
    "lab.present": {"en": "Presenter mode", "zh": "演示模式"},
    "lab.present.help": {
        "en": "Large type for a projector, settings tucked away, one big Attack button, fixed seed. "
              "Also with ?present=1 in the link.",
        "zh": "适合投影的大字号，设置收起，一个大大的“攻击”按钮，随机种子固定。也可在链接中加 ?present=1。",
    },
    "lab.share": {"en": "Share these settings", "zh": "分享当前设置"},
    "lab.share.help": {"en": "This link reopens the lab with this sample and every setting.",
                       "zh": "打开此链接即可恢复当前示例图片和全部设置。"},
    "lab.share.upload": {"en": "Uploaded images stay in your browser session and are not part of the link.",
                         "zh": "上传的图片只保存在你的浏览器会话中，不会包含在链接里。"},
    "lab.share.ignored": {"en": "Some link parameters were not understood or out of range and were ignored: {names}.",
                          "zh": "链接中有些参数无法识别或超出范围，已忽略：{names}。"},
    "lab.input": {"en": "Image", "zh": "图片"},
    "lab.input.change": {"en": "Change image", "zh": "换一张图片"},
    "lab.upload": {"en": "Drop your own image", "zh": "拖入你自己的图片"},
    "lab.upload.help": {"en": "PNG, JPEG, WebP, BMP, GIF or TIFF, up to 25 MB. Large images are scaled to 1024 px.",
                        "zh": "支持 PNG、JPEG、WebP、BMP、GIF、TIFF，最大 25 MB。大图会缩小到 1024 像素。"},
    "lab.upload.private": {"en": "Uploads are decoded in memory and never written to disk.",
                           "zh": "上传的图片只在内存中解码，绝不写入磁盘。"},
    "lab.upload.kept_sample": {"en": "The image below is still the sample you chose before.",
                               "zh": "下面显示的仍是你之前选择的示例图片。"},
    "lab.samples": {"en": "…or pick a sample", "zh": "……或选一张示例图片"},
    "lab.chosen": {"en": "{name} — {w} × {h} px", "zh": "{name}——{w} × {h} 像素"},
    "lab.top5_now": {"en": "What {model} sees now", "zh": "{model} 现在的判断"},
    "lab.goal.now": {"en": "The model says **{label}** ({p:.0%}).", "zh": "模型认为这是 **{label}**（{p:.0%}）。"},
    "lab.goal.targeted": {"en": "Goal: make it say **{label}**.", "zh": "目标：让它说成 **{label}**。"},
    "lab.goal.untargeted": {"en": "Goal: make it say anything but **{label}**.",
                            "zh": "目标：让它说成 **{label}** 以外的任何东西。"},
    "lab.goal.settings": {"en": "{method} · ε = {eps:g} · up to {steps:# step|# steps} · stop at {stop:.0%}",
                          "zh": "{method} · ε = {eps:g} · 最多 {steps} 步 · {stop:.0%} 即停止"},
    "lab.goal.settings_queries": {"en": "{method} · ε = {eps:g} · up to {steps:# query|# queries} · stop at {stop:.0%}",
                                  "zh": "{method} · ε = {eps:g} · 最多查询 {steps} 次 · {stop:.0%} 即停止"},
    "lab.goal.settings_l0": {"en": "{method} · up to {steps:# step|# steps} · stop at {stop:.0%}",
                             "zh": "{method} · 最多 {steps} 步 · {stop:.0%} 即停止"},
    "lab.goal.already": {"en": "The model already says the target; pick another target.",
                         "zh": "模型的答案已经是目标类别了，请换一个目标。"},
    "lab.attack": {"en": "Attack", "zh": "攻击"},
    "lab.log_scale": {"en": "Log scale", "zh": "对数坐标"},
    "lab.log_scale.help": {"en": "Shows tiny probabilities (the tutorial's method starts near 10⁻⁶).",
                           "zh": "显示极小的概率（原教程的方法起步时接近 10⁻⁶）。"},
    "lab.signed": {"en": "Signed change", "zh": "带符号的改动"},
    "lab.signed.help": {"en": "Red: pixels made brighter; blue: darker (mean over the colour channels).",
                        "zh": "红色：像素变亮；蓝色：变暗（三个颜色通道的平均）。"},
    "lab.stop": {"en": "Stop", "zh": "停止"},
    "lab.stop.help": {"en": "End the attack now and keep every step computed so far.",
                      "zh": "立即结束攻击，保留已经算出的每一步。"},
    "lab.stopped.nothing": {"en": "Stopped before the first step.", "zh": "在第一步之前就停止了。"},
    "lab.result.other_image": {"en": "The last attack was on {name}; press Attack to attack this image.",
                               "zh": "上一次攻击的是 {name}；按“攻击”来攻击这张图片。"},
    "lab.result": {"en": "Result", "zh": "结果"},
    "lab.result.stopped": {"en": "Stopped at step {step}. Every step computed so far is kept below.",
                           "zh": "在第 {step} 步停止。已算出的每一步都保留在下面。"},
    "lab.result.stopped.best": {"en": "Stopped at step {last}. The result is step {step}, the closest to the goal; "
                                      "every step computed so far is kept below.",
                                "zh": "在第 {last} 步停止。结果取最接近目标的第 {step} 步；已算出的每一步都保留在下面。"},
    "lab.result.success": {
        "en": "Fooled: the {original} is now a **{label}** ({p:.1%}) after {steps:# step|# steps} in {seconds:.1f} s, "
              "changing no value by more than {eps:# level|# levels}. Verified on the saved PNG.",
        "zh": "成功骗过模型：{original} 现在被认成了 **{label}**（{p:.1%}），用了 {steps} 步、{seconds:.1f} 秒，"
              "每个值的改动都不超过 {eps:g} 级。已在保存的 PNG 上验证。",
    },
    "lab.result.success_queries": {
        "en": "Fooled without looking inside the model: the {original} is now a **{label}** ({p:.1%}). "
              "Query count: {steps}, in {seconds:.1f} s; no value changed by more than {eps:# level|# levels}. "
              "Verified on the saved PNG.",
        "zh": "没有查看模型内部就骗过了它：{original} 现在被认成了 **{label}**（{p:.1%}）。查询次数：{steps}，"
              "用时 {seconds:.1f} 秒；每个值的改动都不超过 {eps:g} 级。已在保存的 PNG 上验证。",
    },
    "lab.result.success_l0": {
        "en": "Fooled: the {original} is now a **{label}** ({p:.1%}) after {steps:# step|# steps} in {seconds:.1f} s, "
              "changing only {pixels:,} of {total:,} pixels ({share:.2%}), each as far as it goes. "
              "Verified on the saved PNG.",
        "zh": "成功骗过模型：{original} 现在被认成了 **{label}**（{p:.1%}），用了 {steps} 步、{seconds:.1f} 秒，"
              "只改动了 {total:,} 个像素中的 {pixels:,} 个（{share:.2%}），每个都改到底。已在保存的 PNG 上验证。",
    },
    "lab.result.failure": {
        "en": "Not fooled yet: after {steps:# step|# steps} the saved PNG is still read as **{label}** ({p:.1%}).",
        "zh": "还没骗过：{steps} 步之后，保存的 PNG 仍被识别为 **{label}**（{p:.1%}）。",
    },
    "lab.result.failure_queries": {
        "en": "Not fooled yet: after a query count of {steps} the saved PNG is still read as **{label}** ({p:.1%}).",
        "zh": "还没骗过：查询 {steps} 次之后，保存的 PNG 仍被识别为 **{label}**（{p:.1%}）。",
    },
    "lab.result.below_stop": {
        "en": "Almost: after {steps:# step|# steps} the saved PNG is read as **{label}**, but only at {p:.1%} — "
              "below the {stop:.0%} you asked for.",
        "zh": "差一点：{steps} 步之后，保存的 PNG 已被识别为 **{label}**，但只有 {p:.1%}，低于你要求的 {stop:.0%}。",
    },
    "lab.result.below_stop_untargeted": {
        "en": "Almost: after {steps:# step|# steps} the saved PNG is read as **{label}**, but the model still gives "
              "**{original}** {p:.1%} — more than the {left:.0%} you allowed.",
        "zh": "差一点：{steps} 步之后，保存的 PNG 已被识别为 **{label}**，但模型仍给 **{original}** {p:.1%}，"
              "高于你允许的 {left:.0%}。",
    },
    "lab.tip.stop_at": {"en": "Or lower “Stop at confidence”.", "zh": "或者调低“达到此置信度即停止”。"},
    "lab.tip.epsilon": {"en": "Try a larger ε.", "zh": "试试更大的 ε。"},
    "lab.tip.steps": {"en": "Allow more steps.", "zh": "允许更多步数。"},
    "lab.tip.method": {"en": "Try another method (PGD or MI-FGSM).", "zh": "换一种方法试试（PGD 或 MI-FGSM）。"},
    "lab.tip.gradient_ascent": {
        "en": "Gradient ascent stalls where the target's probability is ~0; a learning rate near 1000 with ε = 4, "
              "or PGD, helps.",
        "zh": "目标概率接近 0 时梯度上升几乎停滞；把学习率设为 1000 左右并把 ε 调到 4，或改用 PGD，会有帮助。",
    },
    "lab.result.original": {"en": "Original", "zh": "原图"},
    "lab.result.amplified": {"en": "Perturbation × {factor:.0f}", "zh": "扰动 × {factor:.0f}"},
    "lab.result.amplified.help": {
        "en": "The change, made visible: 128 + {factor:.0f} · δ. Grey means untouched.",
        "zh": "把改动放大后显示：128 + {factor:.0f} · δ。灰色表示没有改动。",
    },
    "lab.result.adversarial": {"en": "Adversarial", "zh": "对抗样本"},
    "lab.result.verified": {"en": "Predictions measured on the downloadable PNG, read back from its bytes.",
                            "zh": "预测结果是对可下载的 PNG 文件重新读取后测得的。"},
    "lab.metric.steps": {"en": "Steps", "zh": "步数"},
    "lab.metric.queries": {"en": "Queries", "zh": "查询次数"},
    "lab.metric.queries.help": {"en": "How many times the attack asked the model for its probabilities.",
                                "zh": "攻击向模型索取概率的次数。"},
    "lab.metric.seconds": {"en": "Time", "zh": "耗时"},
    "lab.metric.linf.help": {"en": "Largest change of any colour value, in levels of 255.",
                             "zh": "任一颜色值的最大改动（255 级中的级数）。"},
    "lab.metric.l2.help": {"en": "Size of the whole change (square root of the sum of squares, in levels).",
                           "zh": "整体改动的大小（各改动平方和的平方根，单位为级）。"},
    "lab.metric.l0.help": {"en": "Share of pixels that changed at all.", "zh": "有任何改动的像素所占比例。"},
    "lab.metric.l0_pixels.help": {"en": "Pixels that changed at all, and their share of the image: what JSMA keeps small.",
                                  "zh": "有任何改动的像素个数及其占比：JSMA 要尽量减少的量。"},
    "lab.metric.psnr.help": {"en": "Peak signal-to-noise ratio; above 40 dB the change is invisible.",
                             "zh": "峰值信噪比；高于 40 dB 时改动肉眼不可见。"},
    "lab.metric.ssim.help": {"en": "Structural similarity; 1 means identical to the eye.",
                             "zh": "结构相似度；1 表示视觉上完全相同。"},
    "lab.metric.steps.help": {"en": "Gradient steps taken.", "zh": "执行的梯度步数。"},
    "lab.metric.seconds.help": {"en": "Attack computation time, drawing excluded.",
                                "zh": "攻击计算耗时，不含绘图时间。"},
    "lab.result.timing": {
        "en": "Wall time {wall:.1f} s with {redraws:# live redraw|# live redraws}; drawing took {share:.0%} of it.",
        "zh": "总耗时 {wall:.1f} 秒，实时重绘 {redraws} 次；绘图占其中 {share:.0%}。",
    },
    "lab.replay": {"en": "Replay", "zh": "回放"},
    "lab.replay.step": {"en": "Step", "zh": "步"},
    "lab.replay.help": {"en": "Images are kept for {kept} of {total:# step|# steps}; every step's numbers are kept.",
                        "zh": "{total} 步中保留了 {kept} 步的图像；每一步的数值都完整保留。"},
    "lab.download.png": {"en": "Adversarial PNG", "zh": "对抗样本 PNG"},
    "lab.download.png.help": {"en": "Exactly the file whose predictions are shown above.",
                              "zh": "正是上面显示预测结果的那个文件。"},
    "lab.download.delta": {"en": "Perturbation PNG", "zh": "扰动 PNG"},
    "lab.download.json": {"en": "Run as JSON", "zh": "运行记录 JSON"},
    "lab.live.progress": {
        "en": "Step {step} / {total} · {rate:.1f} steps/s · best {goal}: {best:.1%}",
        "zh": "第 {step} / {total} 步 · 每秒 {rate:.1f} 步 · {goal} 最高：{best:.1%}",
    },
    "lab.live.progress_queries": {
        "en": "Queries {step} / {total} · {rate:.1f} queries/s · best {goal}: {best:.1%}",
        "zh": "查询 {step} / {total} 次 · 每秒 {rate:.1f} 次 · {goal} 最高：{best:.1%}",
    },
    "lab.live.any_other": {"en": "any other class", "zh": "任意其他类别"},
    "lab.live.image": {"en": "Adversarial image at step {step}", "zh": "第 {step} 步的对抗图像"},
    "lab.live.heatmap": {"en": "|δ| per pixel", "zh": "每个像素的 |δ|"},
    "lab.live.heatmap_signed": {"en": "δ per pixel (signed)", "zh": "每个像素的 δ（带符号）"},
    "lab.live.levels": {"en": "levels", "zh": "级"},
    "lab.live.top5": {"en": "Top-5 now", "zh": "当前前五名"},
    "lab.live.curve": {"en": "Probability per step", "zh": "每一步的概率"},
    "lab.live.curve_queries": {"en": "Probability per query — this attack never looks inside the model",
                               "zh": "每次查询后的概率——这种攻击从不查看模型内部"},
    "lab.live.queries": {"en": "queries", "zh": "查询次数"},
    "lab.download.report": {"en": "Report figure (PNG)", "zh": "报告图（PNG）"},
    "lab.download.report.help": {
        "en": "Original, amplified perturbation and adversarial image with their predictions, the probability curve "
              "and the facts — 1800 px wide, ready for a report or a slide.",
        "zh": "原图、放大后的扰动和对抗图像及各自的预测、概率曲线和关键数据——宽 1800 像素，可直接放进报告或幻灯片。"},
    "lab.download.gif": {"en": "Animation (GIF)", "zh": "动画（GIF）"},
    "lab.download.gif.help": {"en": "The attack step by step: image, perturbation heatmap and curve. Takes a few seconds.",
                              "zh": "逐步展示攻击过程：图像、扰动热图和曲线。生成需要几秒钟。"},
    "lab.checks.title": {"en": "Does it survive? Does it fool other models?", "zh": "经过常见处理后还有效吗？能骗过其他模型吗？"},
    "lab.checks.tab": {"en": "Does it survive?", "zh": "还有效吗？"},
    "lab.downloads": {"en": "Downloads", "zh": "下载"},
    "lab.checks.running": {"en": "Checking JPEG, resizing, defences and other models…",
                           "zh": "正在检查 JPEG、缩放、防御方法和其他模型……"},
}
