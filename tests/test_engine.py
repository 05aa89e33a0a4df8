"""The engine's shape: re-entrant runs, one batched compiled step, continuous batching, and caches
that belong to the model (dropping a model frees its compiled functions)."""
from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
import tensorflow as tf
from conftest import tiny_classifier

from attack.attacks import make_attack
from attack.attacks.stepper import Stepper
from attack.running.runner import run_attack, run_attacks

TOASTER = 859
STATEFUL = [  # method, settings: the methods whose runs carry state from step to step
    ("mi-fgsm", dict(target=TOASTER)),
    ("cw-l2", dict(target=TOASTER)),
    ("apgd", dict(target=TOASTER)),
    ("pgd", dict(target=None)),
    ("deepfool", dict(target=None)),
]


@pytest.fixture(scope="module")
def second(small_coffee):
    """A second, smaller image (another size, so a batch needs padding)."""
    return np.ascontiguousarray(small_coffee[5:85, 10:130][:, ::-1])


def separate(attack, image):
    return list(attack.run(image))


def same_records(a, b, *, exact_images=True):
    """Runs that computed the same thing. Exact where the same kernels ran (one run stepped alone, in
    any order); else within what a different batch size may change on another CPU: TensorFlow's oneDNN
    picks other kernels for other batch sizes (on an AMD EPYC, 0.1 % of the gradient's signs differ at
    the first step, and APGD's momentum then carries the difference on), so those runs are compared by
    what they report, not pixel by pixel."""
    assert [r.step for r in a] == [r.step for r in b]
    for x, y in zip(a, b):
        if exact_images:
            assert np.array_equal(x.image, y.image), f"step {x.step}"
            assert x.loss == pytest.approx(y.loss, rel=1e-3, abs=1e-4)
            assert x.top5[0].probability == pytest.approx(y.top5[0].probability, abs=1e-4)
        else:
            if x.step <= 1:  # the clean image, and one step from it: a few sign flips at most
                assert np.mean(x.image != y.image) < 0.02, f"step {x.step}"
            assert np.array_equal(x.original, y.original)
            assert x.loss == pytest.approx(y.loss, abs=0.05)
            assert x.top5[0].probability == pytest.approx(y.top5[0].probability, abs=0.05)
        assert x.top5[0].index == y.top5[0].index
        assert x.success == y.success


@pytest.mark.parametrize("method,settings", STATEFUL, ids=[m for m, _ in STATEFUL])
def test_two_interleaved_runs_of_one_attack_equal_two_separate_runs(classifier, small_coffee, second,
                                                                    method, settings):
    attack = make_attack(method, classifier, epsilon=4, max_steps=4, stop_at=0.99, **settings)
    alone = [separate(attack, small_coffee), separate(attack, second)]
    states = [attack.start(small_coffee), attack.start(second)]
    interleaved = [[], []]
    while not all(s.finished for s in states):
        for i in (1, 0):  # the second run goes first each round: no hidden order
            if not states[i].finished:
                interleaved[i] += attack.step([states[i]])
    for together, one in zip(interleaved, alone):
        same_records(together, one)
    assert len(alone[0]) >= 2


def batched_records(attack, pictures) -> list[list]:
    """Every picture's records from runs stepped together in one batch until all have finished."""
    states = [attack.start(p) for p in pictures]
    batched = [[] for _ in states]
    while not all(s.finished for s in states):
        active = [i for i, s in enumerate(states) if not s.finished]
        for i, record in zip(active, attack.step([states[i] for i in active])):
            batched[i].append(record)
    return batched


