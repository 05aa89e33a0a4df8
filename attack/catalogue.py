"""The attack methods' and losses' names, without importing TensorFlow.

The command line needs them to parse its options, and parsing must not wait for TensorFlow: bad
input fails at once. attack.attacks builds METHODS from the classes themselves; a test checks that
these names are exactly its keys, in the same order (add a new method in both places).
"""
METHOD_NAMES = ("gradient-ascent", "fgsm", "bim", "pgd", "mi-fgsm", "apgd", "deepfool", "cw-l2", "square", "jsma")
DEFAULT_METHOD = "apgd"
LOSS_NAMES = ("log-softmax", "margin", "probability", "dlr")
TUTORIAL_MAX_STEPS = 1000  # the tutorial replay's step budget (attack/tutorial.py)
