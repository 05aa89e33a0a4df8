"""Pictures of a finished attack, drawn with Pillow (no browser needed).

- `style`: colours and type sizes, shared with the app's plotly figures (app/figures.py).
- `text`: the words (from the `messages` catalogue), percentages, method and model titles.
- `fonts`: finding a TrueType font offline, CJK-capable for Chinese.
- `draw`: small Pillow primitives (colours, fitting text and pictures, a ✓/✗ badge).
- `chart`: the confidence curve of a run, with a movable step marker.
- `report`: the one-page PNG report (`render_report`) and its `headline`.
- `animation`: the animated GIF of a run (`render_gif`).

Import the module you need (`from attack.render.report import render_report`); this file imports nothing.
"""
