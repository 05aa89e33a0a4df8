"""Messages of the lab's tutorial mode and of the watchable replay (English / 简体中文)."""

MESSAGES = {
    "tutorial.mode": {"en": "What to show", "zh": "展示内容"},
    "tutorial.mode.lab": {"en": "Free lab", "zh": "自由实验"},
    "tutorial.mode.tutorial": {"en": "The tutorial, in three acts", "zh": "原教程，分三幕重现"},
    "tutorial.mode.help": {
        "en": "The tutorial's own experiment end to end: its slow method, the saved file that no longer "
              "fools the model, and the fix.",
        "zh": "完整重现原教程的实验：它缓慢的方法、存盘后不再奏效的图片，以及修正的办法。",
    },
    "tutorial.title": {"en": "The tutorial, in three acts", "zh": "原教程，分三幕重现"},
    "tutorial.intro": {
        "en": "The tutorial this lab grew out of turned a pig into a “toaster” with plain gradient ascent on the "
              "target's probability: **{steps:# step|# steps}, about {hours} hours, {p:.2%}** on {model}. Its readers then "
              "found that the saved picture no longer fools the model. Here is the whole story on **{image}**.",
        "zh": "本实验室源自的那篇教程，用对目标概率的朴素梯度上升把一头猪变成了“烤面包机”：在 {model} 上"
              "**{steps:,} 步、约 {hours} 小时、{p:.2%}**。读者随后发现：存下来的图片再也骗不过模型。"
              "下面用 **{image}** 把整个故事重演一遍。",
    },
    "tutorial.goal": {
        "en": "Target **{target}** · ε = 0.01 on [-1, 1] (1.275 pixel levels) · stop at {stop:.0%} · {model}",
        "zh": "目标 **{target}** · ε = 0.01（[-1, 1] 尺度，即 1.275 个像素级）· {stop:.0%} 即停止 · {model}",
    },
    "tutorial.lr": {"en": "Learning rate (on [-1, 1])", "zh": "学习率（[-1, 1] 尺度）"},
    "tutorial.lr.rule": {"en": "by the rule", "zh": "按规则"},
    "tutorial.lr.help": {
        "en": "The tutorial's update is x ← x + lr·∇p. “By the rule” takes the first gradient and sets "
              "lr = p₀ / ({n} · ‖∇p₀‖²), so the first step raises log p by 1/{n}: the same pace on every photo. "
              "The tutorial itself used 0.1 on InceptionV3.",
        "zh": "教程的更新是 x ← x + lr·∇p。“按规则”根据第一次的梯度设定 lr = p₀ / ({n} · ‖∇p₀‖²)，"
              "使第一步让 log p 增加 1/{n}：每张照片节奏相同。原教程在 InceptionV3 上用的是 0.1。",
    },
    "tutorial.act1": {"en": "① The tutorial's method", "zh": "① 运行教程的方法"},
    "tutorial.act1.help": {
        "en": "Gradient ascent on the target's softmax probability, on a float image as the tutorial's numpy "
              "array was, until 60 % in memory.",
        "zh": "对目标的 softmax 概率做梯度上升，像教程的 numpy 数组那样在浮点图像上进行，直到内存中达到 60 %。",
    },
    "tutorial.act2": {"en": "② Save as the tutorial did", "zh": "② 像教程那样保存"},
    "tutorial.act2.help": {
        "en": "Round to 8 bits, write the PNG, read it back through the normal input path and classify it.",
        "zh": "取整到 8 位，写出 PNG，再经正常的输入流程读回并分类。",
    },
    "tutorial.act3": {"en": "③ Fix it", "zh": "③ 修正它"},
    "tutorial.act3.help": {
        "en": "The same target and ε with the 8-bit-safe method ({method}): every step is rounded onto the "
              "8-bit grid before the model looks, so what succeeds is a file.",
        "zh": "同样的目标和 ε，改用 8 位安全的方法（{method}）：每一步在模型看到之前都先取整到 8 位网格，"
              "所以成功的就是文件本身。",
    },
    "tutorial.act2.first": {"en": "Run act ① first.", "zh": "请先运行第 ① 幕。"},
    "tutorial.act3.first": {"en": "Save in act ② first.", "zh": "请先完成第 ② 幕的保存。"},
    "tutorial.act1.header": {"en": "Act ① — the tutorial's method, live", "zh": "第 ① 幕——教程的方法，实时运行"},
    "tutorial.act2.header": {"en": "Act ② — saved as the tutorial did", "zh": "第 ② 幕——像教程那样保存"},
    "tutorial.act3.header": {"en": "Act ③ — the fix", "zh": "第 ③ 幕——修正"},
    "tutorial.why.p": {"en": "“{target}” in memory", "zh": "内存中“{target}”"},
    "tutorial.why.gradient": {"en": "Largest |∂p/∂x|", "zh": "最大 |∂p/∂x|"},
    "tutorial.why.move": {"en": "Largest pixel move", "zh": "最大像素改动"},
    "tutorial.why.move.value": {"en": "{levels:# level|# levels}", "zh": "{levels} 级"},
    "tutorial.why.slow": {
        "en": "**Why so slow?** The cost is the probability itself, and while p is tiny its gradient is tiny too "
              "(∇p = p · ∇log p): this step moves the most-changed pixel by {levels} of a level, where ε allows "
              "1.275. As p grows its gradient grows with it, and the run speeds up at the end.",
        "zh": "**为什么这么慢？** 代价就是概率本身；p 很小时，它的梯度也很小（∇p = p · ∇log p）："
              "这一步改动最大的像素只动了 {levels} 级，而 ε 允许 1.275 级。p 变大后梯度随之变大，运行在最后才加速。",
    },
    "tutorial.lr.used": {"en": "lr = {lr} ({how})", "zh": "lr = {lr}（{how}）"},
    "tutorial.lr.by_rule": {"en": "chosen by the rule", "zh": "按规则选定"},
    "tutorial.lr.by_hand": {"en": "set by hand", "zh": "手动设定"},
    "tutorial.act1.reached": {
        "en": "“{target}” reached {p:.1%} **in memory** at step {step:,} ({seconds:.1f} s, {lr}). "
              "The tutorial needed {steps:# step|# steps} and about {hours} hours.",
        "zh": "“{target}”在**内存中**于第 {step:,} 步达到 {p:.1%}（{seconds:.1f} 秒，{lr}）。"
              "原教程用了 {steps:,} 步、约 {hours} 小时。",
    },
    "tutorial.act1.missed": {
        "en": "“{target}” got to {p:.1%} in memory at best (step {step:,} of {last:,}; {lr}). "
              "Try another learning rate — the rule's is a good start.",
        "zh": "“{target}”在内存中最高只到 {p:.1%}（第 {step:,} 步，共 {last:,} 步；{lr}）。换个学习率试试——规则给出的是不错的起点。",
    },
    "tutorial.stopped": {
        "en": "Stopped at step {last:,}; keeping step {step:,}, the closest to the goal.",
        "zh": "已在第 {last:,} 步停止；保留最接近目标的第 {step:,} 步。",
    },
    "tutorial.gradient.title": {"en": "Largest |∂p/∂x| per step", "zh": "每步最大 |∂p/∂x|"},
    "tutorial.gradient.name": {"en": "|∂p/∂x|, [-1, 1] scale", "zh": "|∂p/∂x|，[-1, 1] 尺度"},
    "tutorial.curve.title": {"en": "Probability (float image)", "zh": "概率（浮点图像）"},
    "tutorial.memory": {"en": "In memory", "zh": "内存中"},
    "tutorial.saved": {"en": "Saved PNG, read back", "zh": "保存的 PNG，读回后"},
    "tutorial.saved.top1": {"en": "The file's top-1", "zh": "文件的第一名"},
    "tutorial.drop": {"en": "{points:+.1f} points", "zh": "{points:+.1f} 个百分点"},
    "tutorial.saved.verdict.lost": {
        "en": "Saved as an 8-bit PNG and read back, “{target}” falls from {memory:.1%} to **{saved:.1%}**: "
              "the tutorial's famous failure, reproduced.",
        "zh": "存成 8 位 PNG 再读回后，“{target}”从 {memory:.1%} 跌到 **{saved:.1%}**：教程那个著名的失败，在此重现。",
    },
    "tutorial.saved.verdict.kept": {
        "en": "Saved as an 8-bit PNG and read back, “{target}” is at {saved:.1%} (in memory {memory:.1%}): "
              "this time the rounding happened to spare it. It usually does not — try another photo.",
        "zh": "存成 8 位 PNG 再读回后，“{target}”为 {saved:.1%}（内存中 {memory:.1%}）：这次取整碰巧没有破坏它。"
              "通常不会这么幸运——换张照片试试。",
    },
    "tutorial.saved.why": {
        "en": "Why: rounding to 8 bits moves every value by up to half a level, while the whole change was at "
              "most 1.275 levels — and the model had been looking at the un-rounded image all along.",
        "zh": "原因：取整到 8 位会让每个数值移动至多半个级，而整个改动最多只有 1.275 级——模型此前一直看的是未取整的图像。",
    },
    "tutorial.table.what": {"en": "Measure", "zh": "项目"},
    "tutorial.table.tutorial": {"en": "The tutorial", "zh": "原教程"},
    "tutorial.table.here": {"en": "Here", "zh": "本实验室"},
    "tutorial.table.model": {"en": "Model", "zh": "模型"},
    "tutorial.table.steps": {"en": "Steps", "zh": "步数"},
    "tutorial.table.time": {"en": "Time", "zh": "耗时"},
    "tutorial.table.hours": {"en": "about {hours} hours", "zh": "约 {hours} 小时"},
    "tutorial.table.seconds": {"en": "{seconds:.1f} s", "zh": "{seconds:.1f} 秒"},
    "tutorial.table.memory": {"en": "“{target}” in memory", "zh": "内存中“{target}”"},
    "tutorial.table.saved": {"en": "“{target}” after saving", "zh": "保存后“{target}”"},
    "tutorial.table.not_reported": {"en": "not measured (readers: no longer fooled)",
                                    "zh": "未测量（读者发现：不再奏效）"},
    "tutorial.download": {"en": "The tutorial's PNG", "zh": "教程方法的 PNG"},
    "tutorial.download.fixed": {"en": "The fixed PNG", "zh": "修正后的 PNG"},
    "tutorial.fix.success": {
        "en": "{method}, same target and ε: **{p:.1%}** “{target}” on its saved PNG, read back — after "
              "{steps:# step|# steps} ({seconds:.1f} s).",
        "zh": "{method}，同样的目标和 ε：保存的 PNG 读回后“{target}”为 **{p:.1%}**——只用了 {steps:,} 步（{seconds:.1f} 秒）。",
    },
    "tutorial.fix.failure": {
        "en": "{method}, same target and ε: {p:.1%} “{target}” on its saved PNG after {steps:# step|# steps} — not there yet "
              "on this photo; a larger ε in the free lab will do it.",
        "zh": "{method}，同样的目标和 ε：{steps:,} 步后保存的 PNG 上“{target}”为 {p:.1%}——这张照片还不够；"
              "在自由实验中把 ε 调大即可。",
    },
    "tutorial.fix.compare": {"en": "Fixed PNG, read back", "zh": "修正后的 PNG，读回后"},
    "tutorial.short.saved": {"en": "Tutorial's PNG", "zh": "教程的 PNG"},
    "tutorial.short.fixed": {"en": "Fixed PNG", "zh": "修正后的 PNG"},
    "tutorial.fix.why": {
        "en": "The fix attacks the image the model will actually get: each step is rounded onto the 8-bit grid "
              "before the model looks, so the success it reports belongs to the file you save.",
        "zh": "修正的办法是攻击模型真正会拿到的图像：每一步在模型看之前都先取整到 8 位网格，所以它报告的成功就属于你保存的文件。",
    },
    "tutorial.other_image": {
        "en": "The acts below were run on {name}; press ① to start again on this image.",
        "zh": "下面几幕是在 {name} 上运行的；按 ① 在当前图像上重新开始。",
    },
    "tutorial.principles.link": {"en": "See the tutorial's whole story, in three acts, in the lab",
                                 "zh": "在实验室里分三幕看原教程的完整故事"},
    # --- watchable replay of fast runs ---
    "playback.toggle": {"en": "Replay fast runs slowly", "zh": "慢速回放快速运行"},
    "playback.toggle.help": {
        "en": "A run that ends in under {seconds:g} s is played back from its own recorded steps at about "
              "{pace:# step|# steps} a second (nothing is recomputed). On by default in presenter mode.",
        "zh": "不到 {seconds:g} 秒就结束的运行，会按其自身记录的步骤以每秒约 {pace:g} 步回放（不重新计算）。演示模式下默认开启。",
    },
    "playback.skip": {"en": "Skip", "zh": "跳过"},  # beside the progress bar, where "Stop" stands during a run
    "playback.skip.help": {"en": "Skip the replay and show the result now.", "zh": "跳过回放，立即显示结果。"},
    "playback.progress": {
        "en": "Replay of the recorded run: step {step} of {total} (about {pace:# step|# steps} a second)",
        "zh": "回放已记录的运行：第 {step} 步，共 {total} 步（每秒约 {pace:g} 步）",
    },
}
