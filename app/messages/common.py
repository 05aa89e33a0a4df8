MESSAGES = {
    "app.title": {"en": "Adversarial Lab", "zh": "对抗样本实验室"},
    "nav.lab": {"en": "Attack lab", "zh": "攻击实验室"},
    "nav.explorer": {"en": "Robustness explorer", "zh": "鲁棒性探索"},
    "nav.principles": {"en": "How it works", "zh": "原理"},
}
