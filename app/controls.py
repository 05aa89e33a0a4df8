"""The lab's sidebar: the attack settings, their presets, and the share link that restores them.

The settings are attack.settings.AttackSettings (its defaults and ranges are the controls' too).
Every control keeps its value in `st.session_state` under a `ctl.*` key (see app/session.py for the
key styles), so presets and shared links can fill the controls by writing those keys *before* the
widgets are created (Streamlit forbids writing a widget's key after it is drawn in the same run).
"""
from __future__ import annotations

import math
from urllib.parse import urlencode

import streamlit as st

from app.i18n import current_language, model_title, t, text_in, translated
from app.weights_panel import missing_models_panel, take_installed
from attack.inputs import labels
from attack.catalogue import AUTO, CATALOGUE, DEFAULT_METHOD, TUTORIAL_LEARNING_RATE, StepParameter
from attack.models import DEFAULT_MODEL, MODELS, availability
from attack.settings import RANGES, TOASTER, AttackSettings

# The ε slider's stops, spanning RANGES["epsilon"]; 1.275 is the tutorial's 0.01 on [-1, 1].
EPSILONS = (0.5, 0.75, 1.0, 1.275, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0)
STOP_AT_RANGE = (RANGES["stop_at"].low, RANGES["stop_at"].high)
MAX_STEPS_LIMIT = int(RANGES["max_steps"].high)



def key(name: str) -> str:
    """The session-state key of a control."""
    return f"ctl.{name}"


def step_key(method: str) -> str:
    """The session-state key of `method`'s step control (methods of one step kind share it)."""
    return key(f"step.{CATALOGUE[method].step.kind}")



PRESETS: dict[str, AttackSettings] = {
    # The tutorial: ε = 0.01 on its [-1, 1] scale is 1.275 pixel levels; it stopped at 60 %.
    "tutorial": AttackSettings(method="gradient-ascent", target=TOASTER, epsilon=1.275,
                            step_size=TUTORIAL_LEARNING_RATE, max_steps=1000, stop_at=0.60),
    "fast": AttackSettings(method="pgd", target=TOASTER, epsilon=2.0, step_size=None, max_steps=200,
                        stop_at=0.9),
}


# --- writing controls before they are drawn ----------------------------------------------------
def _nearest(choices: tuple, value, default) -> object:
    numbers = [c for c in choices if c != AUTO]
    if value in (None, AUTO) or not numbers:
        # "auto" for the tutorial's learning rate (no auto choice) means the step kind's default, not the smallest.
        return default
    return min(numbers, key=lambda c: abs(math.log10(max(c, 1e-9)) - math.log10(max(value, 1e-9))))


def fill_controls(settings: AttackSettings) -> None:
    """Write `settings` into the controls' session state (call before the widgets exist)."""
    state = st.session_state
    state[key("model")] = settings.model
    state[key("method")] = settings.method
    state[key("target")] = settings.target
    state[key("epsilon")] = _nearest(EPSILONS, settings.epsilon, EPSILONS[0])
    step = CATALOGUE[settings.method].step
    state[step_key(settings.method)] = _nearest(step.choices, settings.step_size, step.default)
    state[key("max_steps")] = int(min(max(settings.max_steps, 1), MAX_STEPS_LIMIT))
    state[key("stop_at")] = round(min(max(settings.stop_at, STOP_AT_RANGE[0]), STOP_AT_RANGE[1]), 2)
    state[key("seed")] = int(max(settings.seed, 0))


def apply_preset(name: str) -> None:
    """Button callback: fill the controls from a preset."""
    fill_controls(PRESETS[name])
    st.session_state["lab.preset"] = name
    if name == "tutorial":  # the tutorial's whole experiment lives in the lab's tutorial mode (app/tutorial.py)
        st.session_state["lab.mode"] = "tutorial"
        st.session_state["tut.restored"] = True
        st.query_params["mode"] = "tutorial"


# The longest value a link of ours writes ("efficientnet-lite0", "2147483647", "1e+06") is far shorter:
# anything longer is refused by its length, before it is parsed, matched or shown back.
LINK_VALUE_CHARS = 32
LINK_LIMITS = {"target": labels.MAX_QUERY_CHARS}  # a class name as a person may type it


def _link_value(params: dict, name: str, ignored: list[str]) -> str | None:
    """Parameter `name` of a link, or None when absent or longer than a value of ours (then listed as ignored)."""
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > LINK_LIMITS.get(name, LINK_VALUE_CHARS):
        ignored.append(name)
        return None
    return value


