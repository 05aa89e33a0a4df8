"""The plotly figures (app/figures.py): built in one go, in the house style, saying the right things."""
from __future__ import annotations

import math

import numpy as np

from app import figures
from attack.datatypes import StepRecord
from attack.running.history import RunHistory
from attack.datatypes import Prediction


def test_top5_bars_colour_the_target_and_the_original():
    predictions = tuple(Prediction(i, f"class {i}", p) for i, p in zip((3, 859, 7, 1, 2), (0.5, 0.2, 0.1, 0.1, 0.1)))
    fig = figures.top5_bars(predictions, names=[p.label for p in predictions], target=859, original=3, title="now")
    bars = fig.data[0]
    assert list(bars.x) == [p.probability for p in predictions]
    assert bars.marker.color[0] == figures.style.ORIGINAL and bars.marker.color[1] == figures.style.TARGET
    assert fig.layout.xaxis.gridcolor == figures.AXIS["gridcolor"]  # plotly_white's look, without the template
    assert fig.layout.template.layout.to_plotly_json() == {}


def test_heatmap_is_pooled_and_scaled_to_epsilon():
    delta = np.zeros((400, 600, 3), np.int16)
    delta[:200] = 2
    fig = figures.heatmap(delta, epsilon=2, title="δ")
    z = np.asarray(fig.data[0].z)
    assert max(z.shape) <= figures.HEATMAP_SIDE
    assert z.max() == 2 and z.min() == 0 and fig.data[0].zmax == 2


def test_cost_curve_draws_the_stop_line_and_the_marker():
    history = RunHistory()
    image = np.zeros((8, 8, 3), np.uint8)
    top5 = tuple(Prediction(i, f"class {i}", 0.2) for i in range(5))
    for step, p in enumerate((0.01, 0.3, 0.95)):
        history.add(StepRecord(step, math.log(p), p, 1 - p, top5, image, image, 0.1, 0.05 * step, p >= 0.9))
    fig = figures.cost_curve(history, target_label="toaster", original_label="hog", stop_at=0.9, marker_step=1)
    assert [trace.name for trace in fig.data[:2]] == ["toaster", "hog"]
    assert fig.layout.shapes[0].y0 == 0.9  # the stop-at line
    assert list(fig.data[2].x) == [1, 1]  # the marker at step 1, on both curves
    assert fig.layout.yaxis.tickformat == ".0%"
