"""`python -m attack`: the command line over the engine. Each module depends only on those above it:

- `common`: CliError and the exit codes, reading the input files, the progress line, writing outputs,
  refusing impossible attack settings;
- `options`: the option groups several sub-commands share (model, attack, Ray) and what they mean;
- one module per family of sub-commands: `lookup` (classify, models, labels), `run` (run, report),
  `batch`, `robustness` (check, sweep), `tutorial`;
- `main`: the parser of them all and the error policy; `attack/__main__.py` calls `main.main`.

This file imports nothing, so importing one module does not load the others.
"""
