"""The words of the one-page report, its confidence chart and the attack animation (attack/render/).

Method titles are the short names the report's fact strip and the batch index print; the lab's
longer method names with their hints are in messages/lab.py.
"""

MESSAGES = {
    # Report header.
    "report.headline": {"en": "{original} → {final} ({probability})",
                        "zh": "{original} → {final}（{probability}）"},
    "report.not_fooled": {"en": "{original}: not fooled yet ({probability})",
                          "zh": "{original}：尚未被骗过（{probability}）"},
    "report.targeted": {"en": "Targeted attack toward “{target}”, stopping at {stop_at} confidence",
                        "zh": "定向攻击，目标“{target}”，置信度达到 {stop_at} 即停止"},
    "report.untargeted": {"en": "Untargeted attack: any wrong class, stopping when “{original}” drops to {stop_at}",
                          "zh": "非定向攻击：任何错误类别均可，“{original}”降到 {stop_at} 即停止"},
    # The three panels.
    "report.original": {"en": "Original", "zh": "原图"},
    "report.perturbation": {"en": "Perturbation × {factor}", "zh": "扰动 × {factor}"},
    "report.adversarial": {"en": "Adversarial", "zh": "对抗样本"},
    "report.clean_top3": {"en": "clean image, top-3", "zh": "原图的前三名"},
    "report.saved_top3": {"en": "saved PNG, top-3", "zh": "保存的 PNG 的前三名"},
    "report.amplified": {"en": "δ = adversarial − original, shown as 128 + {factor} · δ",
                         "zh": "δ = 对抗样本 − 原图，显示为 128 + {factor} · δ"},
    "report.grey": {"en": "mid-grey: unchanged pixel", "zh": "中灰色：像素未改变"},
    "report.changed": {"en": "L∞ {linf} of 255 levels · {changed} of pixels changed",
                       "zh": "L∞ 为 {linf}/255 级 · {changed} 的像素被修改"},
    # The confidence chart (also the animation's).
    "report.curve": {"en": "Confidence at each step", "zh": "每一步的置信度"},
    "report.step": {"en": "step", "zh": "步数"},
    "report.queries": {"en": "queries (the attack never looked inside the model)",
                       "zh": "查询次数（攻击从未查看模型内部）"},
    "report.probability": {"en": "probability", "zh": "概率"},
    "report.target_line": {"en": "target: {name}", "zh": "目标：{name}"},
    "report.original_line": {"en": "original: {name}", "zh": "原类别：{name}"},
    "report.stop_line": {"en": "stop at {p}", "zh": "停止阈值 {p}"},
    # The fact strip.
    "report.model": {"en": "Model", "zh": "模型"},
    "report.method": {"en": "Method", "zh": "方法"},
    "report.epsilon": {"en": "ε (pixel levels)", "zh": "ε（像素级）"},
    "report.l0": {"en": "L0 (pixels changed)", "zh": "L0（被改动的像素）"},
    "report.steps": {"en": "Steps", "zh": "步数"},
    "report.query_count": {"en": "Queries", "zh": "查询次数"},
    "report.time": {"en": "Time", "zh": "用时"},
    "report.seconds": {"en": "{s} s", "zh": "{s} 秒"},
    "report.linf": {"en": "L∞", "zh": "L∞"},
    "report.l2": {"en": "L2", "zh": "L2"},
    "report.psnr": {"en": "PSNR", "zh": "PSNR"},
    "report.ssim": {"en": "SSIM", "zh": "SSIM"},
    "report.verified": {"en": "Verified on the saved PNG", "zh": "已在保存的 PNG 上验证"},
    "report.yes": {"en": "yes", "zh": "是"},
    "report.no": {"en": "no", "zh": "否"},
    "report.footer": {"en": "Adversarial Lab · every number after the attack is measured on the saved 8-bit PNG",
                      "zh": "Adversarial Lab · 攻击后的所有数字均在保存的 8 位 PNG 上测得"},
    # Method titles (attack.render.text.method_title); names stay as they are in Chinese.
    "report.method.gradient-ascent": {"en": "Gradient ascent", "zh": "梯度上升"},
    "report.method.fgsm": {"en": "FGSM", "zh": "FGSM"},
    "report.method.bim": {"en": "BIM", "zh": "BIM"},
    "report.method.pgd": {"en": "PGD", "zh": "PGD"},
    "report.method.mi-fgsm": {"en": "MI-FGSM", "zh": "MI-FGSM"},
    "report.method.apgd": {"en": "APGD", "zh": "APGD"},
    "report.method.deepfool": {"en": "DeepFool", "zh": "DeepFool"},
    "report.method.cw-l2": {"en": "C&W L2", "zh": "C&W L2"},
    "report.method.square": {"en": "Square (black-box)", "zh": "Square（黑盒）"},
    "report.method.jsma": {"en": "JSMA (L0)", "zh": "JSMA (L0)"},
    # The animation's frames.
    "animation.image": {"en": "adversarial image", "zh": "对抗样本"},
    "animation.heatmap": {"en": "|δ|, mean per patch", "zh": "|δ|（每个小块的平均值）"},
    "animation.step": {"en": "step {step} of {last}", "zh": "第 {step} 步，共 {last} 步"},
    "animation.query": {"en": "query {step} of {last}", "zh": "第 {step} 次查询，共 {last} 次"},
    # {n:g}: the level count as the animation always wrote it (4, not 4.0).
    "animation.levels": {"en": "{n:# level|# levels}", "zh": "{n:g} 级"},
}
