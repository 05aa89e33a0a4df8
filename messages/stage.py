"""On stage (issue 18): the verdict of a failed run, the checks that follow the verdict, the uploader's
own hint in the page's language, tutorial mode's sidebar and act ②'s headline."""

MESSAGES = {
    "stage.result.failure": {
        "en": "Not fooled yet: after {last:# step|# steps} the saved PNG is still read as **{label}** ({p:.1%}).",
        "zh": "还没骗过：{last} 步之后，保存的 PNG 仍被识别为 **{label}**（{p:.1%}）。",
    },
    "stage.result.failure_queries": {
        "en": "Not fooled yet: after a query count of {last} the saved PNG is still read as **{label}** ({p:.1%}).",
        "zh": "还没骗过：查询 {last} 次之后，保存的 PNG 仍被识别为 **{label}**（{p:.1%}）。",
    },
    "stage.result.kept_step": {
        "en": "The result is step {step}, the closest to the goal.",
        "zh": "结果取最接近目标的第 {step} 步。",
    },
    "stage.tip.no_epsilon": {
        "en": "{method} ignores ε: allow more steps, or try PGD or APGD.",
        "zh": "{method} 不使用 ε：允许更多步数，或者换用 PGD 或 APGD。",
    },
    "stage.checks.skipped_stopped": {
        "en": "No survival checks: the run was stopped before it fooled the model, so there is nothing to survive.",
        "zh": "不做存活检验：攻击在骗过模型之前就被停止了，也就谈不上“挺过去”。",
    },
    "stage.checks.skipped_plain": {
        "en": "No survival checks: the attack did not fool the model, so there is nothing to survive.",
        "zh": "不做存活检验：这次攻击没有骗过模型，也就谈不上“挺过去”。",
    },
    "stage.checks.pending": {
        "en": "Checking whether the result survives JPEG, resizing and other models… (this fills in by itself)",
        "zh": "正在检验结果能否挺过 JPEG、缩放和其他模型……（完成后自动显示）",
    },
    "stage.upload.hint": {
        "en": "Drag and drop a file here · PNG, JPEG, WebP, BMP, GIF or TIFF · at most {mb} MB",
        "zh": "把文件拖到这里 · PNG、JPEG、WebP、BMP、GIF 或 TIFF · 最大 {mb} MB",
    },
    "stage.upload.button": {"en": "Upload", "zh": "上传"},
    "stage.upload.limit": {
        "en": "A file over {mb} MB is refused by the uploader itself (with a red mark and a short English note).",
        "zh": "超过 {mb} MB 的文件会被上传框直接拒绝（显示红色标记和一句英文提示）。",
    },
    "stage.tutorial.sidebar": {
        "en": "Tutorial mode runs its own methods (the tutorial's gradient ascent, then {method}) at the "
              "tutorial's ε of 1.275 levels; only the model and the target above apply.",
        "zh": "教程模式使用它自己的方法（教程的梯度上升，然后是 {method}），ε 固定为教程的 1.275 级；"
              "只有上面的模型和目标会生效。",
    },
    "stage.saved.below_goal_top": {
        "en": "Saved as an 8-bit PNG and read back, “{target}” falls from {memory:.1%} to **{saved:.1%}**: still "
              "the file's top answer, but below the {goal:.0%} goal the run reached in memory — the tutorial's "
              "failure, reproduced.",
        "zh": "存成 8 位 PNG 再读回后，“{target}”从 {memory:.1%} 跌到 **{saved:.1%}**：它仍是文件的第一答案，"
              "但已低于内存中达到的 {goal:.0%} 目标——教程的失败，在此重现。",
    },
    "stage.saved.below_goal_lost": {
        "en": "Saved as an 8-bit PNG and read back, “{target}” falls from {memory:.1%} to **{saved:.1%}**, below "
              "the {goal:.0%} goal, and the file is read as “{top}” — the tutorial's failure, reproduced.",
        "zh": "存成 8 位 PNG 再读回后，“{target}”从 {memory:.1%} 跌到 **{saved:.1%}**，低于 {goal:.0%} 的目标，"
              "文件被识别为“{top}”——教程的失败，在此重现。",
    },
    "stage.live.heat_caption": {"en": "{title}: {low}–{high:# level|# levels}", "zh": "{title}：{low}–{high} 级"},
}
