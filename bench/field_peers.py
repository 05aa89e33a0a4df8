"""The peers of bench_field.py: ART 1.20, Foolbox 3.3 and CleverHans 4 on the project's own model.

Every peer gets the same thing: the bundled EfficientNet-Lite0 as a callable from N x 224 x 224 x 3
float pixels in [0, 255] to logits (the project's resize and preprocessing inside, the same graph
the engine differentiates), compiled with `tf.function` — the most favourable way to hand a model
to them; clip values (0, 255); ε in pixel levels; 300 steps; PGD's step ε/4 (the engine's BIM/PGD
step). Each returns float images; the bench rounds, saves and judges them like everyone else's.
`attack(x, labels, targeted)` runs one batch; labels are targets (targeted) or true classes.
`available()` says, per peer, why it cannot run (a missing package, an import error).
"""
from __future__ import annotations

import importlib
from typing import Callable

import numpy as np
import tensorflow as tf

PEERS = ("art-pgd", "art-apgd", "foolbox-pgd", "cleverhans-pgd")
_PACKAGE = {"art-pgd": "art", "art-apgd": "art", "foolbox-pgd": "foolbox", "cleverhans-pgd": "cleverhans"}


def versions() -> dict[str, str]:
    """The installed peers' versions (or why they are missing)."""
    out = {}
    for name in ("art", "foolbox", "cleverhans"):
        try:
            module = importlib.import_module(name)
            out[name] = getattr(module, "__version__", "installed")
        except Exception as error:  # an import that fails is reported, not fatal
            out[name] = f"unavailable: {type(error).__name__}: {error}"
    return out


def available() -> dict[str, str | None]:
    """peer -> None when it can run, else the reason."""
    found = versions()
    return {peer: None if not found[_PACKAGE[peer]].startswith("unavailable") else found[_PACKAGE[peer]]
            for peer in PEERS}


def model_fn(classifier) -> Callable[[tf.Tensor], tf.Tensor]:
    """Logits (N, 1000) of N x 224 x 224 x 3 pixels in [0, 255], compiled, differentiable."""
    side = classifier.input_size

    def build():
        return tf.function(lambda x: classifier.padded_logits(tf.ensure_shape(tf.cast(x, tf.float32),
                                                                              [None, side, side, 3]), None),
                           input_signature=[tf.TensorSpec([None, side, side, 3], tf.float32)])

    return classifier.cached("field-logits", build)  # one trace for every peer and batch size


def make_peer(name: str, classifier, eps: float, steps: int) -> Callable[[np.ndarray, np.ndarray, bool], np.ndarray]:
    """fn(x N x 224 x 224 x 3 float32, labels N int, targeted) -> adversarial float32 images."""
    logits = model_fn(classifier)
    side = classifier.input_size
    step = eps / 4.0
    if name.startswith("art-"):
        from art.attacks.evasion import AutoProjectedGradientDescent, ProjectedGradientDescent
        from art.estimators.classification import TensorFlowV2Classifier

        estimator = TensorFlowV2Classifier(
            # ART passes `training`; the model has no training mode here.
            model=lambda x, training=False: logits(x),
            nb_classes=1000, input_shape=(side, side, 3), clip_values=(0.0, 255.0),
            loss_object=tf.keras.losses.CategoricalCrossentropy(from_logits=True))

        def art(x, labels, targeted):
            if name == "art-pgd":
                attack = ProjectedGradientDescent(estimator, norm=np.inf, eps=eps, eps_step=step, max_iter=steps,
                                                  targeted=targeted, num_random_init=1, batch_size=len(x),
                                                  verbose=False)
            else:  # ART's Auto-PGD sets its own step sizes from eps; one start, cross-entropy (as ours)
                attack = AutoProjectedGradientDescent(estimator, norm=np.inf, eps=eps, eps_step=step,
                                                      max_iter=steps, targeted=targeted, nb_random_init=1,
                                                      batch_size=len(x), loss_type="cross_entropy",
                                                      verbose=False)
            return attack.generate(x, y=np.eye(1000, dtype=np.float32)[labels]).astype(np.float32)

        return art
    if name == "foolbox-pgd":
        import foolbox as fb

        model = fb.TensorFlowModel(logits, bounds=(0.0, 255.0))
        pgd = fb.attacks.LinfPGD(abs_stepsize=step, steps=steps, random_start=True)

        def foolbox(x, labels, targeted):
            y = tf.constant(labels, tf.int64)  # eagerpy compares with argmax (int64); mixed dtypes hit np.find_common_type, gone in NumPy 2
            criterion = fb.criteria.TargetedMisclassification(y) if targeted else fb.criteria.Misclassification(y)
            _, clipped, _ = pgd(model, tf.constant(x), criterion, epsilons=eps)
            return clipped.numpy().astype(np.float32)

        return foolbox
    if name == "cleverhans-pgd":
        from cleverhans.tf2.attacks.projected_gradient_descent import projected_gradient_descent

        def cleverhans(x, labels, targeted):
            return projected_gradient_descent(logits, tf.constant(x), eps, step, steps, np.inf, clip_min=0.0,
                                              clip_max=255.0, y=tf.constant(labels, tf.int64),
                                              targeted=targeted, rand_init=True).numpy().astype(np.float32)

        return cleverhans
    raise ValueError(f"unknown peer {name!r}")
