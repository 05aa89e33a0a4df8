"""The working-size cap said where it applies: under an uploaded photo that will be scaled, before the run."""

MESSAGES = {
    "lab.chosen.scaled": {
        "en": "{name} — {ow} × {oh} px: attacked and saved at {w} × {h} px (photos are capped at {cap} px a side)",
        "zh": "{name}——{ow} × {oh} 像素：将以 {w} × {h} 像素进行攻击和保存（照片每边最多 {cap} 像素）",
    },
}
