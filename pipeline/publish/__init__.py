"""Tables → the files people open: CSV and graphs, the report, figures, explanations."""