@pytest.mark.parametrize("method,settings", STATEFUL, ids=[m for m, _ in STATEFUL])
def test_a_batched_step_gives_the_records_of_single_runs(classifier, small_coffee, second, method, settings):
    attack = make_attack(method, classifier, epsilon=4, max_steps=4, stop_at=0.99, seed=3, **settings)
    alone = [separate(attack, small_coffee), separate(attack, second)]
    batched = batched_records(attack, [small_coffee, second])
    assert batched[1][0].image.shape == second.shape  # cut back out of the padded batch
    for together, one in zip(batched, alone):
        same_records(together, one, exact_images=False)
    # The same batch in the other order runs the same kernels: each run's records must be exactly its
    # own, wherever it sits in the batch (nothing of one run leaks into another).
    swapped = batched_records(attack, [second, small_coffee])
    same_records(swapped[1], batched[0], exact_images=True)
    same_records(swapped[0], batched[1], exact_images=True)


@pytest.mark.parametrize("method,settings", STATEFUL[:3], ids=[m for m, _ in STATEFUL[:3]])
def test_a_batch_of_one_size_gives_the_records_of_single_runs(classifier, small_coffee, method, settings):
    """Images of one size take the unpadded path (one resize for the whole batch): same records."""
    mirrored = np.ascontiguousarray(small_coffee[:, ::-1])
    attack = make_attack(method, classifier, epsilon=4, max_steps=4, stop_at=0.99, seed=3, **settings)
    alone = [separate(attack, small_coffee), separate(attack, mirrored)]
    for together, one in zip(batched_records(attack, [small_coffee, mirrored]), alone):
        same_records(together, one, exact_images=False)


def test_runs_may_join_leave_and_reorder_between_batched_steps(classifier, small_coffee):
    """A worker's groups change as runs start, finish or wait for a slow reader. A group that steps
    again reuses its batch; any other group is gathered or stacked. Each run's records stay those of
    a run alone, and a run that leaves a batch takes its own tensors back (the old batch is freed)."""
    pictures = [small_coffee, np.ascontiguousarray(small_coffee[:, ::-1]),
                np.ascontiguousarray(small_coffee[::-1])]
    attack = make_attack("apgd", classifier, epsilon=4, target=TOASTER, max_steps=6, stop_at=0.999, seed=3)
    alone = [separate(attack, p) for p in pictures]
    states = [attack.start(p) for p in pictures]
    got = [[] for _ in states]
    groups = iter([[0, 1, 2], [0, 1, 2], [0, 1], [2, 1, 0], [2], [1, 0]] + [[0, 1, 2]] * 10)
    checked = False
    while not all(s.finished for s in states):
        group = [i for i in next(groups) if not states[i].finished]
        if not group:
            continue
        # the batch all three shared, watched across the step in which run 2 leaves it
        left = weakref.ref(states[2]._batch) if group == [0, 1] and states[2]._batch is not None else None
        for i, record in zip(group, attack.step([states[i] for i in group])):
            got[i].append(record)
        if left is not None:
            assert states[2]._batch is None and states[2].x.shape == (1, *pictures[2].shape)
            gc.collect()
            assert left() is None, "the batch of runs 0, 1, 2 is kept alive after they left it"
            checked = True
    assert checked
    for together, one in zip(got, alone):
        same_records(together, one, exact_images=False)


def test_runs_join_and_leave_a_shared_batch(classifier, small_coffee, second):
    """Continuous batching: three runs (different ε) through a batch of two, one cancelled midway."""
    attacks = [make_attack("bim", classifier, epsilon=e, target=TOASTER, max_steps=3, stop_at=0.99)
               for e in (1, 2, 4)]
    stepper = Stepper(batch_size=2)
    ids = [stepper.add(attacks[0], small_coffee), stepper.add(attacks[1], second),
           stepper.add(attacks[2], lambda: small_coffee)]
    seen: dict[int, list] = {i: [] for i in ids}
    sizes = []
    while stepper:
        advances = stepper.step()
        sizes.append(len(advances))
        for advance in advances:
            seen[advance.run].append(advance.record)
        if len(seen[ids[1]]) == 2:
            stepper.cancel(ids[1])
    assert max(sizes) == 2
    assert [r.step for r in seen[ids[1]]] == [0, 1]
    assert [r.step for r in seen[ids[0]]] == [0, 1, 2, 3] == [r.step for r in seen[ids[2]]]
    assert max(r.linf for r in seen[ids[0]]) <= 1 and max(r.linf for r in seen[ids[2]]) <= 4
    same_records(seen[ids[2]], separate(attacks[2], small_coffee), exact_images=False)


