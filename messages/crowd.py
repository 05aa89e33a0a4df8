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
}