def settings_from_query(params: dict) -> tuple[AttackSettings, list[str]]:
    """Settings a shared link asks for; bad or out-of-range values fall back to defaults and are listed
    ("eps" for a value that is no number, too long or not finite, "steps=-5 (1–5000)" for one outside what
    the controls allow)."""
    ignored: list[str] = []
    values = AttackSettings().as_dict()

    def number(name: str, kind: type, field: str) -> None:
        text = _link_value(params, name, ignored)
        if text is None:
            return
        try:
            value = kind(text)
            if not math.isfinite(value):
                raise ValueError
        except (TypeError, ValueError):
            ignored.append(name)
            return
        if value in RANGES[field]:
            values[field] = value
        else:
            ignored.append(f"{name}={text} ({RANGES[field]})")

    for name, known in (("model", MODELS), ("method", CATALOGUE)):
        text = _link_value(params, name, ignored)
        if text in known:
            values[name] = text
        elif text is not None:
            ignored.append(name)
    target = _link_value(params, "target", ignored)
    if target in ("", "untargeted", "none"):
        values["target"] = None
    elif target is not None:
        try:
            values["target"] = labels.resolve(target)  # a number, a name, or "toaster (859)"
        except labels.LabelNotFound:
            ignored.append("target")
    # The link's parameter names are short and stay as they are: links already shared must keep working.
    number("eps", float, "epsilon")
    if params.get("step") == AUTO:
        values["step_size"] = None
    else:
        number("step", float, "step_size")
    number("steps", int, "max_steps")
    number("stop", float, "stop_at")
    number("seed", int, "seed")
    return AttackSettings(**values), ignored


def query_from_settings(settings: AttackSettings) -> dict[str, str]:
    """The query parameters of a shared link (the inverse of settings_from_query)."""
    return {"model": settings.model, "method": settings.method,
            "target": "untargeted" if settings.target is None else str(settings.target),
            "eps": f"{settings.epsilon:g}", "step": AUTO if settings.step_size is None else f"{settings.step_size:g}",
            "steps": str(settings.max_steps), "stop": f"{settings.stop_at:g}", "seed": str(settings.seed)}


def share_link(base_url: str | None, settings: AttackSettings, sample: str | None, presenter: bool) -> str:
    query = {"lang": current_language()}
    if sample:
        query["sample"] = sample
    query.update(query_from_settings(settings))
    if presenter:
        query["present"] = "1"
    return f"{base_url or ''}?{urlencode(query)}"


# --- the widgets -------------------------------------------------------------------------------
def _fmt_number(value, lang: str | None = None) -> str:
    return text_in(lang or current_language(), "lab.step.auto") if value == AUTO else f"{value:g}"


def target_name(index: int | None, lang: str | None = None) -> str:
    lang = lang or current_language()
    if index is None:
        return text_in(lang, "lab.target.untargeted")
    return f"{labels.display(index, lang)} ({index})"


def method_name(method: str, lang: str | None = None) -> str:
    return text_in(lang or current_language(), CATALOGUE[method].title_key)


def keep_hidden_controls(names: list[str]) -> None:
    """Keep the values of controls that are not drawn in this run (Streamlit drops a widget's state when
    the widget is not drawn): tutorial mode hides the free lab's settings, which it does not use."""
    state = st.session_state
    for name in names:
        if name in state:
            state[name] = state[name]


def sidebar_controls(presenter: bool, tutorial: bool = False) -> AttackSettings:
    """Draw the sidebar controls and return what they say (always a valid combination). In tutorial mode
    only the model and the target, the settings the acts use."""
    bar = st.sidebar
    lang = current_language()  # the select boxes format their options in the language they are drawn in
    bar.header(t("lab.controls"))
    if tutorial:
        return _tutorial_controls(bar, lang)
    _preset_buttons(bar)
    take_installed(key("model"))
    usable = [name for name in MODELS if availability(name)[0]]
    if st.session_state.get(key("model")) not in usable:
        st.session_state[key("model")] = DEFAULT_MODEL if DEFAULT_MODEL in usable else usable[0]
    model = bar.selectbox(t("lab.model"), usable, key=translated(key("model")),
                          format_func=lambda n: model_title(MODELS[n].title, lang),
                          help=t("lab.model.help"))
    missing = [name for name in MODELS if name not in usable]
    if missing:
        missing_models_panel(bar.expander(t("lab.model.unavailable", count=len(missing))), missing)

    method = bar.selectbox(t("lab.method"), list(CATALOGUE), key=translated(key("method")),
                           format_func=lambda m: method_name(m, lang),
                           help=t("lab.method.help"))
    entry = CATALOGUE[method]
    bar.caption(t(entry.summary_key))
    if entry.counts_queries:
        bar.info(t("lab.black_box"), icon=":material/visibility_off:")

    target = _target_control(bar, method, lang)

    uses_epsilon = entry.uses_epsilon
    epsilon = bar.select_slider(t("lab.epsilon"), EPSILONS, key=key("epsilon"), format_func=lambda v: f"{v:g}",
                                help=t("lab.epsilon.help"), disabled=not uses_epsilon)
    if not uses_epsilon:
        bar.caption(t("lab.epsilon.not_used"))
    elif epsilon < 1:
        bar.warning(t("lab.epsilon.below_one"))

    step_size = _step_control(bar, method, entry.step, lang)

    max_steps = bar.number_input(t("lab.max_steps"), 1, MAX_STEPS_LIMIT, key=key("max_steps"), step=10,
                                 help=t("lab.max_steps.help"))
    stop_at = bar.slider(t("lab.stop_at"), *STOP_AT_RANGE, key=key("stop_at"), step=0.01, format="%.2f",
                         help=t("lab.stop_at.help"))
    if presenter:
        seed = 0  # presenter mode: the same run every time, so a rehearsed demo repeats on stage
        bar.caption(t("lab.seed.fixed"))
    else:
        seed = bar.number_input(t("lab.seed"), 0, int(RANGES["seed"].high), key=key("seed"), help=t("lab.seed.help"))
    return AttackSettings(model=model, method=method, target=target, epsilon=float(epsilon), step_size=step_size,
                       max_steps=int(max_steps), stop_at=float(stop_at), seed=int(seed))


