"""Messages of the shared attack worker's line (app/crowd.py)."""
MESSAGES = {
    "crowd.queue": {
        "en": "Many people are attacking right now: you are **number {position}** in line (about {seconds} s "
              "to wait). Your attack starts by itself; Stop leaves the line.",
        "zh": "现在有很多人在同时攻击：你排在第 **{position}** 位（大约还要等 {seconds} 秒）。"
              "轮到你时攻击会自动开始；按“停止”即可离开队列。",
    },
    "crowd.busy": {
        "en": "The server is full right now ({waiting} waiting in line). Please press Attack again in a minute.",
        "zh": "服务器现在已满（{waiting} 人在排队）。请一分钟后再按“攻击”。",
    },
    "crowd.budget.seconds": {
        "en": "This run reached the server's time limit for one run ({seconds} s of its computing time), so "
              "it ended there; the step closest to the goal is kept. Press Attack again to go on from the start.",
        "zh": "这次运行用完了服务器给单次运行的时间（{seconds} 秒计算时间），因此在此结束；保留了最接近目标的一步。"
              "再按“攻击”可以重新开始。",
    },
    "crowd.budget.steps": {
        "en": "This run reached its budget of {steps:# step|# steps}; the step closest to the goal is kept.",
        "zh": "这次运行达到了 {steps} 步的上限；保留了最接近目标的一步。",
    },
    "crowd.limits": {
        "en": "On this shared server each run may use up to {seconds} s of computing time and {steps:# step|# steps}; "
              "runs take turns when many people attack at once.",
        "zh": "在这台共享服务器上，每次运行最多使用 {seconds} 秒计算时间和 {steps} 步；很多人同时攻击时大家轮流计算。",
    },
}
