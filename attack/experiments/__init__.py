"""What is built on runs: survival checks, ε sweeps, folders, Ray, the tutorial, the toy."""
