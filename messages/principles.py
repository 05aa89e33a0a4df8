"""Messages of the "How it works" page (app/pages/principles.py)."""

MESSAGES = {
    "principles.title": {"en": "How it works", "zh": "原理"},
    "principles.intro": {
        "en": "Three ideas from the tutorial this app grew out of, small enough to play with: a classifier "
              "is a boundary; gradient descent finds the way downhill, and flipping its sign (ascent) is how "
              "an attack climbs; and the same loop, run on a photo's pixels, turns a cat into a toaster.",
        "zh": "本应用源自一篇对抗样本入门教程，这里把教程中的三个核心思想做成了可以动手操作的小实验："
              "分类器就是一条边界；梯度下降沿着坡度往下走，把符号反过来（梯度上升）就是攻击往上爬的方式；"
              "同样的循环作用在一张照片的像素上，就能让猫被认成烤面包机。",
    },
    "principles.play": {"en": "▶ Play", "zh": "▶ 播放"},
    # 1. a classifier is a boundary
    "principles.boundary.header": {"en": "1 · A classifier is a boundary", "zh": "1 · 分类器就是一条边界"},
    "principles.boundary.text": {
        "en": "A classifier splits its input space into regions, one per class. Here the input has two numbers "
              "instead of 150,528 pixel values, and two classes: **{a}** (blue) and **{b}** (red). The dashed "
              "line is the boundary a logistic regression just learned from these points. The orange point is "
              "yours: each gradient step moves it in the direction that makes the model *less* sure of its "
              "class, and never further than ε from where it started (the orange box) — exactly what an attack "
              "does to an image, one pixel value per dimension.",
        "zh": "分类器把输入空间划分成若干区域，每个类别一块。这里的输入只有两个数，而不是 150,528 个像素值；"
              "类别也只有两个：**{a}**（蓝色）和 **{b}**（红色）。虚线是逻辑回归刚刚从这些点学到的决策边界。"
              "橙色的点由你来放：每一步梯度更新都把它往让模型*更不确定*其类别的方向推，"
              "但离起点始终不超过 ε（橙色方框）——这正是攻击对图片做的事，只不过图片的每个像素值都是一个维度。",
    },
    "principles.boundary.x": {"en": "Point: x₁", "zh": "点的位置：x₁"},
    "principles.boundary.y": {"en": "Point: x₂", "zh": "点的位置：x₂"},
    "principles.boundary.epsilon": {"en": "ε (half-width of the box)", "zh": "ε（方框的半宽）"},
    "principles.boundary.epsilon_help": {
        "en": "How far each coordinate may move from the start; in the lab, how many levels (out of 255) a "
              "pixel may change.",
        "zh": "每个坐标最多能离开起点多远；在攻击实验室中，它表示每个像素最多能改变多少个亮度级（满分 255）。",
    },
    "principles.boundary.step": {"en": "Step size", "zh": "步长"},
    "principles.boundary.step_help": {
        "en": "How far one gradient step moves the point.",
        "zh": "每一步梯度更新把点移动多远。",
    },
    "principles.boundary.method": {"en": "Steps", "zh": "更新方式"},
    "principles.boundary.method.sign": {"en": "Sign (L∞, like PGD)", "zh": "符号（L∞，同 PGD）"},
    "principles.boundary.method.gradient": {"en": "Along the gradient", "zh": "沿梯度方向"},
    "principles.boundary.click_hint": {
        "en": "Click anywhere on the chart to move the point; ▶ Play replays the steps.",
        "zh": "点击图中任意位置即可移动这个点；点 ▶ 播放 可以逐步回放。",
    },
    "principles.boundary.crossed": {
        "en": "**Crossed in {steps:# step|# steps}:** the point started as “{start}” and the model now says “{other}” "
              "({p} sure), although no coordinate moved more than ε.",
        "zh": "**用 {steps} 步越过了边界**：这个点起初被判为“{start}”，现在模型认为它是“{other}”"
              "（置信度 {p}），而每个坐标的移动都没有超过 ε。",
    },
    "principles.boundary.not_crossed": {
        "en": "**Not crossed** after {steps:# step|# steps}: the point is still “{start}”. The box is too small — from "
              "here the boundary is {needed} away (L∞), but ε is {epsilon}.",
        "zh": "**没有越过边界**：走了 {steps} 步之后，这个点仍然是“{start}”。方框太小了——从这里到边界的 "
              "L∞ 距离是 {needed}，而 ε 只有 {epsilon}。",
    },
    "principles.boundary.facts": {
        "en": "The boundary classifies {accuracy} of the {n} training points correctly. From your point, the "
              "boundary is {distance} away in L∞: any ε above that is enough.",
        "zh": "这条边界能正确分类 {n} 个训练点中的 {accuracy}。从你选的点到边界的 L∞ 距离是 {distance}："
              "只要 ε 比它大，就足以越过边界。",
    },
    "principles.boundary.line": {"en": "boundary", "zh": "决策边界"},
    "principles.boundary.box": {"en": "ε box", "zh": "ε 方框"},
    "principles.boundary.path": {"en": "gradient steps", "zh": "梯度更新路径"},
    # 2. gradient descent and ascent
    "principles.descent.header": {"en": "2 · Gradient descent and ascent", "zh": "2 · 梯度下降与梯度上升"},
    "principles.descent.text": {
        "en": "The tutorial's own example: find the minimum of f(x) = x² + 2. Its slope f′(x) = 2x says which "
              "way is uphill, so each step goes the other way: x ← x − learning rate × f′(x). Start at a random "
              "x between 1 and 10, use a learning rate of 0.1, and repeat while |f(x) − 2| > 0.01 (at most 100 "
              "steps): it arrives in about 20 steps.",
        "zh": "这是教程里的例子：求 f(x) = x² + 2 的最小值。它的斜率 f′(x) = 2x 指出哪个方向是上坡，"
              "所以每一步都朝相反方向走：x ← x − 学习率 × f′(x)。从 1 到 10 之间的一个随机 x 出发，"
              "学习率取 0.1，只要 |f(x) − 2| > 0.01 就继续（最多 100 步）：大约 20 步就能到达最小值。",
    },
    "principles.descent.new_start": {"en": "New random start", "zh": "换一个随机起点"},
    "principles.descent.lr": {"en": "Learning rate", "zh": "学习率"},
    "principles.descent.lr_help": {
        "en": "Below 0.5 the point creeps down one side; between 0.5 and 1 it jumps across the minimum and "
              "back (oscillation); above 1 every jump overshoots more than the last (divergence).",
        "zh": "小于 0.5 时，点从一侧慢慢往下走；在 0.5 和 1 之间，它会在最小值两侧来回跳（振荡）；"
              "大于 1 时，每一跳都比上一跳冲得更远（发散）。",
    },
    "principles.descent.ascent": {"en": "Ascent (flip the sign)", "zh": "梯度上升（把符号反过来）"},
    "principles.descent.ascent_help": {
        "en": "x ← x + learning rate × f′(x): climb instead of descend.",
        "zh": "x ← x + 学习率 × f′(x)：往上爬，而不是往下走。",
    },
    "principles.descent.start": {"en": "Start x₀", "zh": "起点 x₀"},
    "principles.descent.ascent_explained": {
        "en": "Training walks *down* the loss by changing the model's weights. An attack keeps the weights and "
              "walks *up* the loss of the true class (or down that of a chosen target) by changing the input — "
              "the same gradient, with the sign flipped.",
        "zh": "训练是通过修改模型的权重，让损失*下降*。攻击则保持权重不变，通过修改输入，"
              "让正确类别的损失*上升*（或让指定目标类别的损失下降）——用的是同一个梯度，只是符号反了过来。",
    },
    "principles.descent.outcome.converged": {
        "en": "**Converged in {steps:# step|# steps}:** x = {x}, f(x) = {fx} (learning rate {lr}).",
        "zh": "**{steps} 步后收敛**：x = {x}，f(x) = {fx}（学习率 {lr}）。",
    },
    "principles.descent.outcome.oscillating": {
        "en": "**Oscillated, then converged in {steps:# step|# steps}:** with learning rate {lr} each step jumps over "
              "the minimum, so x changes sign every step (x = {x}, f(x) = {fx}).",
        "zh": "**先振荡，{steps} 步后收敛**：学习率为 {lr} 时，每一步都会跳过最小值，所以 x 每步都变号"
              "（x = {x}，f(x) = {fx}）。",
    },
    "principles.descent.outcome.bouncing": {
        "en": "**Still bouncing after {steps:# step|# steps}:** with learning rate {lr} every step jumps to the other "
              "side of the minimum and lands (almost) as far away as it started; x = {x}.",
        "zh": "**走了 {steps} 步仍在来回跳**：学习率为 {lr} 时，每一步都跳到最小值的另一侧，"
              "落点离最小值（几乎）和出发时一样远；x = {x}。",
    },
    "principles.descent.outcome.diverged": {
        "en": "**Diverged after {steps:# step|# steps}:** learning rate {lr} is too large — every jump lands further "
              "from the minimum than the last (x = {x}, f(x) = {fx}).",
        "zh": "**{steps} 步后发散**：学习率 {lr} 太大了——每一跳都比上一跳离最小值更远（x = {x}，f(x) = {fx}）。",
    },
    "principles.descent.outcome.escaped": {
        "en": "**Ascent climbed for {steps:# step|# steps}:** f(x) grew to {fx} (x = {x}). Ascent has no top to reach "
              "here, so it stops once |x| passes 100.",
        "zh": "**梯度上升爬了 {steps} 步**：f(x) 增大到 {fx}（x = {x}）。这个函数没有最高点，"
              "所以一旦 |x| 超过 100 就停止。",
    },
    "principles.descent.outcome.max_steps": {
        "en": "**Still on the way after {steps:# step|# steps}:** learning rate {lr} is so small that x = {x}, "
              "f(x) = {fx} is not yet within 0.01 of the minimum.",
        "zh": "**走了 {steps} 步仍未到达**：学习率 {lr} 太小，x = {x}，f(x) = {fx}，离最小值还差不止 0.01。",
    },
    "principles.descent.col.step": {"en": "step", "zh": "步数"},
    "principles.descent.col.update": {"en": "update ∓lr·f′(x)", "zh": "更新量 ∓lr·f′(x)"},
    # 3. from the toy to the photo
    "principles.photo.header": {"en": "3 · From the toy to the photo", "zh": "3 · 从小实验到真实照片"},
    "principles.photo.text": {
        "en": "A photo is a point too, with one coordinate per pixel value, and an ImageNet classifier draws "
              "boundaries between 1,000 classes in that space. The attack is the loop from above: compute the "
              "gradient of the loss with respect to the pixels, step, clip to the ε box, repeat. Because there "
              "are so many dimensions, a tiny ε in each adds up to a long way across the boundary. The tutorial "
              "did it with plain gradient ascent on InceptionV3; the lab does the same with a smaller model, a "
              "compiled gradient and {method}'s sign steps.",
        "zh": "一张照片也是一个点，每个像素值是一个坐标；ImageNet 分类器就在这个空间里划出 1,000 个类别之间的边界。"
              "攻击就是上面那个循环：计算损失对像素的梯度，走一步，裁剪回 ε 方框，再重复。"
              "由于维度非常多，每个维度上一点点的 ε 累加起来，就足以越过边界。"
              "教程用 InceptionV3 和普通的梯度上升完成了这一过程；攻击实验室用更小的模型、编译好的梯度计算"
              "和 {method} 的符号更新，做的是同一件事。",
    },
    "principles.photo.sample": {"en": "Bundled photo", "zh": "内置示例照片"},
    "principles.photo.sample_name": {"en": "{file} ({label})", "zh": "{file}（{label}）"},
    "principles.photo.measure": {"en": "Measure it now", "zh": "现在就测一次"},
    "principles.photo.running": {
        "en": "Running {method} toward “toaster”…",
        "zh": "正在运行 {method}，目标是“烤面包机”……",
    },
    "principles.photo.tutorial": {"en": "The tutorial", "zh": "教程"},
    "principles.photo.lab": {"en": "This app, just now", "zh": "本应用（刚刚实测）"},
    "principles.photo.model": {"en": "Model", "zh": "模型"},
    "principles.photo.steps": {"en": "Steps", "zh": "步数"},
    "principles.photo.time": {"en": "Time", "zh": "耗时"},
    "principles.photo.hours": {"en": "about {hours} hours on a laptop", "zh": "笔记本电脑上约 {hours} 小时"},
    "principles.photo.seconds": {"en": "{seconds} s", "zh": "{seconds} 秒"},
    "principles.photo.faster": {
        "en": "The same idea, about {times}× faster than the tutorial's two hours.",
        "zh": "同样的原理，比教程的两个小时快了约 {times} 倍。",
    },
    "principles.photo.probability": {"en": "Probability of “{label}”", "zh": "“{label}”的概率"},
    "principles.photo.not_yet": {
        "en": "Press **Measure it now** to run the attack on this machine and fill in this column.",
        "zh": "点击 **现在就测一次**，在这台机器上运行攻击，结果会显示在这一栏。",
    },
    "principles.photo.measured_on": {
        "en": "{method}, ε = {epsilon:# level|# levels} out of 255, on {file}; time is the attack's compute time "
              "(the click took {wall} s in all, loading included).",
        "zh": "{method}，ε = {epsilon}（满分 255 的亮度级），照片为 {file}；耗时为攻击本身的计算时间"
              "（这次点击总共用了 {wall} 秒，含加载）。",
    },
    "principles.photo.before_caption": {
        "en": "Before — the model says “{label}”.",
        "zh": "攻击前——模型认为是“{label}”。",
    },
    "principles.photo.result_caption": {
        "en": "After — the model now says “{label}”.",
        "zh": "攻击后——模型现在认为是“{label}”。",
    },
    "principles.photo.why_faster": {
        "en": "Why so much faster? The tutorial used InceptionV3 (299 × 299 input, about 6 billion multiply-adds "
              "per pass) and small plain-gradient steps. The lab uses EfficientNet-Lite0 (224 × 224, about 0.4 "
              "billion), compiles the gradient once, and {method}'s sign steps move every pixel a full step each time. "
              "The idea is unchanged; try it on your own photo in the lab.",
        "zh": "为什么快这么多？教程用的是 InceptionV3（输入 299 × 299，每次前向约 60 亿次乘加运算），"
              "每一步都是很小的普通梯度更新。攻击实验室用的是 EfficientNet-Lite0（224 × 224，约 4 亿次），"
              "梯度计算只编译一次，而且 {method} 的符号更新每次都让每个像素走满一整步。"
              "原理没有变；去攻击实验室用你自己的照片试试吧。",
    },
    "principles.photo.to_lab": {"en": "Open the attack lab", "zh": "打开攻击实验室"},
}
