"""Building a library: the stories, incremental builds, the output folder, workers, budgets, the catalog."""
