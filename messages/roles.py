"""Messages about the two roles (app/roles.py): the operator who started the server, and the audience."""

MESSAGES = {
    "roles.signed_in": {"en": "Signed in as the operator for this session.",
                        "zh": "本次会话已作为运行者登录。"},
    "roles.refused": {"en": "That sign-in link was not recognised.", "zh": "无法识别这个登录链接。"},
}
