"""The `burro` (alias `donkey`) command line. Each `cmd_*.py` module adds one command."""