def _preset_buttons(bar) -> None:
    """Tutorial (the tutorial's own settings, in tutorial mode) and Fast, 8-bit-safe."""
    presets = bar.columns(2)
    presets[0].button(t("lab.preset.tutorial"), on_click=apply_preset, args=("tutorial",), key="lab.preset.tutorial",
                      help=t("lab.preset.tutorial.help"), width="stretch")
    presets[1].button(t("lab.preset.fast"), on_click=apply_preset, args=("fast",), key="lab.preset.fast",
                      help=t("lab.preset.fast.help"), width="stretch")


def _target_control(bar, method: str, lang: str) -> int | None:
    """The target class, as far as the method allows: an untargeted-only method gets None, a
    targeted-only one gets toaster rather than nothing (each with a line saying so)."""
    entry = CATALOGUE[method]
    target = bar.selectbox(t("lab.target"), [None, *range(len(labels.all_labels()))], key=translated(key("target")),
                           format_func=lambda i: target_name(i, lang),
                           disabled=not entry.targeted, help=t("lab.target.help"),
                           placeholder=target_name(None))  # None (untargeted) shows the placeholder
    if not entry.targeted:
        if target is not None:
            bar.info(t("lab.target.untargeted_only", method=method_name(method)))
        return None
    if not entry.untargeted and target is None:
        bar.warning(t("lab.target.needs_target", method=method_name(method), target=target_name(TOASTER)))
        return TOASTER
    return target


def _tutorial_controls(bar, lang: str) -> AttackSettings:
    state = st.session_state
    keep_hidden_controls([key(n) for n in ("method", "epsilon", "max_steps", "stop_at", "seed")]
                         + [step_key(m) for m in CATALOGUE])
    usable = [name for name in MODELS if availability(name)[0]]
    if state.get(key("model")) not in usable:
        state[key("model")] = DEFAULT_MODEL if DEFAULT_MODEL in usable else usable[0]
    model = bar.selectbox(t("lab.model"), usable, key=translated(key("model")),
                          format_func=lambda n: model_title(MODELS[n].title, lang), help=t("lab.model.help"))
    target = bar.selectbox(t("lab.target"), [None, *range(len(labels.all_labels()))],
                           key=translated(key("target")), format_func=lambda i: target_name(i, lang),
                           help=t("lab.target.help"), placeholder=target_name(None))
    bar.caption(t("stage.tutorial.sidebar", method=DEFAULT_METHOD.upper()))
    return AttackSettings(model=model, target=target)


def _step_control(bar, method: str, step: StepParameter, lang: str) -> float | None:
    """The method's step setting (None: its own default), drawn from its catalogue entry."""
    if not step.drawn:
        bar.caption(t(step.message_keys[0]))
        return None
    if st.session_state.get(step_key(method)) not in step.choices:
        st.session_state[step_key(method)] = step.default
    label, help_key = step.message_keys
    chosen = bar.select_slider(t(label), step.choices, key=translated(step_key(method)),
                               format_func=lambda v: _fmt_number(v, lang), help=t(help_key))
    return None if chosen == AUTO else float(chosen)


def ensure_defaults() -> None:
    """Give every control its default value once, so widgets never get `value=` and a key at once."""
    if key("method") not in st.session_state:
        fill_controls(AttackSettings())
    for method, entry in CATALOGUE.items():
        st.session_state.setdefault(step_key(method), entry.step.default)
