"""One source of truth for colours and names shared by the app's plotly figures and the reports."""

TARGET = "#d62728"  # target-class probability: red, the "alarm" colour
ORIGINAL = "#1f77b4"  # original-class probability: blue
NEUTRAL = "#7f7f7f"
ACCENT = "#ff7f0e"
SUCCESS = "#2ca02c"
FAILURE = "#d62728"
BACKGROUND = "#ffffff"
TEXT = "#222222"
HEATMAP = "Inferno"  # |δ| heatmaps (plotly colorscale name); signed views use "RdBu"
SIGNED_HEATMAP = "RdBu"
FONT = "DejaVu Sans, Noto Sans CJK SC, sans-serif"
