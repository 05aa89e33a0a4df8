"""Message catalogues, one module per page: MESSAGES = {key: {"en": ..., "zh": ...}}."""
