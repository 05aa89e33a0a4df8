"""The attack lab's parts; app/pages/lab.py puts them on the page in this order.

- `presenter`: presenter mode (the switch and the stylesheet for a 1280 × 720 projector);
- `link`: the share link (settings and sample in the URL) and restoring them from it;
- `inputs`: the image to attack (upload or sample), what the model says now, the Attack button;
- `running`: Attack starts a run on the shared worker; the live panel follows it, then the result;
- `live`: the run in the session (`LabRun`), its live loop over attack.runner.consume and the live panel;
- `result`: the verified result, its replay and the survival checks;
- `files`: the downloads (PNG, perturbation, JSON, report figure, animation).
"""
