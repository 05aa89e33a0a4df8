"""One run from records to result: the runner, the history kept, the metrics and the JSON record."""