def test_the_stepper_batches_only_images_of_one_size(classifier, small_coffee, second, monkeypatch):
    """Mixed sizes step in groups of one size each (padding cost more than it saved), same-size runs together."""
    attack = make_attack("bim", classifier, epsilon=2, target=TOASTER, max_steps=2, stop_at=0.999)
    groups = []
    real_step = attack.step

    def spy(states):
        groups.append(sorted(s.shape for s in states))
        return real_step(states)

    monkeypatch.setattr(attack, "step", spy)
    stepper = Stepper(batch_size=4)
    for image in (small_coffee, second, small_coffee, second):
        stepper.add(attack, image)
    records = 0
    while stepper:
        records += len(stepper.step())
    assert records == 4 * 3  # steps 0, 1, 2 of each run
    assert groups and all(len(set(g)) == 1 and len(g) == 2 for g in groups), groups


@pytest.mark.parametrize("single", [True, False], ids=["alone", "batched"])
def test_the_compiled_step_calls_no_separate_xla_convolution(classifier, small_coffee, single):
    """With the channel count known, Keras runs every convolution in the step's own graph; an unknown one
    made it compile the stem convolution with XLA as a separate call (~10 % of a step)."""
    attack = make_attack("bim", classifier, epsilon=2, target=TOASTER, max_steps=2, stop_at=0.999)
    for uniform in ((False,) if single else (False, True)):
        step = attack._compiled_step(single, (), uniform)
        library = [f.signature.name for f in step.graph.as_graph_def().library.function]
        assert library and not [name for name in library if "xla" in name.lower()], library


def test_run_attacks_yields_every_image_with_its_verified_result(classifier, small_coffee, second):
    results = dict(run_attacks(classifier, [small_coffee, second], "bim", epsilon=2, target=TOASTER,
                               max_steps=3, stop_at=0.99, batch_size=2))
    assert sorted(results) == [0, 1]
    one = run_attack(classifier, second, "bim", epsilon=2, target=TOASTER, max_steps=3, stop_at=0.99)
    assert results[1].final.image.shape == second.shape
    assert results[1].verification.target_probability == pytest.approx(one.verification.target_probability,
                                                                        abs=1e-3)


def test_apgd_step_size_only_ever_halves(classifier, small_coffee):
    """The schedule runs in the step: η starts at its first value and only ever halves."""
    attack = make_attack("apgd", classifier, epsilon=2, target=TOASTER, max_steps=20, stop_at=0.999)
    state = attack.start(small_coffee)
    etas = [float(state.slots["eta"][0])]
    while not state.finished:
        attack.step([state])
        etas.append(float(state.slots["eta"][0]))
    assert etas[0] == 0.5  # max(ε/4, 0.25)
    assert all(b in (a, a / 2) for a, b in zip(etas, etas[1:]))


def test_apgd_aims_with_cross_entropy_and_turns_with_the_margin():
    """Towards a target, cross-entropy (a confidence goal); untargeted, the logit margin, whose gradient does
    not fade on a photo the model is sure of; an explicit loss is kept either way."""
    model = tiny_classifier()
    assert make_attack("apgd", model, epsilon=1, target=TOASTER).loss == "log-softmax"
    assert make_attack("apgd", model, epsilon=1, target=None).loss == "margin"
    assert make_attack("apgd", model, epsilon=1, target=None, loss="log-softmax").loss == "log-softmax"
    image = np.random.default_rng(4).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    logits = np.log(model.probabilities(image))  # log-softmax: the same differences as the logits
    top = int(np.argmax(logits))
    records = list(make_attack("apgd", model, epsilon=16, target=None, max_steps=30, stop_at=0.5).run(image))
    assert records[0].loss == pytest.approx(np.max(np.delete(logits, top)) - logits[top], abs=1e-3)
    assert records[-1].success and records[-1].loss > records[0].loss


