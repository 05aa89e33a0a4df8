"""What comes in: images (validated), ImageNet labels, and the CLI's output checks."""
