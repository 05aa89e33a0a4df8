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
# Report and animation (Pillow) extras; sizes are pixels at a 1800 px wide report.
GRID = "#e6e6e6"  # chart gridlines
MUTED_TEXT = "#6b6b6b"  # axis ticks, captions, fact labels
PANEL = "#f4f5f7"  # backgrounds of fact cells and bars
FONT_SIZES = {"headline": 54, "subtitle": 26, "title": 30, "body": 24, "small": 20, "value": 30}
