"""Coded errors, phrases in both languages, quiet TensorFlow."""
