"""The two toys of the "How it works" page, in plain numpy (no TensorFlow, no Streamlit).

1. The tutorial's own gradient-descent example: f(x) = x² + 2, minimised (or, with the sign
   flipped, maximised) one learning-rate step at a time.
2. A classifier is a boundary: logistic regression on two seeded 2-D clouds of points, and a point
   pushed across the boundary by gradient steps that stay inside an ε box around where it started —
   the same loop as the image attacks, with two numbers instead of 150,528.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# --- 1. gradient descent on f(x) = x² + 2 ---------------------------------------------------

MINIMUM = 2.0  # f's lowest value, at x = 0
TOLERANCE = 0.01  # the tutorial stops once |f(x) − 2| ≤ 0.01
MAX_STEPS = 100  # ... or after 100 steps
START_RANGE = (1.0, 10.0)  # the tutorial's random start
ESCAPE = 100.0  # |x| beyond this counts as "ran away" (divergence or ascent): no point going on


def f(x: float) -> float:
    """The tutorial's function f(x) = x² + 2."""
    return x * x + 2.0


def f_prime(x: float) -> float:
    """Its derivative f'(x) = 2x: the slope that tells each step which way is down."""
    return 2.0 * x


@dataclass(frozen=True)
class DescentStep:
    step: int  # updates applied so far (0 = the start)
    x: float
    fx: float
    gradient: float  # f'(x) at this x, used by the next update


@dataclass(frozen=True)
class DescentRun:
    steps: tuple[DescentStep, ...]
    learning_rate: float
    ascent: bool
    outcome: str  # "converged", "diverged", "escaped" (ascent ran off) or "max-steps"

    @property
    def last(self) -> DescentStep:
        return self.steps[-1]

    @property
    def count(self) -> int:
        """Number of updates applied."""
        return self.last.step


def random_start(seed: int) -> float:
    """The tutorial's random starting point in 1…10, reproducible from `seed`."""
    return float(np.random.default_rng(seed).uniform(*START_RANGE))


def descend(start: float, learning_rate: float = 0.1, *, ascent: bool = False,
            tolerance: float = TOLERANCE, max_steps: int = MAX_STEPS) -> DescentRun:
    """Iterate x ← x ∓ lr·f'(x) while |f(x) − 2| > tolerance, for at most `max_steps` updates.

    Descent (−) walks downhill to the minimum; ascent (+) is the same loop with the sign flipped,
    which is all that turns training a model into attacking one. Ascent never reaches the
    minimum, so it (like a diverging descent) stops once |x| passes ESCAPE.
    """
    sign = 1.0 if ascent else -1.0
    x = float(start)
    steps = [DescentStep(0, x, f(x), f_prime(x))]
    outcome = "max-steps"
    while True:
        if not ascent and abs(f(x) - MINIMUM) <= tolerance:
            outcome = "converged"
            break
        if abs(x) > ESCAPE:
            outcome = "escaped" if ascent else "diverged"
            break
        if len(steps) > max_steps:
            break
        x = x + sign * learning_rate * f_prime(x)
        steps.append(DescentStep(len(steps), x, f(x), f_prime(x)))
    return DescentRun(tuple(steps), float(learning_rate), ascent, outcome)


# --- 2. a classifier is a boundary ----------------------------------------------------------

CLASS_CENTRES = ((-1.5, -1.0), (1.5, 1.0))
CLASS_SPREAD = 0.8
POINTS_PER_CLASS = 60
PLANE = (-4.0, 4.0)  # the toy's visible square, both axes
DEFAULT_POINT = (-1.5, -0.8)
DEFAULT_EPSILON = 1.5
DEFAULT_STEP_SIZE = 0.2
PUSH_STEPS = 40  # most steps a push may take


@dataclass(frozen=True)
class ToyData:
    points: np.ndarray  # N × 2 float
    labels: np.ndarray  # N int, 0 or 1


def make_points(seed: int = 0, per_class: int = POINTS_PER_CLASS) -> ToyData:
    """Two Gaussian clouds of 2-D points, one per class, reproducible from `seed`."""
    rng = np.random.default_rng(seed)
    clouds = [rng.normal(centre, CLASS_SPREAD, size=(per_class, 2)) for centre in CLASS_CENTRES]
    labels = np.repeat(np.arange(len(CLASS_CENTRES)), per_class)
    return ToyData(np.concatenate(clouds), labels)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@dataclass(frozen=True)
