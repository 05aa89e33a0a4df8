"""Adversarial Lab's engine: models, labels, image input, attack generators, metrics, reports, CLI.

Plain TensorFlow and numpy; nothing here knows about Streamlit or the web.
"""
import os

# TensorFlow's C++ start-up chatter would bury the CLI's one-line messages.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