def test_apgd_towards_a_target_still_off_top_after_a_third_ascends_the_margin():
    """After max(⌈N/3⌉, 100) steps a run whose target is not the top-1 switches from cross-entropy to the
    margin: the bookkeeping restarts on the margin, η is kept, the records go on showing the
    cross-entropy; untargeted runs and a chosen loss never switch."""
    model = tiny_classifier()
    image = np.random.default_rng(5).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    target = int(np.argmin(model.probabilities(image)))  # ε = 1 on a 32 px image will not lift it to the top

    def trace(budget=330, **settings):
        attack = make_attack("apgd", model, epsilon=1, max_steps=budget, stop_at=0.999, **settings)
        state, rows = attack.start(image), []
        while not state.finished:
            (record,) = attack.step([state])
            rows.append((record, {k: float(v[0]) for k, v in state.slots.items() if v.shape.rank == 1}))
        return rows

    rows = trace(target=target)
    switched = [step for step, (_, slots) in enumerate(rows) if slots["margin"] > 0]
    assert switched == list(range(110, 331))  # evaluated at step 110, off top: switch
    short = trace(budget=150, target=target)  # a third would be step 50: not before step 100
    assert [step for step, (_, slots) in enumerate(short) if slots["margin"] > 0] == list(range(100, 151))
    record, slots = rows[111]  # the margin's first step restarted the bookkeeping
    logits = model.logits(tf.constant(record.image, tf.float32)).numpy()
    margin = logits[target] - np.max(np.delete(logits, target))
    assert slots["loss_best"] == pytest.approx(margin, abs=1e-3) and slots["counter"] == 0
    assert rows[111][1]["eta"] == rows[110][1]["eta"]
    for record, _ in rows[1:]:  # the records keep the cross-entropy, log p(target)
        assert record.loss == pytest.approx(np.log(record.target_probability), abs=1e-3)
    for settings in (dict(target=None), dict(target=target, loss="margin")):
        assert all(slots["margin"] == 0 for _, slots in trace(**settings))


def test_dropping_a_model_frees_its_compiled_functions(small_coffee):
    from attack.attacks.losses import gradient_function
    from attack.attacks.eot import robust_attack

    model = tiny_classifier()
    for method in ("pgd", "apgd", "deepfool"):
        target = None if method == "deepfool" else TOASTER
        list(make_attack(method, model, epsilon=2, target=target, max_steps=2).run(small_coffee))
    list(robust_attack("bim", model, epsilon=2, target=TOASTER, max_steps=1, eot_samples=1).run(small_coffee))
    gradient_function(model, "margin", True)
    assert gradient_function(model, "margin", True) is gradient_function(model, "margin", True)
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


def test_dlr_loss_ignores_the_logit_scale_and_is_positive_once_the_goal_is_on_top():
    import tensorflow as tf

    from attack.attacks.losses import objectives

    logits = tf.constant([[1.0, 5.0, 2.0, 0.5, 3.0], [4.0, 1.0, 0.0, 2.0, 3.5]])
    classes, targeted = tf.constant([1, 0]), tf.constant([True, False])
    dlr = objectives(logits, classes, targeted, "dlr").numpy()
    assert np.allclose(objectives(3.0 * logits, classes, targeted, "dlr").numpy(), dlr)
    assert dlr[0] > 0  # the target (class 1) is on top
    assert dlr[1] < 0  # untargeted: the original (class 0) is still on top
    margin = objectives(logits, classes, targeted, "margin").numpy()
    assert np.allclose(margin, [2.0, -0.5])