class LogisticModel:
    """p(class 1 | x) = σ(w·x + b); the boundary is the line w·x + b = 0."""

    weights: np.ndarray  # (2,)
    bias: float

    def logit(self, point) -> float:
        return float(np.dot(self.weights, point) + self.bias)

    def probability(self, point) -> float:
        """p(class 1) at `point`."""
        return float(_sigmoid(self.logit(point)))

    def predict(self, points: np.ndarray) -> np.ndarray:
        return (np.asarray(points) @ self.weights + self.bias > 0).astype(int)

    def accuracy(self, data: ToyData) -> float:
        return float(np.mean(self.predict(data.points) == data.labels))

    def boundary_y(self, x: np.ndarray) -> np.ndarray:
        """y of the boundary line at each x (w₀x + w₁y + b = 0)."""
        return -(self.weights[0] * np.asarray(x) + self.bias) / self.weights[1]

    def linf_distance(self, point) -> float:
        """The smallest ε (L∞) that can carry `point` to the boundary: |w·x + b| / ‖w‖₁."""
        return abs(self.logit(point)) / float(np.sum(np.abs(self.weights)))


def train_logistic(data: ToyData, learning_rate: float = 0.5, epochs: int = 300) -> LogisticModel:
    """Fit the boundary by plain batch gradient descent on the mean cross-entropy."""
    w = np.zeros(2)
    b = 0.0
    for _ in range(epochs):
        error = _sigmoid(data.points @ w + b) - data.labels  # d loss / d logit, per point
        w -= learning_rate * data.points.T @ error / len(error)
        b -= learning_rate * float(np.mean(error))
    return LogisticModel(w, b)


@dataclass(frozen=True)
class PushResult:
    path: np.ndarray  # (steps + 1) × 2: the point after each step, row 0 = the start
    probabilities: np.ndarray  # p(class 1) after each step
    start_class: int
    crossed: bool
    epsilon: float
    step_size: float
    method: str

    @property
    def steps(self) -> int:
        return len(self.path) - 1

    @property
    def start(self) -> np.ndarray:
        return self.path[0]


METHODS = ("sign", "gradient")  # L∞ sign steps (FGSM/PGD), or steps along the normalised gradient


def push_across(model: LogisticModel, start, *, epsilon: float = DEFAULT_EPSILON,
                step_size: float = DEFAULT_STEP_SIZE, method: str = "sign",
                max_steps: int = PUSH_STEPS) -> PushResult:
    """Move `start` toward the other class by gradient steps, clipped to the box start ± ε.

    Each step raises the loss of the class the point starts in (the attack's gradient *ascent*);
    "sign" steps move every coordinate by ±step_size, as PGD does with pixels. It stops as soon
    as the point is on the other side, or after `max_steps`.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    origin = np.asarray(start, dtype=float)
    start_class = int(model.logit(origin) > 0)
    # Loss of the start class: −log σ(±z); its gradient w.r.t. the point is ∓(1 − p)·w, so the
    # direction that raises it is simply −w for class 1 and +w for class 0.
    direction = model.weights if start_class == 0 else -model.weights
    point = origin.copy()
    path = [point.copy()]
    crossed = False
    for _ in range(max_steps):
        if method == "sign":
            step = step_size * np.sign(direction)
        else:
            step = step_size * direction / np.linalg.norm(direction)
        point = np.clip(point + step, origin - epsilon, origin + epsilon)
        if np.array_equal(point, path[-1]):
            break  # pinned in a corner of the box: no further step can move it
        path.append(point.copy())
        if int(model.logit(point) > 0) != start_class:
            crossed = True
            break
    path_array = np.array(path)
    probabilities = np.array([model.probability(p) for p in path_array])
    return PushResult(path_array, probabilities, start_class, crossed, float(epsilon), float(step_size), method)


def steps_needed(model: LogisticModel, start, step_size: float, method: str = "sign") -> int | None:
    """Sign/gradient steps a push needs to cross when ε is no limit, from the logit's change per step."""
    per_step = step_size * (np.sum(np.abs(model.weights)) if method == "sign" else np.linalg.norm(model.weights))
    if per_step <= 0:
        return None
    return max(1, math.floor(abs(model.logit(start)) / per_step) + 1)
