"""Beyond one photo: a printable sticker (adversarial patch), one noise for every photo (universal
perturbation), the random scenes they are trained over and their training loop."""
