"""Small wins over time: session records, what they say, charts and the progress report."""
